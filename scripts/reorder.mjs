// Puts the functions of a release wasm in an order that gzip compresses better: each function
// beside the ones whose bytes it resembles most, so that deflate, which finds repeats only in
// the last 32 KB, finds them. wasm-opt's `--reorder-functions-by-name` (index.html) already puts
// the copies of one generic function together; this goes further, across names: the `drop`s of
// similar types, the views that build similar markup, the setters of similar fields.
//
// How: each function body's set of 4-byte substrings is summarised by a MinHash signature
// (512 hashes; two signatures agree in a share of their slots that estimates the sets' Jaccard
// similarity); the order is built greedily, from the largest function, always taking next the
// unplaced function most similar to any of the last four placed. The wasm is given a name
// section that spells that order (`f00000`, `f00001`, ...), and wasm-opt reorders it by name,
// strips the names and writes the same code again (its stack IR optimised as -Oz had it). No
// function changes; only their places and the indices that call them.
//
// The hashes' seed decides which of many near-equal orders comes out, and gzip's result moves by
// about ±0.5 KB with it: a change anywhere in the code moved the download by as much, at random.
// So `SEEDS.length` orders are made (in worker threads), and the one whose wasm is smallest after
// `gzip -9` (the budget's measure) is kept, the first on a tie: deterministic, smaller by the
// spread's lower end, and steadier from one change to the next.
//
// About 5 KB less after gzip -9 on the playground, and a few hundred bytes more for the choice of
// seed (docs/performance.md). Used by scripts/shrink.mjs.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

const GRAM = 4;
const HASHES = 512;
const WINDOW = 4;
/** The hash seeds tried: the first is the one used alone before the choice, then seven more. */
export const SEEDS = [0x9e3779b9, ...Array.from({ length: 7 }, (_, k) => mix(k + 1))];

export function readU32(bytes, at) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const b = bytes[at++];
    value += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if (b < 0x80) return [value, at];
  }
}

export function u32(n) {
  const out = [];
  do {
    let b = n & 0x7f;
    n = Math.floor(n / 128);
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
}

/// The sections of a wasm binary: `{ id, start, end }` of each section's contents.
export function sections(wasm) {
  const out = [];
  let at = 8;
  while (at < wasm.length) {
    const id = wasm[at];
    const [size, body] = readU32(wasm, at + 1);
    out.push({ id, start: body, end: body + size });
    at = body + size;
  }
  return out;
}

/// The length in bytes of an import's description (after its kind byte), at `at`.
export function describedLength(bytes, kind, at) {
  const start = at;
  const limits = () => {
    const flags = bytes[at++];
    [, at] = readU32(bytes, at);
    if (flags & 1) [, at] = readU32(bytes, at);
  };
  switch (kind) {
    case 0: // function: type index
      [, at] = readU32(bytes, at);
      break;
    case 1: // table: reference type, limits
      at += 1;
      limits();
      break;
    case 2: // memory: limits
      limits();
      break;
    case 3: // global: value type, mutability
      at += 2;
      break;
    default:
      throw new Error(`unknown import kind ${kind}`);
  }
  return at - start;
}

/// How many functions the wasm imports (they come first in the function index space).
function importedFunctions(wasm, section) {
  let [count, at] = readU32(wasm, section.start);
  let functions = 0;
  while (count--) {
    for (let s = 0; s < 2; s++) {
      const [len, next] = readU32(wasm, at);
      at = next + len;
    }
    const kind = wasm[at++];
    if (kind === 0) functions++;
    at += describedLength(wasm, kind, at);
  }
  return functions;
}

/// The function bodies of the code section, in order.
function bodies(wasm, section) {
  let [count, at] = readU32(wasm, section.start);
  const out = [];
  while (count--) {
    const [size, body] = readU32(wasm, at);
    out.push(wasm.subarray(body, body + size));
    at = body + size;
  }
  return out;
}

/// murmur3's finaliser: a 32-bit mix.
function mix(h) {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/// Each body's MinHash signature over its distinct 4-byte substrings, `HASHES` slots per body.
/// Bodies shorter than 4 bytes get the same all-zero signature (they sit together).
function signatures(list, seed) {
  const seeds = Uint32Array.from({ length: HASHES }, (_, k) => mix(seed + k));
  const sig = new Uint32Array(list.length * HASHES);
  for (let i = 0; i < list.length; i++) {
    const b = list[i];
    if (b.length < GRAM) continue;
    const grams = new Set();
    for (let p = 0; p + GRAM <= b.length; p++) {
      grams.add((b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24)) >>> 0);
    }
    const min = new Uint32Array(HASHES).fill(0xffffffff);
    for (const g of grams) {
      for (let k = 0; k < HASHES; k++) {
        const h = mix(g ^ seeds[k]);
        if (h < min[k]) min[k] = h;
      }
    }
    sig.set(min, i * HASHES);
  }
  return sig;
}

/// The greedy order: from the largest body, each next the unplaced one agreeing in the most
/// signature slots with one of the last `WINDOW` placed (the first such in the given order), with
/// the signatures of hash seed `seed`.
export function similarityOrder(list, seed = SEEDS[0]) {
  const n = list.length;
  const sig = signatures(list, seed);
  const placed = new Uint8Array(n);
  // The best agreement of each body with the window, per window position (a ring).
  const recent = Array.from({ length: WINDOW }, () => new Int32Array(n));
  let current = 0;
  for (let i = 1; i < n; i++) if (list[i].length > list[current].length) current = i;
  const order = [current];
  placed[current] = 1;
  for (let step = 1; step < n; step++) {
    const agree = recent[step % WINDOW];
    const c = current * HASHES;
    for (let j = 0; j < n; j++) {
      if (placed[j]) continue;
      const o = j * HASHES;
      let same = 0;
      for (let k = 0; k < HASHES; k++) if (sig[c + k] === sig[o + k]) same++;
      agree[j] = same;
    }
    let best = -1;
    let bestScore = -1;
    for (let j = 0; j < n; j++) {
      if (placed[j]) continue;
      let score = 0;
      for (let w = 0; w < WINDOW && w < step; w++) score = Math.max(score, recent[(step - w) % WINDOW][j]);
      if (score > bestScore) {
        bestScore = score;
        best = j;
      }
    }
    order.push(best);
    placed[best] = 1;
    current = best;
  }
  return order;
}

/// `wasm` with a name section naming each defined function after its rank in `order`.
function withRankNames(wasm, imported, order) {
  const rank = new Int32Array(order.length);
  order.forEach((f, r) => (rank[f] = r));
  const entries = [...u32(order.length)];
  for (let f = 0; f < order.length; f++) {
    const name = Buffer.from(`f${String(rank[f]).padStart(5, '0')}`);
    entries.push(...u32(imported + f), ...u32(name.length), ...name);
  }
  const payload = [...u32(4), ...Buffer.from('name'), 1, ...u32(entries.length), ...entries];
  return Buffer.concat([wasm, Buffer.from([0, ...u32(payload.length), ...payload])]);
}

/// The similarity order of `wasm`'s code section's bodies for hash seed `seed`, made in a worker
/// thread.
function orderInWorker(wasm, seed) {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL(import.meta.url), { workerData: { wasm, seed } });
    worker.once('message', resolve);
    worker.once('error', reject);
  });
}

if (!isMainThread && workerData?.seed !== undefined) {
  const wasm = Buffer.from(workerData.wasm);
  const list = bodies(wasm, sections(wasm).find((s) => s.id === 10));
  parentPort.postMessage(similarityOrder(list, workerData.seed));
}

/// The wasm with its functions in the similarity order (of the orders of hash seeds `seeds`, the
/// one smallest after `gzip -9`), by `wasm-opt` (on PATH) with the `features` flags
/// (`--enable-*`) the wasm was optimised with. Prints each seed's size.
export async function reorder(wasm, features, seeds = SEEDS) {
  const all = sections(wasm);
  const code = all.find((s) => s.id === 10);
  const imports = all.find((s) => s.id === 2);
  if (!code) throw new Error('reorder: the wasm has no code section');
  if (all.some((s) => s.id === 0 && wasm.subarray(s.start + 1, s.start + 5).toString() === 'name')) {
    throw new Error('reorder: the wasm already has a name section');
  }
  const imported = imports ? importedFunctions(wasm, imports) : 0;
  const orders = await Promise.all(seeds.map((seed) => orderInWorker(wasm, seed)));
  const dir = mkdtempSync(join(tmpdir(), 'reorder-'));
  try {
    let best;
    for (const [k, order] of orders.entries()) {
      const input = join(dir, 'in.wasm');
      const output = join(dir, 'out.wasm');
      writeFileSync(input, withRankNames(wasm, imported, order));
      execFileSync(
        'wasm-opt',
        [
          ...features,
          '--reorder-functions-by-name',
          '--generate-stack-ir',
          '--optimize-stack-ir',
          '--shrink-level=2',
          '--strip-debug',
          '--strip-producers',
          '--strip-target-features',
          input,
          '-o',
          output,
        ],
        { stdio: ['ignore', 'inherit', 'inherit'] },
      );
      const out = readFileSync(output);
      // The budget's measure (scripts/size.sh): GNU gzip, whose deflate is not zlib's.
      const size = execFileSync('gzip', ['-9', '-c', output], { maxBuffer: 1 << 26 }).length;
      console.log(`reorder: seed ${k + 1} of ${seeds.length}: ${size} B gzip -9`);
      if (!best || size < best.size) best = { out, size };
    }
    return best.out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
