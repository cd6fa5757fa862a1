#!/usr/bin/env bash
# Fuzzes the core with cargo-fuzz (issue #7, item 2): the `scenario` target (bytes → parse →
# validate → simulate → serialize), the `link` target (share-link decoding) and the `json` target
# (the core's JSON reader against serde_json, issue #13), one after the other, each for the given
# number of seconds, with one job each.
#
#   bash scripts/fuzz.sh            600 s per target (what a release check runs)
#   bash scripts/fuzz.sh 60         60 s per target
#   bash scripts/fuzz.sh 60 link    one target only
#   MINIMISE=1 bash scripts/fuzz.sh   afterwards, shrink each corpus with `cargo fuzz cmin`
#
# Installs what is missing first, and says so: the nightly toolchain (cargo-fuzz needs it for
# the sanitizer flags) and cargo-fuzz itself (from crates.io). The seed corpus lives in
# fuzz/corpus/<target>/ and grows as the fuzzer finds new paths; what it finds new is written
# there too (review with `git status fuzz/corpus` before committing; MINIMISE=1 keeps it small).
# A crash stops the run: the input is saved under fuzz/artifacts/<target>/ and the script
# prints how to minimise and replay it. Exit status: 0 when every target ran clean.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh

SECONDS_PER_TARGET=${1:-600}
shift || true
TARGETS=("$@")
if [ "${#TARGETS[@]}" -eq 0 ]; then
  TARGETS=(scenario link json)
fi

say() { printf '\033[1mfuzz: %s\033[0m\n' "$*"; }

if ! rustup toolchain list | grep -q '^nightly'; then
  say "installing the nightly toolchain (rustup toolchain install nightly --profile minimal)"
  rustup toolchain install nightly --profile minimal
fi
if ! command -v cargo-fuzz >/dev/null 2>&1; then
  say "installing cargo-fuzz (cargo install cargo-fuzz --locked; a few minutes, once)"
  cargo install cargo-fuzz --locked
fi
say "$(cargo fuzz --version), $(cargo +nightly --version)"

status=0
for target in "${TARGETS[@]}"; do
  corpus=fuzz/corpus/$target
  mkdir -p "$corpus"
  args=(-max_total_time="$SECONDS_PER_TARGET" -print_final_stats=1 -timeout=10 -rss_limit_mb=4096)
  if [ -f "fuzz/$target.dict" ]; then
    args+=(-dict="fuzz/$target.dict")
  fi
  say "running $target for $SECONDS_PER_TARGET s, one job, corpus $corpus ($(ls "$corpus" | wc -l) files)"
  # --fuzz-dir: run from the repository root. -O is cargo-fuzz's default (release + debug
  # assertions); AddressSanitizer is on by default too.
  if cargo +nightly fuzz run --fuzz-dir fuzz "$target" "$corpus" -- "${args[@]}"; then
    say "$target: no crash in $SECONDS_PER_TARGET s"
  else
    status=1
    say "$target: CRASH. The input is in fuzz/artifacts/$target/. Minimise and replay it with:"
    echo "  cargo +nightly fuzz tmin --fuzz-dir fuzz $target fuzz/artifacts/$target/<crash-file>"
    echo "  cargo +nightly fuzz run --fuzz-dir fuzz $target fuzz/artifacts/$target/<minimized-file>"
    echo "then keep the reproducer under fuzz/regressions/$target/ and add an ignored unit test."
  fi
  if [ "${MINIMISE:-0}" = 1 ]; then
    say "minimising $corpus (cargo fuzz cmin)"
    cargo +nightly fuzz cmin --fuzz-dir fuzz "$target" "$corpus"
    say "$corpus: $(ls "$corpus" | wc -l) files, $(du -sh "$corpus" | cut -f1)"
  fi
done
exit $status
