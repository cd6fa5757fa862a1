#!/usr/bin/env bash
# THE bench command (issue #6): prints every performance and size figure next to its budget.
#
#   bash scripts/bench.sh            everything (about 6 minutes on 2 cores)
#   BENCH=engine,wasm bash scripts/bench.sh   a subset: engine, wasm, browser, size
#
# Figures are measured, not asserted in tests: run this on a quiet machine and copy the
# figures into the README. The exit status is 1 when a budget is not met.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh >/dev/null
. scripts/env.sh
BENCH=${BENCH:-engine,wasm,browser,size}
want() { [[ ",$BENCH," == *",$1,"* ]]; }
status=0

if want engine || want wasm; then
  echo "== engine and CLI (budget: CLI >= 1M steps/s; twice the work <= 2.4x the time), then the"
  echo "   fix finder (budget: 50 ms a preset, 500 ms for 10 processes and 40 steps)"
  cargo build -q --release -p impersonation-core --bin impsim --example bench
  ./target/release/examples/bench || status=1
fi

if want wasm; then
  echo
  echo "== the same scenarios in wasm under Node (budget: within 2x of native)"
  wasm-pack build core --release --target nodejs --out-dir pkg-node --mode no-install --no-opt >/dev/null 2>&1 \
    || wasm-pack build core --release --target nodejs --out-dir pkg-node --mode no-install --no-opt
  node --max-old-space-size=8192 bench/wasm.mjs || status=1
fi

if want browser || want size; then
  bash scripts/build.sh >/dev/null 2>&1 || bash scripts/build.sh
fi

if want browser; then
  # The fix finder is timed through the playground's worker (dist/fixer/), also on the native
  # bench's generated scenario.
  [[ -f target/bench/fix-10x40.json ]] || {
    cargo build -q --release -p impersonation-core --example bench
    ./target/release/examples/bench --fix >/dev/null || true
  }
  echo
  echo "== browser timings in headless Chromium (and the fix finder: budget 250 ms a preset)"
  node bench/browser.mjs || status=1
fi

if want size; then
  echo
  echo "== playground size (budget: wasm + js + css after gzip -9 <= 256 KiB)"
  bash scripts/size.sh dist || status=1
  # The floor: Yew and the whole core behind a textarea (web/examples/floor.rs), built and
  # optimised as the playground is. What no UI on this stack can go below.
  cargo build -q -p impersonation-web --example floor --target wasm32-unknown-unknown --profile wasm-release
  floor=target/floor
  rm -rf "$floor" && mkdir -p "$floor"
  wasm-bindgen --target web --no-typescript --out-dir "$floor" target/wasm32-unknown-unknown/wasm-release/examples/floor.wasm
  opt_params=$(sed -n 's/.*data-wasm-opt-params="\([^"]*\)".*/\1/p' index.html)
  # shellcheck disable=SC2086 # the parameters are words
  wasm-opt -Oz $opt_params "$floor/floor_bg.wasm" -o "$floor/floor_bg.wasm"
  node scripts/shrink.mjs "$floor" # as Trunk's hook does for the playground
  floor_gz=$(($(gzip -9 -c "$floor/floor_bg.wasm" | wc -c) + $(gzip -9 -c "$floor/floor.js" | wc -c)))
  echo "floor: ${floor_gz} B gzip -9 (wasm + js) for Yew and the core behind a bare textarea (web/examples/floor.rs)"
fi

exit $status
