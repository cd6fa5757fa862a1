#!/usr/bin/env bash
# The playground's on-demand fix finder (issue #16): the core built with feature `fix-worker`
# only (core/src/fix/worker.rs: `fixes`, JSON in and out), bound for plain ES modules
# (wasm-bindgen --target web) and, for release builds, shrunk by wasm-opt -Oz with the feature
# flags index.html gives the playground's wasm; then put with its worker (web/fixer/*.js) in
# DIR. The playground's own wasm leaves the fix finder out; this module is downloaded only when
# "Make it work" is first opened. scripts/size.sh prints its size apart from the budget's.
#
#   bash scripts/fixer.sh [DIR]   (a post_build hook in Trunk.toml: DIR is $TRUNK_STAGING_DIR/fixer)
set -euo pipefail
cd "$(dirname "$0")/.."
[ -n "${TRUNK_STAGING_DIR:-}" ] || . scripts/env.sh
OUT=${1:-${TRUNK_STAGING_DIR:?give DIR, or run as a Trunk hook}/fixer}

release=${TRUNK_PROFILE:-release}
if [ "$release" = release ]; then profile=wasm-release dir=wasm-release; else profile=dev dir=debug; fi
target=${CARGO_TARGET_DIR:-$PWD/target}
cargo build -q -p impersonation-core --lib --target wasm32-unknown-unknown --profile "$profile" \
  --no-default-features --features fix-worker
bound="$target/fixer/$dir"
wasm-bindgen --target web --no-typescript --out-dir "$bound" --out-name fixer \
  "$target/wasm32-unknown-unknown/$dir/impersonation_core.wasm"
mkdir -p "$OUT"
if [ "$profile" = wasm-release ]; then
  # The --enable-* flags of index.html's data-wasm-opt-params: the features rustc emits.
  mapfile -t features < <(grep -o -- '--enable-[a-z-]*' index.html | sort -u)
  wasm-opt -Oz "${features[@]}" --strip-producers --strip-target-features \
    "$bound/fixer_bg.wasm" -o "$OUT/fixer_bg.wasm"
else
  cp "$bound/fixer_bg.wasm" "$OUT/"
fi
cp "$bound/fixer.js" web/fixer/worker.js web/fixer/paths.js "$OUT/"
