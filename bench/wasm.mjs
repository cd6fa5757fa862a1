// The same scenarios as the native benchmark, simulated by the wasm build under Node, in the
// same run (issue #6 item 2: wasm within 2x of native). Reads target/bench/native.json, written
// by `cargo run --release --example bench`, and the Node package core/pkg-node.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const core = require(join(ROOT, 'core/pkg-node/impersonation_core.js'));
const native = JSON.parse(readFileSync(join(ROOT, 'target/bench/native.json'), 'utf8'));
const MAX_STEPS = Number(process.env.WASM_BENCH_MAX_STEPS ?? 1_000_000);

const best = (runs, fn) => {
  let min = Infinity;
  for (let i = 0; i < runs; i++) min = Math.min(min, fn());
  return min;
};

console.log(`${'steps'.padStart(9)} ${'native ms'.padStart(11)} ${'wasm ms'.padStart(11)} ${'wasm st/s'.padStart(12)} ${'ratio'.padStart(7)}`);
let ok = true;
for (const row of native) {
  if (row.steps > MAX_STEPS) continue;
  const text = readFileSync(row.file, 'utf8');
  const runs = row.steps <= 10_000 ? 15 : row.steps <= 200_000 ? 5 : 2;
  let events = 0;
  const ms = best(runs, () => {
    const t = performance.now();
    const outcome = core.simulate(text);
    events = outcome.events.length;
    return performance.now() - t;
  });
  const ratio = ms / row.engine_ms;
  if (row.steps >= 10_000) ok &&= ratio <= 2;
  console.log(
    `${String(row.steps).padStart(9)} ${row.engine_ms.toFixed(1).padStart(11)} ${ms.toFixed(1).padStart(11)} ${Math.round(row.steps / (ms / 1000)).toString().padStart(12)} ${ratio.toFixed(2).padStart(6)}x  (${events} events)`,
  );
}
console.log(`budget: wasm within 2x of native (parse + simulate + outcome out) from 1e4 steps up: ${ok ? 'met' : 'NOT MET'}`);
process.exitCode = ok ? 0 : 1;
