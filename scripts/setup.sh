#!/usr/bin/env bash
# Installs every tool the build and the tests need, and only what is missing.
# Idempotent: a second run only checks versions and takes a few seconds.
# Nothing is downloaded from GitHub: Trunk and wasm-pack are pointed at the local tools
# (see scripts/env.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh

say() { printf '\033[1;34m[setup]\033[0m %s\n' "$*"; }
# Runs an installing command and says how long it took.
timed() {
  local t=$SECONDS
  "$@"
  say "  done in $((SECONDS - t)) s"
}

WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/[^0-9.]/,""); print; exit}' Cargo.lock)
TRUNK_VERSION=0.21.14
WASM_PACK_VERSION=0.15.1

# 1. Rust target and components.
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding Rust target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi
for c in rustfmt clippy; do
  if ! rustup component list --installed | grep -q "^$c"; then
    say "adding Rust component $c"; rustup component add "$c"
  fi
done

# The playground's release build uses a pinned nightly (scripts/build.sh): its standard library
# sources and the wasm target, nothing else (about 10 s to download).
if ! rustup toolchain list | grep -q "^$SIZE_TOOLCHAIN" \
   || ! rustup component list --toolchain "$SIZE_TOOLCHAIN" --installed 2>/dev/null | grep -q '^rust-src' \
   || ! rustup target list --toolchain "$SIZE_TOOLCHAIN" --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  say "installing Rust $SIZE_TOOLCHAIN with rust-src and wasm32 (the playground's size build)"
  timed rustup toolchain install "$SIZE_TOOLCHAIN" --profile minimal -c rust-src -t wasm32-unknown-unknown
fi

# 2. Cargo-installed tools, at exactly the versions that work together here.
have_version() { command -v "$1" >/dev/null 2>&1 && "$1" --version 2>/dev/null | grep -q " $2\b"; }
if ! have_version wasm-bindgen "$WASM_BINDGEN_VERSION" \
   || ! have_version wasm-bindgen-test-runner "$WASM_BINDGEN_VERSION"; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (matches Cargo.lock; a few minutes)"
  # Not --locked: its lockfile pins a crate version the registry no longer serves.
  timed cargo install -q wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi
if ! have_version trunk "$TRUNK_VERSION"; then
  say "installing trunk $TRUNK_VERSION (about 8 minutes)"
  timed cargo install -q --locked trunk --version "$TRUNK_VERSION" --force
fi
if ! have_version wasm-pack "$WASM_PACK_VERSION"; then
  say "installing wasm-pack $WASM_PACK_VERSION (a few minutes)"
  timed cargo install -q --locked wasm-pack --version "$WASM_PACK_VERSION" --force
fi

# 3. Debian's Chromium and its driver (same source package, always in step).
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  say "installing Debian chromium and chromium-driver"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  timed apt-get install -y -qq -o=Dpkg::Use-Pty=0 chromium chromium-driver
fi

# 4. Node packages (Node itself comes with this machine kind; Debian 12's own is too old).
if ! command -v node >/dev/null || [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 18 ]; then
  echo "[setup] Node.js 18 or newer is required (found: $(node --version 2>/dev/null || echo none))" >&2
  exit 1
fi
# Node packages: wasm-opt from binaryen (Debian's is too old) and playwright-core.
# Reinstalled whenever package-lock.json changes (its hash is kept in node_modules).
lock_hash=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -x node_modules/.bin/wasm-opt ] || [ ! -d node_modules/playwright-core ] \
   || [ "$(cat node_modules/.setup-lock-hash 2>/dev/null)" != "$lock_hash" ]; then
  say "installing Node packages of package-lock.json (binaryen's wasm-opt, playwright-core, ...)"
  timed npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_hash" > node_modules/.setup-lock-hash
fi

say "tools ready: $(wasm-bindgen --version), $(trunk --version), $(wasm-pack --version), $(wasm-opt --version | head -1), $(chromium --version 2>/dev/null)"
