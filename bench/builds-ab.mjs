// Builds compared in fresh pages, in turn: the bench's 21 edits of the 200-step scenario (as
// bench/browser.mjs makes them, PAUSE ms after the first outcome, default 1000) in N fresh pages
// from each build, the builds alternating in one browser, so that a slow minute of the machine
// falls on all of them. Prints per build how many pages kept all 21 edits within 16 ms, the maxima, and
// the means of the pages' medians, first edits and largest later edits. Not part of the budgets:
// a tool for telling a change of a millisecond from the noise of a shared machine, where single
// runs minutes apart differ by half (docs/performance.md, "Three tries at the edit's tail").
//
//   cp -r dist /tmp/before   # then change, `bash scripts/build.sh`, and:
//   DISTS=/tmp/before,dist N=12 node bench/builds-ab.mjs
import { launchBrowser, startServer } from '../e2e/lib.mjs';
import { bigScenario, sLink } from '../e2e/scenarios.mjs';
import { editsAfterOpening } from './edit-loop.mjs';

const dists = (process.env.DISTS ?? '').split(',').filter(Boolean);
if (dists.length < 1) {
  console.error('builds-ab: set DISTS to the builds\' folders, comma-separated');
  process.exit(2);
}
const pages = Number(process.env.N ?? 8);
const PAUSE = Number(process.env.PAUSE ?? 1000);
const servers = await Promise.all(dists.map((root) => startServer({ root })));
const browser = await launchBrowser();
const runs = dists.map(() => []);
try {
  for (let r = 0; r < pages; r++) {
    for (let k = 0; k < dists.length; k++) {
      const j = (k + r) % dists.length;
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      const page = await context.newPage();
      await page.goto(new URL(sLink(bigScenario(200)), servers[j].url).href);
      runs[j].push(await editsAfterOpening(page, PAUSE));
      await context.close();
    }
  }
} finally {
  await browser.close();
  for (const s of servers) await s.close();
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const mean = (xs) => (xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(2);
dists.forEach((d, j) => {
  const maxima = runs[j].map((t) => Math.max(...t));
  console.log(
    `${d}: max within 16 ms in ${maxima.filter((m) => m <= 16).length} of ${maxima.length} pages`,
    `(${maxima.map((m) => m.toFixed(1)).join(' ')});`,
    `mean of medians ${mean(runs[j].map(median))} ms, of first edits ${mean(runs[j].map((t) => t[0]))} ms,`,
    `of the later edits' maxima ${mean(runs[j].map((t) => Math.max(...t.slice(1))))} ms`,
  );
});
