#!/usr/bin/env bash
# Builds the playground for release into dist/: `trunk build --release` (the wasm-release
# profile, wasm-opt -Oz, scripts/shrink.mjs) with the pinned nightly of scripts/env.sh, which
# rebuilds the standard library with the playground's size settings and turns a panic into an
# immediate abort (web/crash.js then saves the work and says so). Extra arguments go to Trunk.
# Run scripts/setup.sh first (the serve and test commands do).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
export RUSTUP_TOOLCHAIN="$SIZE_TOOLCHAIN"
export CARGO_UNSTABLE_BUILD_STD=std,panic_abort
# Joined to .cargo/config.toml's flags for the target (the stack size), not replacing them.
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort"
exec trunk build --release "$@"
