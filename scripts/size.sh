#!/usr/bin/env bash
# The playground's transfer size (issue #6, item 3): every .wasm, .js and .css file of the
# built playground, raw and after `gzip -9`, and their gzip total against the budget.
#
#   bash scripts/size.sh [DIST]     (default dist/; build it first with trunk build --release)
#
# Exit status: 0 within the budget, 1 above it, 2 when there is nothing to measure.
# Used by scripts/bench.sh (held to the budget) and scripts/test.sh (the size stage), which sets
# SIZE_CEILING: the bundle is still over the 150 KB budget (issue #6 is open), so the test
# command holds it to a regression ceiling just above today's size instead, and says so.
set -euo pipefail
cd "$(dirname "$0")/.."

DIST=${1:-dist}
BUDGET=$((150 * 1024)) # 150 KB, gzip -9, wasm + JS + CSS

mapfile -t files < <(find "$DIST" -type f \( -name '*.wasm' -o -name '*.js' -o -name '*.css' \) 2>/dev/null | sort)
if [ "${#files[@]}" -eq 0 ] || ! printf '%s\n' "${files[@]}" | grep -q '\.wasm$'; then
  echo "size: no .wasm in $DIST/: build the playground first (trunk build --release)" >&2
  exit 2
fi

raw_total=0
gz_total=0
printf '%-52s %10s %10s\n' "file" "raw B" "gzip -9 B"
for f in "${files[@]}"; do
  raw=$(stat -c %s "$f")
  gz=$(gzip -9 -c "$f" | wc -c)
  raw_total=$((raw_total + raw))
  gz_total=$((gz_total + gz))
  printf '%-52s %10d %10d\n' "${f#"$DIST"/}" "$raw" "$gz"
done
printf '%-52s %10d %10d\n' "total" "$raw_total" "$gz_total"
pct=$((gz_total * 100 / BUDGET))
if [ "$gz_total" -le "$BUDGET" ]; then
  echo "size: ${gz_total} B gzip -9 (wasm + js + css) <= budget ${BUDGET} B (150 KB): ok, ${pct}% of the budget"
else
  echo "size: ${gz_total} B gzip -9 (wasm + js + css) > budget ${BUDGET} B (150 KB): OVER BUDGET by $((gz_total - BUDGET)) B"
  if [ -n "${SIZE_CEILING:-}" ] && [ "$gz_total" -le "$SIZE_CEILING" ]; then
    echo "size: within the regression ceiling ${SIZE_CEILING} B the test command enforces until the budget is met (issue #6)"
    exit 0
  fi
  [ -n "${SIZE_CEILING:-}" ] && echo "size: above the regression ceiling ${SIZE_CEILING} B: the bundle grew"
  exit 1
fi
