#!/usr/bin/env bash
# Copy Apache ECharts' browser build from the npm registry into the web console's static files.
# The console serves everything itself (no CDN); the vendored file is git-ignored, so this runs
# at build time (make). Idempotent: does nothing when the file is already there.
set -euo pipefail

ECHARTS_VERSION="${ECHARTS_VERSION:-6}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest="$root/src/hotline/web/static/vendor"
target="$dest/echarts.min.js"

if [[ -s "$target" && "${1:-}" != "--force" ]]; then
    exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
    echo "vendor-js: npm not found; the wallboard will show its numbers without the chart" >&2
    exit 1
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# npm pack fetches only the one tarball (no dependency tree, no install scripts).
tarball="$(cd "$work" && npm pack --silent "echarts@$ECHARTS_VERSION" 2>/dev/null | tail -n 1)"
tar -xzf "$work/$tarball" -C "$work" package/dist/echarts.min.js package/package.json
mkdir -p "$dest"
cp "$work/package/dist/echarts.min.js" "$target.tmp"
mv "$target.tmp" "$target"
version="$(sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' "$work/package/package.json" | head -n 1)"
echo "vendor-js: echarts $version -> ${target#"$root"/}"
