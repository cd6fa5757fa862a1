#!/usr/bin/env bash
# A copy of dist/ whose wasm keeps its function names, for bench/profile-edits.mjs's CPU profiles:
# the wasm Trunk's release build compiled (target/.../wasm-release), through wasm-bindgen with
# --keep-debug and wasm-opt with the playground's flags plus -g, in place of dist/'s pair (same
# file names, the glue not shrunk), index.html's integrity attributes removed.
#
#   bash bench/named-dist.sh [OUT]     (default target/named-dist; after `trunk build --release`)
#   E2E_DIST=target/named-dist node bench/profile-edits.mjs
set -euo pipefail
cd "$(dirname "$0")/.."
# The project's wasm-bindgen and wasm-opt (node_modules/.bin), as scripts/build.sh uses them.
. scripts/env.sh
out=${1:-target/named-dist}
wasm=target/wasm32-unknown-unknown/wasm-release/impersonation-web.wasm
[ -f "$wasm" ] && [ -f dist/index.html ] || { echo "named-dist: run trunk build --release first" >&2; exit 1; }
rm -rf "$out" && cp -r dist "$out"
tmp=$(mktemp -d)
wasm-bindgen --target web --no-typescript --keep-debug --out-dir "$tmp" "$wasm"
base=$(basename "$(ls "$out"/*_bg.wasm)" _bg.wasm)
# The flags of index.html's data-wasm-opt-params, with -Oz and names kept.
params=$(sed -n 's/.*data-wasm-opt-params="\([^"]*\)".*/\1/p' index.html)
# shellcheck disable=SC2086
wasm-opt -Oz -g $params -o "$out/${base}_bg.wasm" "$tmp/impersonation-web_bg.wasm"
cp "$tmp/impersonation-web.js" "$out/$base.js"
sed -i 's/ integrity=\("[^"]*"\|[^ >]*\)//g' "$out/index.html"
rm -rf "$tmp"
echo "named-dist: $out"
