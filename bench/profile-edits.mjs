// Where an edit's time goes in the browser: the same edit as bench/browser.mjs (a step's `do` on
// a large scenario, back and forth), profiled in headless Chromium. Not part of the budgets; a tool
// for whoever works on edit latency (issue #6 item 4).
//
//   node bench/profile-edits.mjs                 CPU profile: the functions taking the most time
//   MODE=trace node bench/profile-edits.mjs      Chromium trace: script, style, layout, paint...
//   MODE=times node bench/profile-edits.mjs      each edit's time alone (no profiler attached)
//   MODE=each node bench/profile-edits.mjs       each edit's time and what its slow part was
//                                                (wasm compilation, GC, script, style, layout)
//   MODE=threads node bench/profile-edits.mjs    the CPU of every browser thread per edit, and
//                                                the tiles rasterised: on two cores the
//                                                compositor's and the raster workers' share
//                                                competes with the edit's
//   STEPS=2000 EDITS=41 node bench/profile-edits.mjs
//   VIEWPORT=390x844 node bench/profile-edits.mjs    a phone's window (default 1280x800): the
//                                                page's phone rules apply, the Edit view shown
//   PAUSE=0 node bench/profile-edits.mjs         the first edit at once, not 1,000 ms after the
//                                                first outcome (a person's earliest; the page's
//                                                idle-time rehearsal of an edit runs in it)
//   WARM=40 node bench/profile-edits.mjs         40 unmeasured edits first, then a 1.5 s pause:
//                                                every function the edits run optimised, the
//                                                lower bound the rehearsal stage aims at
//   SETTLE=50 node bench/profile-edits.mjs       after each edit, a frame and 50 ms before the
//                                                next (a person's pace; by default the edits
//                                                follow each other as fast as they render)
//
// In the CPU profile, functions without a name are shown with their script and position:
// "(anonymous :1:3)" is the edit loop itself, whose forced style and layout land there.
// Which functions V8 optimises during the edits: bench/tier-up.mjs.
//
// Needs dist/ (trunk build --release). Function names need a wasm with its name section: build
// one with `wasm-bindgen --keep-debug` and `wasm-opt --debuginfo`, put it in a copy of dist/ in
// place of the hashed *_bg.wasm, remove the integrity attributes from that copy's index.html, and
// point E2E_DIST at the copy.
import { deflateRawSync } from 'node:zlib';
import { withPage } from '../e2e/lib.mjs';
import { bigScenario as big } from '../e2e/scenarios.mjs';
import { editLoop } from './edit-loop.mjs';

const link = (s) => `#s=${deflateRawSync(Buffer.from(JSON.stringify(s))).toString('base64url')}`;
const steps = Number(process.env.STEPS ?? 200);
const edits = Number(process.env.EDITS ?? 41);
const mode = process.env.MODE ?? 'cpu';
const pause = Number(process.env.PAUSE ?? 1000);

const settle = Number(process.env.SETTLE ?? 0);
const [width, height] = (process.env.VIEWPORT ?? '1280x800').split('x').map(Number);

// Per edit: the top-level tasks' time by kind, between the edit's two console.timeStamp marks.
// Nested events are counted once, under the outermost event of a kind listed here.
const KINDS = [
  ['tasks', /^(RunTask|ThreadControllerImpl::RunTask)$/],
  ['script', /^(FunctionCall|EventDispatch|v8\.callFunction|RunMicrotasks)$/],
  ['compile', /Compile|wasm\.(Compile|Tier|Lazy)|v8\.wasm/i],
  ['gc', /^(MinorGC|MajorGC|V8\.GC_SCAVENGER|V8\.GC_MARK_COMPACTOR|V8\.GCScavenger|V8\.GCFinalizeMC|BlinkGC\.\w+)$/],
  ['style', /UpdateLayoutTree|RecalculateStyles/],
  ['layout', /^Layout$/],
  ['paint', /^LocalFrameView::RunPaintLifecyclePhase$/],
  ['grow', /^wasm\.GrowMemory$/],
];
function eachEdit(events, times) {
  const mark = new Map();
  let mainTid;
  for (const e of events) {
    const m = e.name === 'TimeStamp' && /^edit-(start|end)-(\d+)$/.exec(e.args?.data?.message ?? '');
    if (m) {
      mark.set(`${m[1]}${m[2]}`, e.ts);
      mainTid = e.tid;
    }
  }
  const spans = events.filter((e) => e.ph === 'X' && e.dur);
  const cpus = [];
  for (let k = 0; k < times.length; k++) {
    const [a, b] = [mark.get(`start${k}`), mark.get(`end${k}`)];
    const parts = KINDS.map(([kind, re]) => {
      const inside = spans.filter((e) => e.ts >= a && e.ts < b && re.test(e.name));
      // Each event once: not when another of the same kind on the same thread contains it.
      const outer = inside.filter((e) => !inside.some((o) => o !== e && o.tid === e.tid && o.ts <= e.ts && o.ts + o.dur >= e.ts + e.dur));
      const sum = (xs) => (xs.reduce((t, e) => t + e.dur, 0) / 1000).toFixed(1);
      const main = outer.filter((e) => e.tid === mainTid);
      return `${kind} ${sum(main)}${main.length < outer.length ? ` (+${sum(outer.filter((e) => e.tid !== mainTid))} off-thread)` : ''}`;
    });
    // The main thread's CPU time in its top-level tasks (thread time: what the edit cost this
    // thread, less sensitive than the wall time to other processes on a loaded machine).
    const tasks = spans.filter((e) => e.tid === mainTid && e.ts >= a && e.ts < b && /^(RunTask|ThreadControllerImpl::RunTask)$/.test(e.name) && e.tdur);
    const top = tasks.filter((e) => !tasks.some((o) => o !== e && o.ts <= e.ts && o.ts + o.dur >= e.ts + e.dur));
    const cpu = top.reduce((t, e) => t + e.tdur, 0) / 1000;
    cpus.push(cpu);
    console.log(`edit ${String(k).padStart(2)} ${times[k].toFixed(1).padStart(6)} ms  cpu ${cpu.toFixed(1).padStart(5)}  ${parts.join('  ')}`);
  }
  const s = [...cpus].sort((x, y) => x - y);
  console.log(`main-thread CPU per edit: median ${s[s.length >> 1].toFixed(1)} ms, max ${s[s.length - 1].toFixed(1)} ms (first ${cpus[0].toFixed(1)})`);
}

// Per edit, between the first edit's start mark and the last one's end: each thread's CPU time
// in its top-level tasks (by process and thread name), and the tiles rasterised and their time.
function threads(events, n) {
  const label = new Map();
  const proc = new Map();
  for (const e of events) {
    if (e.ph === 'M' && e.name === 'thread_name') label.set(`${e.pid}:${e.tid}`, e.args.name);
    if (e.ph === 'M' && e.name === 'process_name') proc.set(e.pid, e.args.name);
  }
  const mark = (m) => events.find((e) => e.name === 'TimeStamp' && e.args?.data?.message === m)?.ts;
  const [a, b] = [mark('edit-start-0'), mark(`edit-end-${n - 1}`)];
  const spans = events.filter((e) => e.ph === 'X' && e.dur && e.ts >= a && e.ts < b).sort((x, y) => x.ts - y.ts || y.dur - x.dur);
  const cpu = new Map();
  const end = new Map();
  for (const e of spans) {
    const t = `${e.pid}:${e.tid}`;
    if (e.ts < (end.get(t) ?? 0)) continue;
    end.set(t, e.ts + e.dur);
    const k = `${proc.get(e.pid) ?? e.pid} / ${label.get(t) ?? e.tid}`;
    cpu.set(k, (cpu.get(k) ?? 0) + (e.tdur ?? e.dur));
  }
  console.log(`CPU per edit by thread (${n} edits in ${((b - a) / 1000).toFixed(0)} ms; threads of one name summed):`);
  for (const [k, v] of top(cpu, 8)) console.log(`${(v / 1000 / n).toFixed(2).padStart(8)} ms  ${k}`);
  const raster = spans.filter((e) => e.name === 'RasterTask');
  const draws = spans.filter((e) => e.name === 'DirectRenderer::DrawFrame');
  const per = (xs) => (xs.reduce((t, e) => t + (e.tdur ?? e.dur), 0) / 1000 / n).toFixed(2);
  console.log(`tiles rasterised per edit: ${(raster.length / n).toFixed(1)} (${per(raster)} ms); frames drawn: ${draws.length} (${per(draws)} ms per edit)`);
}

const top = (map, n) => [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, n);
const ms = (us) => (us / 1000).toFixed(1).padStart(8);

await withPage(
  async ({ page }) => {
    await page.locator('.event').first().waitFor();
    await page.waitForTimeout(pause);
    const cdp = await page.context().newCDPSession(page);
    if (process.env.WARM) {
      await page.evaluate(editLoop, [Number(process.env.WARM), 5]);
      await page.waitForTimeout(1500);
    }
    let times;
    if (mode === 'times') {
      times = await page.evaluate(editLoop, [edits, settle]);
      console.log(times.map((t) => t.toFixed(1)).join(' '));
    } else if (mode === 'trace' || mode === 'each' || mode === 'threads') {
      const categories = {
        trace: 'devtools.timeline,v8,blink',
        each: 'devtools.timeline,v8,v8.wasm,blink,blink_gc,disabled-by-default-v8.gc,disabled-by-default-v8.compile,toplevel',
        threads: 'devtools.timeline,toplevel,cc,viz',
      }[mode];
      const events = [];
      cdp.on('Tracing.dataCollected', (d) => events.push(...d.value));
      const done = new Promise((r) => cdp.on('Tracing.tracingComplete', r));
      await cdp.send('Tracing.start', { categories, transferMode: 'ReportEvents' });
      times = await page.evaluate(editLoop, [edits, settle]);
      await cdp.send('Tracing.end');
      await done;
      if (mode === 'each') {
        eachEdit(events, times);
        return;
      }
      if (mode === 'threads') {
        threads(events, edits);
      } else {
        const total = new Map();
        for (const e of events) if (e.ph === 'X' && e.dur) total.set(e.name, (total.get(e.name) ?? 0) + e.dur);
        console.log(`trace events, total ms over ${edits} edits (nested events overlap):`);
        for (const [k, v] of top(total, 30)) console.log(ms(v), k);
      }
    } else {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 50 });
      await cdp.send('Profiler.start');
      times = await page.evaluate(editLoop, [edits, settle]);
      const { profile } = await cdp.send('Profiler.stop');
      const byId = new Map(profile.nodes.map((nd) => [nd.id, nd]));
      const parent = new Map();
      for (const nd of profile.nodes) for (const c of nd.children ?? []) parent.set(c, nd.id);
      const name = (nd) => (nd.callFrame.functionName || `(anonymous ${nd.callFrame.url.split('/').pop()}:${nd.callFrame.lineNumber}:${nd.callFrame.columnNumber})`).replace(/::h[0-9a-f]{16}/, '');
      const self = new Map();
      const inclusive = new Map();
      profile.samples.forEach((id, i) => {
        const dt = profile.timeDeltas[i] ?? 0;
        self.set(name(byId.get(id)), (self.get(name(byId.get(id))) ?? 0) + dt);
        const seen = new Set();
        for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
          const n = name(byId.get(cur));
          if (!seen.has(n)) inclusive.set(n, (inclusive.get(n) ?? 0) + dt);
          seen.add(n);
        }
      });
      console.log(`inclusive ms over ${edits} edits ("(program)" is the browser's own work: style, layout, paint):`);
      for (const [k, v] of top(inclusive, Number(process.env.TOP ?? 40)).filter(([k]) => !process.env.GREP || k.includes(process.env.GREP))) console.log(ms(v), k.slice(0, 160));
      // CALLERS=name: who calls the functions whose name contains it, by inclusive time.
      if (process.env.CALLERS) {
        const by = new Map();
        profile.samples.forEach((id, i) => {
          const dt = profile.timeDeltas[i] ?? 0;
          let cur = id;
          while (cur !== undefined && !name(byId.get(cur)).includes(process.env.CALLERS)) cur = parent.get(cur);
          if (cur === undefined) return;
          while (cur !== undefined && name(byId.get(cur)).includes(process.env.CALLERS)) cur = parent.get(cur);
          const chain = [];
          for (let c = cur; c !== undefined && chain.length < 3; c = parent.get(c)) chain.push(name(byId.get(c)).slice(0, 70));
          by.set(chain.join(' < '), (by.get(chain.join(' < ')) ?? 0) + dt);
        });
        console.log(`callers of ${process.env.CALLERS}:`);
        for (const [k, v] of top(by, 15)) console.log(ms(v), k);
      }
      console.log('self ms:');
      for (const [k, v] of top(self, 25)) console.log(ms(v), k.slice(0, 160));
    }
    const sorted = [...times].sort((a, b) => a - b);
    console.log(`edits: median ${sorted[sorted.length >> 1].toFixed(1)} ms, max ${sorted[sorted.length - 1].toFixed(1)} ms, first ${times[0].toFixed(1)} ms`);
  },
  { url: link(big(steps)), viewport: { width, height } },
);
