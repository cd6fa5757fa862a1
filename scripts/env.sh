# Sourced by the scripts: puts the project's local tools first on PATH and keeps Trunk and
# wasm-pack from fetching anything of their own.
export PATH="$PWD/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
export TRUNK_SKIP_VERSION_CHECK=true
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
export WASM_BINDGEN_TEST_TIMEOUT="${WASM_BINDGEN_TEST_TIMEOUT:-120}"
# The toolchain of the playground's release build (scripts/build.sh): a pinned nightly that
# rebuilds the standard library for size and aborts at once on a panic (18 KB less to download;
# docs/performance.md). Everything else (tests, clippy, the CLI, the npm package) uses stable.
export SIZE_TOOLCHAIN=nightly-2026-05-20
