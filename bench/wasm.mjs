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

// The fix finder in wasm (issue #16 item 6): median of 11 of core.fixes() on every preset and on
// the generated scenario the native bench wrote (10 processes, 40 steps, 3 unmet expectations),
// against the browser's budget (250 ms a preset); the generated one has only a native budget.
const median = (runs, fn) => {
  const xs = Array.from({ length: runs }, fn).sort((a, b) => a - b);
  return xs[Math.floor(runs / 2)];
};
const fixTime = (scenario) => {
  let proposals = 0;
  const ms = median(11, () => {
    const t = performance.now();
    proposals = core.fixes(scenario).proposals.length;
    return performance.now() - t;
  });
  return { ms, proposals };
};
console.log('\nthe fix finder in wasm under Node (median of 11)');
let fixOk = true;
for (const p of core.presets()) {
  const { ms, proposals } = fixTime(JSON.stringify(p.scenario));
  fixOk &&= ms <= 250;
  console.log(`${p.id.padEnd(34)} ${ms.toFixed(2).padStart(8)} ms  ${proposals} proposals  (budget 250 ms)${ms <= 250 ? '' : ' NOT MET'}`);
}
const big = fixTime(readFileSync(join(ROOT, 'target/bench/fix-10x40.json'), 'utf8'));
console.log(`${'10 processes, 40 steps, 3 unmet'.padEnd(34)} ${big.ms.toFixed(2).padStart(8)} ms  ${big.proposals} proposals  (budget 500 ms native)`);
process.exitCode = ok && fixOk ? 0 : 1;
