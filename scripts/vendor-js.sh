#!/usr/bin/env bash
# Copy the browser builds the console uses from the npm registry into its static files:
# Apache ECharts (the wallboard's and reports' charts) and JsSIP (the desk's softphone and
# the web call page: SIP over websocket, WebRTC). The console serves everything itself (no
# CDN); the vendored files are git-ignored (static/vendor/.gitignore), so this runs at
# build time (make). Idempotent: a file already there is left alone (--force fetches again).
set -euo pipefail

ECHARTS_VERSION="${ECHARTS_VERSION:-6}"
JSSIP_VERSION="${JSSIP_VERSION:-3}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest="$root/src/hotline/web/static/vendor"
force="${1:-}"

# vendor PACKAGE VERSION FILE-IN-PACKAGE TARGET-NAME
vendor() {
    local package="$1" version="$2" inside="$3" target="$dest/$4"
    if [[ -s "$target" && "$force" != "--force" ]]; then
        return 0
    fi
    if ! command -v npm >/dev/null 2>&1; then
        echo "vendor-js: npm not found; $4 is missing (charts / the browser softphone off)" >&2
        return 1
    fi
    local work tarball
    work="$(mktemp -d)"
    # npm pack fetches only the one tarball (no dependency tree, no install scripts).
    tarball="$(cd "$work" && npm pack --silent "$package@$version" 2>/dev/null | tail -n 1)"
    # (set -e is off in a function called with ||: each step is checked)
    if ! tar -xzf "$work/$tarball" -C "$work" "package/$inside" package/package.json; then
        rm -rf "$work"
        return 1
    fi
    mkdir -p "$dest"
    cp "$work/package/$inside" "$target.tmp" && mv "$target.tmp" "$target" || return 1
    local got
    got="$(sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' "$work/package/package.json" | head -n 1)"
    rm -rf "$work"
    echo "vendor-js: $package $got -> ${target#"$root"/}"
}

# JsSIP 3.x ships CommonJS only (lib/, no browser build): install it with its four small
# dependencies (debug, ms, events, sdp-transform) into a scratch folder, without scripts,
# and join the modules into one file that defines window.JsSIP (a plain CommonJS loader,
# below: no bundler to download, nothing evaluated from strings).
vendor_jssip() {
    local target="$dest/jssip.js"
    if [[ -s "$target" && "$force" != "--force" ]]; then
        return 0
    fi
    if ! command -v npm >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1; then
        echo "vendor-js: npm or node not found; the browser softphone is off" >&2
        return 1
    fi
    local work
    work="$(mktemp -d)"
    npm install --silent --no-save --ignore-scripts --no-audit --no-fund --prefix "$work" \
        "jssip@$JSSIP_VERSION" >/dev/null || { rm -rf "$work"; return 1; }
    mkdir -p "$dest"
    node - "$work/node_modules/jssip/lib/JsSIP.js" "$target.tmp" <<'JS' || { rm -rf "$work"; return 1; }
const fs = require("fs"), path = require("path");
const [entry, out] = process.argv.slice(2);
const files = [], ids = new Map();
function file(p) {
  for (const c of [p, p + ".js", p + ".json", path.join(p, "index.js")]) {
    if (fs.existsSync(c) && fs.statSync(c).isFile()) return c;
  }
  throw new Error("cannot resolve " + p);
}
function resolve(from, spec) {
  if (spec.startsWith(".")) return file(path.resolve(path.dirname(from), spec));
  for (let dir = path.dirname(from); ; dir = path.dirname(dir)) {
    const pkgDir = path.join(dir, "node_modules", spec);
    if (fs.existsSync(path.join(pkgDir, "package.json"))) {
      const pkg = JSON.parse(fs.readFileSync(path.join(pkgDir, "package.json"), "utf8"));
      const main = typeof pkg.browser === "string" ? pkg.browser : pkg.main || "index.js";
      return file(path.join(pkgDir, main));
    }
    if (path.dirname(dir) === dir) throw new Error("cannot find the package " + spec);
  }
}
function add(name) {
  if (ids.has(name)) return ids.get(name);
  const id = files.length;
  ids.set(name, id);
  files.push(null);
  let src = fs.readFileSync(name, "utf8");
  if (name.endsWith(".json")) {
    const pkg = JSON.parse(src);
    src = "module.exports = " + JSON.stringify({ name: pkg.name, version: pkg.version }) + ";";
  }
  const deps = {};
  for (const m of src.matchAll(/require\(\s*['"]([^'"]+)['"]\s*\)/g)) deps[m[1]] = add(resolve(name, m[1]));
  files[id] = { src, deps };
  return id;
}
add(entry);
const version = JSON.parse(fs.readFileSync(path.join(path.dirname(entry), "..", "package.json"), "utf8")).version;
const parts = files.map((f) => "[function (module, exports, require) {\n" + f.src + "\n}, " + JSON.stringify(f.deps) + "]");
fs.writeFileSync(out, "/* JsSIP " + version + " (MIT) with debug, ms, events, sdp-transform (MIT): vendored by scripts/vendor-js.sh */\n" +
  "(function () {\n\"use strict\";\nvar defs = [\n" + parts.join(",\n") + "\n];\nvar cache = {};\n" +
  "function load(id) {\n  if (cache[id]) return cache[id].exports;\n  var module = cache[id] = { exports: {} };\n" +
  "  defs[id][0].call(module.exports, module, module.exports, function (name) { return load(defs[id][1][name]); });\n" +
  "  return module.exports;\n}\nwindow.JsSIP = load(0);\n})();\n");
console.log(version);
JS
    mv "$target.tmp" "$target"
    rm -rf "$work"
    echo "vendor-js: jssip -> ${target#"$root"/}"
}

status=0
vendor echarts "$ECHARTS_VERSION" dist/echarts.min.js echarts.min.js || status=1
vendor_jssip || status=1
exit $status
