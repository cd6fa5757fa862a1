// Which WebAssembly functions V8 optimises (TurboFan) before the edits and during them: the same
// 21 edits as bench/browser.mjs on a 200-step scenario, PAUSE ms (default 1000) after the first
// outcome. Optimising a large function takes a core for up to 130 ms; on a machine with two
// cores, the edits it coincides with wait. Not part of the budgets: a tool for whoever works on
// edit latency or on the rehearsal stage (web/src/views/stage.rs), which exists to move this
// work before a person's first edit.
//
//   bash bench/named-dist.sh && E2E_DIST=target/named-dist node bench/tier-up.mjs
//   N=40 PAUSE=3000 E2E_DIST=target/named-dist node bench/tier-up.mjs
//
// Chromium runs with V8's --trace-wasm-compilation-times, whose lines (function index, tier,
// time) come through Playwright's browser log; the names come from the wasm's name section, so
// use a build that keeps it (bench/named-dist.sh). Per edit it also prints the milliseconds of
// optimisation and of raster work on other threads that fell within the edit, from a trace.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

// The browser's output reaches Node through Playwright's `pw:browser` debug log, on stderr: read
// V8's lines there (and keep them off the terminal). Set before Playwright loads.
process.env.DEBUG = 'pw:browser';
let phase = 'before';
const compiled = { before: [], during: [] };
const write = process.stderr.write.bind(process.stderr);
process.stderr.write = (chunk, ...rest) => {
  const text = String(chunk);
  if (!text.includes('pw:browser')) return write(chunk, ...rest);
  for (const m of text.matchAll(/Compiled function \S+#(\d+) using TurboFan, took (\d+) μs/g)) {
    compiled[phase]?.push([Number(m[1]), Number(m[2]) / 1000]);
  }
  return true;
};
const { chromium } = await import('playwright-core');
const { CHROMIUM, CHROMIUM_ARGS, DIST, baseUrl } = await import('../e2e/lib.mjs');
const { bigScenario: big, sLink: link } = await import('../e2e/scenarios.mjs');
const { editLoop } = await import('./edit-loop.mjs');

const pause = Number(process.env.PAUSE ?? 1000);
const shown = Number(process.env.N ?? 20);

/** The function names of a wasm's name section, by function index. */
function functionNames(bytes) {
  const mod = new WebAssembly.Module(bytes);
  const [section] = WebAssembly.Module.customSections(mod, 'name');
  const names = new Map();
  if (!section) return names;
  const b = new Uint8Array(section);
  let p = 0;
  const leb = () => {
    let r = 0;
    let shift = 0;
    let byte;
    do {
      byte = b[p++];
      r |= (byte & 0x7f) << shift;
      shift += 7;
    } while (byte & 0x80);
    return r >>> 0;
  };
  while (p < b.length) {
    const id = b[p++];
    const end = leb() + p;
    if (id === 1) {
      for (let n = leb(); n > 0; n--) {
        const index = leb();
        const len = leb();
        names.set(index, new TextDecoder().decode(b.subarray(p, p + len)));
        p += len;
      }
    }
    p = end;
  }
  return names;
}

const wasm = readdirSync(DIST).find((f) => f.endsWith('_bg.wasm'));
const names = functionNames(readFileSync(join(DIST, wasm)));
if (!names.size) console.log(`(${wasm} has no name section: functions are shown by index; see bench/named-dist.sh)`);
const short = (i) => (names.get(i) ?? `#${i}`).replace(/\[[0-9a-f]{16}\]/g, '').replace(/impersonation_/g, '').slice(0, 140);

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: [...CHROMIUM_ARGS, '--js-flags=--trace-wasm-compilation-times'],
  chromiumSandbox: false,
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(new URL(link(big(200)), await baseUrl()).href);
  await page.locator('.event').first().waitFor();
  await page.waitForTimeout(pause);
  const cdp = await page.context().newCDPSession(page);
  const events = [];
  cdp.on('Tracing.dataCollected', (d) => events.push(...d.value));
  const done = new Promise((r) => cdp.on('Tracing.tracingComplete', r));
  await cdp.send('Tracing.start', { categories: 'v8.wasm,devtools.timeline,disabled-by-default-devtools.timeline,toplevel', transferMode: 'ReportEvents' });
  phase = 'during';
  const times = await page.evaluate(editLoop, [21]);
  // Optimisations the edits started may still be reported a little later.
  await page.waitForTimeout(300);
  phase = 'after';
  await cdp.send('Tracing.end');
  await done;

  for (const when of ['before', 'during']) {
    const xs = compiled[when].sort((a, b) => b[1] - a[1]);
    const total = xs.reduce((t, x) => t + x[1], 0);
    console.log(`optimised ${when} the edits: ${xs.length} functions, ${total.toFixed(0)} ms`);
    for (const [i, ms] of xs.slice(0, shown)) console.log(`${ms.toFixed(1).padStart(8)} ms  ${short(i)}`);
  }
  // Per edit: its time, and the optimisation and raster work (other threads) within it.
  const mark = new Map();
  for (const e of events) {
    const m = e.name === 'TimeStamp' && /^edit-(start|end)-(\d+)$/.exec(e.args?.data?.message ?? '');
    if (m) mark.set(`${m[1]}${m[2]}`, e.ts);
  }
  const spans = events.filter((e) => e.ph === 'X' && e.dur);
  const within = (a, b, re) => spans.filter((e) => re.test(e.name)).reduce((t, e) => t + Math.max(0, Math.min(b, e.ts + e.dur) - Math.max(a, e.ts)), 0) / 1000;
  console.log('edit     ms  optimising  raster (ms of other threads within the edit)');
  times.forEach((t, k) => {
    const [a, b] = [mark.get(`start${k}`), mark.get(`end${k}`)];
    console.log(`${String(k + 1).padStart(4)} ${t.toFixed(1).padStart(6)} ${within(a, b, /^wasm\.TopTierCompilation$/).toFixed(1).padStart(11)} ${within(a, b, /^RasterTask$/).toFixed(1).padStart(7)}`);
  });
} finally {
  await browser.close();
}
