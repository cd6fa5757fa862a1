#!/usr/bin/env bash
# THE serve command: installs what is missing (scripts/setup.sh), builds the playground with
# the size profile (scripts/build.sh: trunk build --release, wasm-opt -Oz) and serves dist/ on
# http://127.0.0.1:8080 until interrupted (Ctrl-C).
#
#   bash scripts/serve.sh            build, then serve
#   PORT=9000 bash scripts/serve.sh  another port
#   NO_BUILD=1 bash scripts/serve.sh serve the dist/ already built
#
# For live rebuilds while editing, use `trunk serve` instead (after `. scripts/env.sh`).
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${PORT:-8080}

bash scripts/setup.sh
. scripts/env.sh

if [ -z "${NO_BUILD:-}" ]; then
  echo "[serve] building the playground: scripts/build.sh (trunk build --release, size toolchain)"
  bash scripts/build.sh
fi

# The same static server as the end-to-end tests (correct MIME types, application/wasm).
exec node --input-type=module -e "
import { startServer } from './e2e/lib.mjs';
const s = await startServer({ port: ${PORT} }).catch((e) => {
  console.error('[serve] cannot serve on 127.0.0.1:${PORT}: ' + e.message);
  process.exit(1);
});
console.log('[serve] Impersonation Playground: ' + s.url + ' (Ctrl-C to stop)');
setInterval(() => {}, 1 << 30);
"
