#!/usr/bin/env bash
# THE bench command (issue #6): prints every performance and size figure next to its budget.
#
#   bash scripts/bench.sh
#
# Today: the playground's size (the same computation as the test command's size stage,
# scripts/size.sh). The engine benchmarks (1e3..1e6 steps, CLI steps/s, wasm vs native) and
# the browser timings are to be added below, each printing "<figure> <value> (budget <b>)".
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh >/dev/null
. scripts/env.sh

status=0
echo "== playground size (budget: wasm + js + css after gzip -9 <= 150 KB)"
trunk build --release >/dev/null 2>&1 || trunk build --release
bash scripts/size.sh dist || status=1

echo "== engine (TODO: benchmarks at 1e3, 1e4, 1e5, 1e6 steps; budget >= 1M steps/s, x2 work <= 2.4x time)"
echo "== wasm under Node vs native (TODO: budget wasm <= 2x native)"
echo "== browser timings (TODO: navigation to first outcome <= 300 ms; edit to outcome <= 16 ms)"

exit $status
