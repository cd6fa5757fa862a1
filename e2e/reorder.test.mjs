// scripts/reorder.mjs, the release build's function order: similar bodies end up side by side,
// and a real wasm comes out valid, with the same functions, exports and imports, and smaller
// after gzip. (That the reordered playground works is what every other e2e test checks: they
// run on the release build.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DIST, ROOT } from './lib.mjs';
import { SEEDS, describedLength, readU32, reorder, sections, similarityOrder } from '../scripts/reorder.mjs';

/// `n` bytes of a deterministic pseudo-random stream from `seed`.
function noise(seed, n) {
  const out = new Uint8Array(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

/// `base` with `edits` bytes changed at spread positions: a near copy.
function variant(base, edits, seed) {
  const out = Uint8Array.from(base);
  const where = noise(seed, edits);
  for (let i = 0; i < edits; i++) out[(where[i] * 7 + i * 61) % out.length] ^= 0x5a;
  return out;
}

test('similar bodies are placed side by side, every body exactly once', () => {
  const a = noise(1, 400);
  const b = noise(2, 400);
  const c = noise(3, 400);
  // Interleaved families: a, b, c, a', b', c', a'', b'', c'' (the largest, a'', starts).
  const list = [a, b, c, variant(a, 3, 4), variant(b, 3, 5), variant(c, 3, 6)];
  list.push(Uint8Array.from([...variant(a, 2, 7), 1]), variant(b, 2, 8), variant(c, 2, 9));
  const order = similarityOrder(list);
  assert.deepEqual([...order].sort((x, y) => x - y), [0, 1, 2, 3, 4, 5, 6, 7, 8]);
  assert.equal(order[0], 6, 'the largest body starts');
  const family = (i) => i % 3;
  const runs = order.map(family).filter((f, i, all) => i === 0 || all[i - 1] !== f);
  assert.deepEqual(runs.length, 3, `families split: ${order.join(' ')}`);
});

/// A wasm's imports (module, name, kind) and exports (name, kind), and its number of bodies.
function shape(wasm) {
  const find = (id) => sections(wasm).find((x) => x.id === id);
  const string = (at) => {
    const [len, start] = readU32(wasm, at);
    return [wasm.subarray(start, start + len).toString(), start + len];
  };
  const imports = [];
  let [count, at] = readU32(wasm, find(2).start);
  while (count--) {
    let module, name;
    [module, at] = string(at);
    [name, at] = string(at);
    const kind = wasm[at++];
    imports.push(`${module}.${name}:${kind}`);
    at += describedLength(wasm, kind, at);
  }
  const exports = [];
  [count, at] = readU32(wasm, find(7).start);
  while (count--) {
    let name;
    [name, at] = string(at);
    const kind = wasm[at++];
    [, at] = readU32(wasm, at);
    exports.push(`${name}:${kind}`);
  }
  return { imports, exports, bodies: readU32(wasm, find(10).start)[0] };
}

// The fix finder's wasm (dist/fixer/) is built by the same release build and is not reordered:
// a real input of the right kind.
const fixer = join(DIST, 'fixer', 'fixer_bg.wasm');

test('a release wasm comes out valid, with the same shape, smaller after gzip, and the smallest of the seeds\' orders', { skip: !existsSync(fixer) && `no ${fixer}: build first` }, async () => {
  const features = [...new Set(readFileSync(join(ROOT, 'index.html'), 'utf8').match(/--enable-[a-z-]+/g))];
  const before = readFileSync(fixer);
  const after = await reorder(before, features);
  assert.ok(WebAssembly.validate(after), 'the reordered wasm is not valid');
  assert.deepEqual(shape(after), shape(before));
  const gz = (b) => gzipSync(b, { level: 9 }).length;
  assert.ok(gz(after) < gz(before), `gzip ${gz(before)} -> ${gz(after)} B`);
  // The budget's measure, GNU gzip: no single seed's order beats the one kept.
  const gnu = (b) => execFileSync('gzip', ['-9', '-c'], { input: b, maxBuffer: 1 << 26 }).length;
  const alone = [];
  for (const seed of SEEDS) alone.push(gnu(await reorder(before, features, [seed])));
  assert.equal(gnu(after), Math.min(...alone), `kept ${gnu(after)} B of ${alone.join(', ')}`);
  assert.ok(new Set(alone).size > 1, `the seeds give different orders: ${alone.join(', ')}`);
  await assert.rejects(reorder(after.subarray(0, 8), features), /no code section/);
});
