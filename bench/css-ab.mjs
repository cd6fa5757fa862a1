// What a CSS rule does to an edit's browser work, measured in one page: blocks of edits, in turn
// without and with each rule (inserted through the CSSOM, which the page's CSP allows), each block
// traced. Per edit, by variant: the tiles rasterised and their time, the frames drawn, and the
// main thread's style, layout, prepaint, paint, layerizing and script. All variants see the same
// minutes of the machine, which separate runs on a noisy machine do not. A tool for whoever works
// on edit latency (docs/performance.md, "The editor's panel"); figures, not budgets.
//
//   RULES='[".editor { background: none }"]' node bench/css-ab.mjs
//                                                  each string a variant, one rule or several
//   CHANGE=raw RULES=... node bench/css-ab.mjs     the change alone, without Yew: the same
//                                                  select's value set, no change event
//   CHANGE='document.querySelector(".chip").style.color = k % 2 ? "red" : "blue"' node bench/css-ab.mjs
//                                                  any other CHANGE is a statement run in the
//                                                  page in each edit's place, `k` its number:
//                                                  what one kind of change costs a frame
//   BLOCKS=6 EDITS=20 STEPS=200 VIEWPORT=390x844 node bench/css-ab.mjs
//
// The edit is the bench's (bench/edit-loop.mjs: the second top-level step's `do`, back and
// forth), each followed by two animation frames, so that every edit is painted. Traced figures
// are larger than untraced ones; compare variants, not runs.
//
// Needs dist/ (bash scripts/build.sh).
import { withPage } from '../e2e/lib.mjs';
import { bigScenario as big, sLink as link } from '../e2e/scenarios.mjs';

const rules = JSON.parse(process.env.RULES ?? '[]');
const blocks = Number(process.env.BLOCKS ?? 4);
const edits = Number(process.env.EDITS ?? 20);
const steps = Number(process.env.STEPS ?? 200);
const change = process.env.CHANGE ?? 'edit';
const [width, height] = (process.env.VIEWPORT ?? '1280x800').split('x').map(Number);

// The figures, each the sum of a trace event's durations (`tiles` and `frames` count events).
const FIGURES = [
  ['tiles', /^RasterTask$/, 'count'],
  ['raster', /^RasterTask$/],
  ['frames', /^DirectRenderer::DrawFrame$/, 'count'],
  ['draw', /^DirectRenderer::DrawFrame$/],
  ['style', /^UpdateLayoutTree$/],
  ['layout', /^Layout$/],
  ['prepaint', /^PrePaint$/],
  ['paint', /^Paint$/],
  ['layerize', /^Layerize$/],
  ['script', /^(FunctionCall|EventDispatch)$/],
];

/** In the page: insert `rules` (or none), replacing those this tool inserted before. */
function setRule(rules) {
  const sheet = [...document.styleSheets].find((s) => s.cssRules.length > 10);
  if (window.__abRule != null) sheet.deleteRule(window.__abRule);
  // One variant may hold several rules: inserted as one block.
  window.__abRule = rules ? sheet.insertRule(`@media all { ${rules} }`, sheet.cssRules.length) : null;
}

/** In the page: `n` edits (or `change`s), each followed by two frames. */
async function editAndPaint([n, change]) {
  const frame = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  const other = change === 'edit' || change === 'raw' ? null : new Function('k', change);
  for (let k = 0; k < n; k++) {
    if (other) {
      other(k);
    } else {
      const select = document.querySelector('[name="run.steps[1].do"]');
      select.value = select.value === 'whoami' ? 'revert' : 'whoami';
      if (change === 'edit') select.dispatchEvent(new Event('change', { bubbles: true }));
    }
    await frame();
  }
}

await withPage(
  async ({ page }) => {
    await page.locator('.event').first().waitFor();
    await page.waitForTimeout(1000);
    const cdp = await page.context().newCDPSession(page);
    // One block unmeasured first: the functions the edits run are compiled and optimised.
    await page.evaluate(editAndPaint, [edits, change]);
    const variants = [null, ...rules];
    const totals = variants.map(() => Object.fromEntries(FIGURES.map(([k]) => [k, 0])));
    for (let b = 0; b < blocks; b++) {
      // In turn, and in the opposite order every other block.
      const order = variants.map((_, i) => i);
      if (b % 2) order.reverse();
      for (const i of order) {
        await page.evaluate(setRule, variants[i]);
        await page.waitForTimeout(200);
        const events = [];
        const collect = (d) => events.push(...d.value);
        cdp.on('Tracing.dataCollected', collect);
        const done = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
        await cdp.send('Tracing.start', { categories: 'cc,devtools.timeline,viz', transferMode: 'ReportEvents' });
        await page.evaluate(editAndPaint, [edits, change]);
        await cdp.send('Tracing.end');
        await done;
        cdp.off('Tracing.dataCollected', collect);
        for (const [k, re, how] of FIGURES) {
          const xs = events.filter((e) => e.ph === 'X' && re.test(e.name));
          totals[i][k] += how === 'count' ? xs.length : xs.reduce((t, e) => t + e.dur, 0) / 1000;
        }
      }
    }
    const n = blocks * edits;
    console.log(`per edit, ${n} edits a variant (${{ edit: "the bench's edit", raw: 'the select alone' }[change] ?? change.slice(0, 40)}, ${steps} steps, ${width}x${height}, traced):`);
    console.log(`${'variant'.padEnd(48)} ${FIGURES.map(([k]) => k.padStart(8)).join(' ')}`);
    variants.forEach((v, i) => {
      const cells = FIGURES.map(([k]) => (totals[i][k] / n).toFixed(2).padStart(8));
      console.log(`${(v ?? 'the build as it is').slice(0, 48).padEnd(48)} ${cells.join(' ')}`);
    });
  },
  { url: link(big(steps)), viewport: { width, height } },
);
