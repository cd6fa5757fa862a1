// Shrinks the wasm-bindgen pair of a built playground, after Trunk (a post_build hook in
// Trunk.toml, release builds only) and for the bench's floor (scripts/bench.sh):
//
// 1. The wasm's imports get short names. wasm-bindgen names each import after the JS function it
//    calls plus a 16-digit hash (`__wbg_addEventListener_f2d27251d333a631`), written twice, in the
//    wasm and in the glue: some 200 imports, random digits that gzip cannot compress. They become
//    `a` ... `Z`, `aa`, `ab` ... in both files, and their module `./<name>_bg.js` becomes `a`.
// 2. Then the wasm's functions are put in an order that gzip compresses better, each beside the
//    ones it resembles (scripts/reorder.mjs: about 5 KB less; of eight such orders, the one
//    whose wasm, names included, is smallest after `gzip -9`).
// 3. The glue is minified with terser (Trunk's own minifier cannot read wasm-bindgen's module).
// 4. index.html's Subresource Integrity hashes of the two files are recomputed, or the browser
//    would refuse them.
//
// Nothing else changes: the same functions are called with the same arguments; only names that
// nobody outside these two files sees, and the places of functions. Issue #13 item 9: 8 KB less
// after gzip for the names, 5 KB for the order.
//
//   node scripts/shrink.mjs DIR    (Trunk's hook: DIR is $TRUNK_STAGING_DIR; debug builds untouched)
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { minify } from 'terser';

import { describedLength, readU32, reorder, sections, u32 } from './reorder.mjs';

const dir = process.argv[2] ?? process.env.TRUNK_STAGING_DIR;
if (!dir) throw new Error('shrink: no directory (give one, or run as a Trunk hook)');
if (process.env.TRUNK_PROFILE && process.env.TRUNK_PROFILE !== 'release') process.exit(0);

const fail = (why) => {
  console.error(`shrink: ${why}`);
  process.exit(1);
};
const wasms = readdirSync(dir).filter((f) => f.endsWith('_bg.wasm'));
if (wasms.length !== 1) fail(`expected one *_bg.wasm in ${dir}, found ${wasms.length}`);
const wasmFile = join(dir, wasms[0]);
const jsFile = wasmFile.replace(/_bg\.wasm$/, '.js');
if (!existsSync(jsFile)) fail(`no ${jsFile} beside ${wasmFile}`);

// --- the wasm binary: LEB128 and the import section (id 2) -------------------------------------

const utf8 = (s) => [...Buffer.from(s, 'utf8')];
const name = (bytes) => [...u32(bytes.length), ...bytes];

/// `a`..`z`, `A`..`Z`, then two letters: short, and valid wherever a JS property name is.
function shortName(i) {
  const letters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
  let s = '';
  for (;;) {
    s = letters[i % 52] + s;
    i = Math.floor(i / 52);
    if (i === 0) return s;
    i -= 1;
  }
}

/// Renames the imports of the glue's module (`./<name>_bg.js`); returns the new binary, the
/// module's name and the map old name -> new name.
function renameImports(wasm) {
  const renamed = new Map();
  let module;
  const out = [wasm.subarray(0, 8)];
  for (const { id, start, end } of sections(wasm)) {
    let section = wasm.subarray(start, end);
    if (id === 2) {
      const [count, first] = readU32(section, 0);
      const next = [...u32(count)];
      let p = first;
      for (let i = 0; i < count; i++) {
        let len;
        [len, p] = readU32(section, p);
        const mod = section.subarray(p, p + len).toString();
        p += len;
        [len, p] = readU32(section, p);
        const field = section.subarray(p, p + len).toString();
        p += len;
        const kind = section[p++];
        const desc = section.subarray(p, p + describedLength(section, kind, p));
        p += desc.length;
        let newMod = mod;
        let newField = field;
        if (mod.startsWith('./') && mod.endsWith('_bg.js')) {
          if (module !== undefined && mod !== module) fail(`two glue modules: ${module}, ${mod}`);
          module = mod;
          newMod = 'a';
          newField = shortName(renamed.size);
          renamed.set(field, newField);
        }
        next.push(...name(utf8(newMod)), ...name(utf8(newField)), kind, ...desc);
      }
      section = Buffer.from(next);
    }
    out.push(Buffer.from([id, ...u32(section.length)]), section);
  }
  if (module === undefined) fail('the wasm imports nothing from a wasm-bindgen glue (./*_bg.js)');
  return [Buffer.concat(out), module, renamed];
}

// --- the glue ----------------------------------------------------------------------------------

const oldWasm = readFileSync(wasmFile);
const oldJs = readFileSync(jsFile, 'utf8');
// The --enable-* flags of index.html's data-wasm-opt-params (the features rustc emits), for the
// reordering's wasm-opt run.
const features = [...new Set(readFileSync('index.html', 'utf8').match(/--enable-[a-z-]+/g) ?? [])];
if (features.length === 0) fail('index.html gives wasm-opt no --enable-* flags');
// Renamed first: the reordering keeps the order whose wasm is smallest after gzip, and the
// names take part in that (deflate's blocks and tables follow from everything before them).
const [renamedWasm, module, renamed] = renameImports(oldWasm);
const newWasm = await reorder(renamedWasm, features);

let js = oldJs;
const moduleKey = `"${module}": import0`;
if (js.split(moduleKey).length !== 2) fail(`the glue does not name its import object ${moduleKey}`);
js = js.replace(moduleKey, '"a": import0');
for (const [from, to] of renamed) {
  // Each import is one key of the import object: `name: function(...)`.
  const key = new RegExp(`^(\\s*)${from}:`, 'm');
  const uses = js.split(from).length - 1;
  if (uses !== 1 || !key.test(js)) fail(`the glue should name ${from} once, as a key; found ${uses}`);
  js = js.replace(key, `$1${to}:`);
}
const minified = await minify(js, { module: true, compress: { passes: 2 }, mangle: true });
if (!minified.code) fail('terser returned nothing');
const newJs = minified.code;

// --- Subresource Integrity ---------------------------------------------------------------------

const sri = (bytes) => `sha384-${createHash('sha384').update(bytes).digest('base64')}`;
const html = join(dir, 'index.html');
if (existsSync(html)) {
  let text = readFileSync(html, 'utf8');
  for (const [before, after] of [
    [sri(oldWasm), sri(newWasm)],
    [sri(Buffer.from(oldJs)), sri(Buffer.from(newJs))],
  ]) {
    if (!text.includes(before)) fail(`index.html has no integrity ${before}: did Trunk change?`);
    text = text.replace(before, after);
  }
  writeFileSync(html, text);
}
writeFileSync(wasmFile, newWasm);
writeFileSync(jsFile, newJs);
const kb = (a, b) => `${a.length} -> ${b.length} B`;
console.log(
  `shrink: ${renamed.size} imports renamed; wasm ${kb(oldWasm, newWasm)}, glue ${kb(oldJs, newJs)}`,
);
