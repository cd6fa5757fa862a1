// Browser timings in headless Chromium (issue #6 item 4 and 5), printed against their budgets,
// after a gauge of the machine's speed at the moment (a fixed CPU loop, to compare runs by):
// - navigation to the first outcome on screen (budget 300 ms), for a preset link;
// - an edit to the updated outcome on screen for a 200-step scenario (budget 16 ms for both the
//   median and the maximum over 21 edits): from the change event to the page re-rendered by Yew,
//   restyled and laid out. The first edit after opening is one of the 21 and is also printed
//   alone; it comes PAUSE ms (default 1000) after the first outcome, as a person's does at the
//   earliest (the page's own idle-time work runs in that pause; the bench warms nothing up).
//   Then RUNS (default 4) more runs of the 21 edits, each in a fresh page: how often the maximum
//   is within the budget, a machine's noise being what it is (a figure, not a budget). CPU=<rate>
//   slows the edits' pages that many times, to see the budget's margin;
// - the same for 2,000 steps (stays responsive: budget 100 ms);
// - the first outcome on screen over a throttled link (1.6 Mbit/s down, 750 kbit/s up, 150 ms
//   round trip, cache disabled: a cold visit on a slow mobile link), aim 2,500 ms (issue #13).
// - the fix finder (issue #16 item 6) as users get it: through the playground's worker module
//   (dist/fixer/worker.js, which hands the search to its search worker), from a request posted by
//   the page to its answer back (the search, the proposals applied and written as markup, and
//   the messages), the median of 11 on every preset (budget 250 ms), and on
//   target/bench/fix-10x40.json, which the native bench writes, when it is there; and the first
//   answer, which also starts the workers and downloads and compiles the module.
// Needs dist/ (bash scripts/build.sh). Figures, not assertions: the exit code says whether the
// budgets were met.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { withPage, launchBrowser, baseUrl, ROOT } from '../e2e/lib.mjs';
import { presetScenario as preset, bigScenario as big, sLink as link } from '../e2e/scenarios.mjs';
import { editsAfterOpening } from './edit-loop.mjs';

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)], max: s[s.length - 1] };
};
let ok = true;
const report = (name, value, budget) => {
  const met = value <= budget;
  ok &&= met;
  console.log(`${name.padEnd(52)} ${value.toFixed(1).padStart(8)} ms  (budget ${budget} ms) ${met ? '' : 'NOT MET'}`);
};

// 1. Navigation to the first outcome on screen: the first event row, timed from navigation start
// by a MutationObserver installed before the page's own scripts; `runs` fresh contexts. With
// `slowLink`, over an emulated slow link (Chromium's network emulation through CDP), cold: the
// cache is disabled, so every file comes over the link.
async function firstOutcomes(runs, slowLink) {
  const times = [];
  const browser = await launchBrowser();
  try {
    const target = new URL(link(preset('seed-apartment-nesting')), await baseUrl()).href;
    for (let i = 0; i < runs; i++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      const page = await context.newPage();
      if (slowLink) {
        const cdp = await context.newCDPSession(page);
        await cdp.send('Network.enable');
        await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
        await cdp.send('Network.emulateNetworkConditions', { offline: false, ...slowLink });
      }
      await page.addInitScript(() => {
        new MutationObserver((_, obs) => {
          if (document.querySelector('.event')) {
            window.__firstOutcome = performance.now();
            obs.disconnect();
          }
        }).observe(document, { childList: true, subtree: true });
      });
      await page.goto(target, { timeout: 60_000 });
      await page.locator('.event').first().waitFor({ timeout: 60_000 });
      times.push(await page.evaluate(() => window.__firstOutcome));
      await context.close();
    }
  } finally {
    await browser.close();
  }
  return times;
}
// 0. The machine at the moment, as a gauge to compare runs by (not a budget): the same loop in
// registers each time, median of 5. On this kind of machine the browser's figures vary by the
// hour while this loop does not (docs/performance.md, "A slow hour"): a run whose gauge matches
// an earlier one's but whose browser figures do not was slowed by something else than the CPU.
{
  const loop = [];
  for (let r = 0, x = 1; r < 5; r++) {
    const t = performance.now();
    for (let i = 0; i < 3e7; i++) x = (x * 1103515245 + 12345) | 0;
    loop.push(performance.now() - t + (x === 0.5 ? 1 : 0));
  }
  console.log(`${'machine gauge: a fixed CPU loop (median of 5)'.padEnd(52)} ${stats(loop).median.toFixed(1).padStart(8)} ms  (compare runs)`);
}
report('navigation to first outcome (median of 7)', stats(await firstOutcomes(7)).median, 300);
// 1.6 Mbit/s down, 750 kbit/s up, 150 ms round trip (issue #13: aim 2.5 s).
const slowLink = { latency: 150, downloadThroughput: (1.6e6 / 8) | 0, uploadThroughput: (750e3 / 8) | 0 };
report('first outcome, 1.6 Mbit/s + 150 ms RTT, cold (median of 3)', stats(await firstOutcomes(3, slowLink)).median, 2500);

// 2. Edits: change a step's action and wait until the outcome shows it.
const PAUSE = Number(process.env.PAUSE ?? 1000);
// With CPU=<rate> (say 1.5), the page's main thread is slowed that many times (Chromium's CPU
// throttling, through CDP) once the app has drawn its heading (so the first outcome, the pause and
// the edits, at 200 and 2,000 steps): how much slower a machine the edits' budget survives. Not
// set, nothing is slowed (the budget's figures).
const CPU = Number(process.env.CPU ?? 1);
if (CPU !== 1) console.log(`the edits' page slowed ${CPU} times (CPU=${CPU})`);
// A fresh page, PAUSE ms after its first outcome, then the edit as bench/edit-loop.mjs makes and
// times it, 21 times in a row.
const editRun = (n) =>
  withPage(async ({ page, context }) => {
    if (CPU !== 1) await (await context.newCDPSession(page)).send('Emulation.setCPUThrottlingRate', { rate: CPU });
    return editsAfterOpening(page, PAUSE);
  }, { url: link(big(n)) });
for (const [n, budget] of [[200, 16], [2000, 100]]) {
  const times = await editRun(n);
  if (process.env.VERBOSE) console.log(n, times.map((t) => t.toFixed(1)).join(" "));
  const { median, max } = stats(times);
  // Issue #6 holds both the median and the maximum to the budget; the maximum includes the
  // first edit after opening, shown alone too.
  report(`edit to outcome, ${n} steps (median of 21)`, median, budget);
  report(`edit to outcome, ${n} steps (max of 21)`, max, budget);
  report(`edit to outcome, ${n} steps (the first, ${PAUSE} ms after opening)`, times[0], budget);
  // Which edits went over, numbered from 1: one slow edit on a busy machine, or all of them.
  const over = times.map((t, k) => [k + 1, t]).filter(([, t]) => t > budget);
  if (over.length) console.log(`  over ${budget} ms: ${over.length} of 21 (${over.map(([k, t]) => `#${k} ${t.toFixed(1)} ms`).join(', ')})`);
  // On a noisy machine one run's maximum is a draw: RUNS more runs (default 4 for 200 steps)
  // show how often the maximum is within the budget. A figure, not a budget: the budget is
  // the first run's, above.
  const runs = n === 200 ? Number(process.env.RUNS ?? 4) : 0;
  if (runs > 0) {
    const more = [];
    for (let r = 0; r < runs; r++) more.push(stats(await editRun(n)));
    const within = more.filter((r) => r.max <= budget).length;
    const list = (k) => more.map((r) => r[k].toFixed(1)).join(', ');
    console.log(`  ${runs} more runs of 21: max within ${budget} ms in ${within} of ${runs} (max ${list('max')} ms; median ${list('median')} ms)`);
  }
}
// 4. The fix finder through the playground's worker, in the playground's page.
const presetIds = readdirSync(join(ROOT, 'core/presets')).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).sort();
const bigFixPath = join(ROOT, 'target/bench/fix-10x40.json');
const inputs = presetIds.map((id) => [id, JSON.stringify(preset(id))]);
if (existsSync(bigFixPath)) inputs.push(['10 processes, 40 steps, 3 unmet', readFileSync(bigFixPath, 'utf8')]);
const [first, fixTimes] = await withPage(({ page }) =>
  page.evaluate(async (inputs) => {
    const worker = new Worker('fixer/worker.js', { type: 'module' });
    let id = 0;
    // One request and its answer, timed from the post to the answer's arrival.
    const ask = (scenario) =>
      new Promise((resolve, reject) => {
        const mine = ++id;
        const t = performance.now();
        worker.onmessage = ({ data }) => {
          if (data.id !== mine) return;
          if (data.error) reject(new Error(data.error));
          else resolve(performance.now() - t);
        };
        worker.postMessage({ id: mine, scenario, maxChanges: 3 });
      });
    const first = await ask(inputs[0][1]);
    const rows = [];
    for (const [name, scenario] of inputs) {
      const xs = [];
      for (let i = 0; i < 11; i++) xs.push(await ask(scenario));
      rows.push([name, xs.sort((a, b) => a - b)[5]]);
    }
    worker.terminate();
    return [first, rows];
  }, inputs),
);
console.log(`${`fix finder: first answer (workers, download, compile)`.padEnd(52)} ${first.toFixed(1).padStart(8)} ms`);
for (const [name, ms] of fixTimes) {
  if (name.startsWith('10 processes')) console.log(`${`fix finder: ${name} (median of 11)`.padEnd(52)} ${ms.toFixed(1).padStart(8)} ms  (budget 500 ms native)`);
  else report(`fix finder: ${name} (median of 11)`, ms, 250);
}
if (!existsSync(bigFixPath)) console.log('fix finder: 10 processes, 40 steps: skipped (run `BENCH=browser bash scripts/bench.sh`, whose native bench writes it)');
console.log(`budgets: ${ok ? 'met' : 'NOT MET'}`);
process.exitCode = ok ? 0 : 1;
