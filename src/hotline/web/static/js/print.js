// Print buttons ([data-print]): bound here, not inline, so the Content-Security-Policy
// allows no inline script at all.
"use strict";

for (const button of document.querySelectorAll("[data-print]")) {
  button.addEventListener("click", () => window.print());
}
