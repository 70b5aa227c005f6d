"""Search highlights: the article's own text, HTML-escaped, with ``<mark>`` around found words.

Highlighting works on the original title and body, not on the indexed words: the
index holds the text cut into words and joined by spaces (see `hotline.kb.segment`),
so the databases' own highlighters (FTS5 ``highlight()``, PostgreSQL ``ts_headline``)
would show spaces inside Chinese sentences and repeat the overlapping sub-words of
search mode. Doing it here also gives the same markup on both databases.

Everything outside the ``<mark>`` tags is escaped with `html.escape`, so an article
containing ``<script>`` shows as text and never runs.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

SNIPPET_CHARS = 80
"""About how many characters of the body a snippet shows."""
_LEAD_CHARS = 16  # context shown before the first found word


def _pattern(terms: Iterable[str]) -> re.Pattern[str] | None:
    # longest first: at one position the whole word wins over a sub-word (故障报修 over 报修)
    unique = sorted({t for t in terms if t}, key=lambda t: (-len(t), t))
    if not unique:
        return None
    return re.compile("|".join(re.escape(t) for t in unique), re.IGNORECASE)


def mark(text: str, terms: Iterable[str]) -> str:
    """`text` escaped for HTML with every occurrence of a term wrapped in ``<mark>``."""
    pattern = _pattern(terms)
    if pattern is None:
        return html.escape(text)
    out: list[str] = []
    last = 0
    for found in pattern.finditer(text):
        out.append(html.escape(text[last : found.start()]))
        out.append(f"<mark>{html.escape(found.group())}</mark>")
        last = found.end()
    out.append(html.escape(text[last:]))
    return "".join(out)


def snippet(text: str, terms: Iterable[str], *, chars: int = SNIPPET_CHARS) -> str:
    """A window of about `chars` characters of `text` around the first found term, marked.

    Starts a little before that term (at the text's start when no term occurs);
    ``…`` shows where text was cut. Line breaks become spaces.
    """
    flat = " ".join(text.split())
    term_list = list(terms)
    pattern = _pattern(term_list)
    first = pattern.search(flat) if pattern is not None else None
    start = 0 if first is None else max(0, first.start() - _LEAD_CHARS)
    end = min(len(flat), start + chars)
    start = max(0, min(start, end - chars))
    window = flat[start:end]
    if pattern is not None and end < len(flat):
        # do not cut a found word in half at the end of the window
        for found in pattern.finditer(flat, start, min(len(flat), end + 32)):
            if found.start() < end < found.end():
                window = flat[start : found.end()]
                end = found.end()
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(flat) else ""
    return prefix + mark(window, term_list) + suffix
