// The sequence diagram in Chromium (issue #13, items 1 and 2): for every preset, light and dark,
// 1280 and 390 px wide, no two text boxes (texts and pills, by getBBox) overlap each other, a
// token bar or an arrow head, and none leaves its SVG's viewBox; the zoom buttons, keys and
// Ctrl+wheel change the scale; fit to width fits; full screen toggles; the SVG export is the
// CLI's picture byte for byte and the PNG export is a PNG of twice its size. Screenshots of every
// diagram land in e2e/screenshots/diagram-*.png.
//
// Run after `trunk build --release`: node --test e2e/diagram.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, SCREENSHOT_DIR, screenshot, withPage } from './lib.mjs';
import { sLink } from './scenarios.mjs';

const PRESET_DIR = join(ROOT, 'core', 'presets');
const presets = readdirSync(PRESET_DIR)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => ({ id: f.replace(/\.json$/, ''), json: readFileSync(join(PRESET_DIR, f), 'utf8') }));

/** What `impsim render - --svg` writes for a scenario (built by cargo if needed). */
function cliSvg(json) {
  return execFileSync('cargo', ['run', '-q', '-p', 'impersonation-core', '--bin', 'impsim', '--', 'render', '-', '--svg'], {
    cwd: ROOT,
    input: json,
    encoding: 'utf8',
  });
}

/**
 * Every problem of the first diagram on the page, checked in the page: text boxes (a pill counts
 * as its rounded box, its text inside it) that overlap another text box, a token bar or an arrow
 * head, or leave their SVG's viewBox. The two SVGs (header and rows) share one coordinate space:
 * the rows' viewBox starts where the header's ends.
 */
function diagramProblems() {
  const frame = document.querySelector('.diagram');
  const problems = [];
  const boxes = [];
  for (const svg of frame.querySelectorAll('svg')) {
    const vb = svg.viewBox.baseVal;
    const add = (el, what, text) => {
      const b = el.getBBox();
      const box = { x: b.x, y: b.y, r: b.x + b.width, b: b.y + b.height, what, text };
      if (text && (box.x < vb.x - 0.5 || box.y < vb.y - 0.5 || box.r > vb.x + vb.width + 0.5 || box.b > vb.y + vb.height + 0.5)) {
        problems.push(`${what} outside the viewBox: ${JSON.stringify(box)}`);
      }
      boxes.push(box);
    };
    for (const t of svg.querySelectorAll('text')) {
      if (t.parentElement.classList.contains('pill')) continue;
      add(t, `text "${t.textContent}"`, true);
    }
    for (const p of svg.querySelectorAll('g.pill')) {
      const rect = p.querySelector('rect');
      const text = p.querySelector('text');
      const [r, t] = [rect.getBBox(), text.getBBox()];
      if (t.x < r.x || t.y < r.y || t.x + t.width > r.x + r.width || t.y + t.height > r.y + r.height) {
        problems.push(`pill text "${text.textContent}" outside its pill`);
      }
      add(rect, `pill "${text.textContent}"`, true);
    }
    for (const b of svg.querySelectorAll('rect.bar')) add(b, 'token bar', false);
    for (const h of svg.querySelectorAll('polygon.head')) add(h, 'arrow head', false);
  }
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const [a, b] = [boxes[i], boxes[j]];
      if (!a.text && !b.text) continue;
      const w = Math.min(a.r, b.r) - Math.max(a.x, b.x);
      const h = Math.min(a.b, b.b) - Math.max(a.y, b.y);
      if (w > 0.01 && h > 0.01) problems.push(`${a.what} overlaps ${b.what}`);
    }
  }
  const texts = boxes.filter((b) => b.text).length;
  return { problems, texts };
}

for (const colorScheme of ['light', 'dark']) {
  for (const viewport of [{ width: 1280, height: 800 }, { width: 390, height: 844 }]) {
    test(`every preset's diagram, ${colorScheme}, ${viewport.width} px: no text box overlaps another, a bar or an arrow head`, () =>
      withPage(
        async ({ page, context }) => {
          for (const p of presets) {
            // A fresh page per preset: the link opens without asking about saved work.
            const tab = await context.newPage();
            const errors = [];
            tab.on('pageerror', (e) => errors.push(e.message));
            tab.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
            await tab.goto(new URL(sLink(p.json), page.url()).href);
            await tab.locator('.diagram-body g.row').first().waitFor();
            const { problems, texts } = await tab.evaluate(diagramProblems);
            assert.ok(texts > 5, `${p.id}: the diagram has texts (${texts})`);
            assert.deepEqual(problems, [], `${p.id} (${colorScheme}, ${viewport.width} px)`);
            await tab.locator('.diagram').screenshot({ path: join(SCREENSHOT_DIR, `diagram-${p.id}-${colorScheme}-${viewport.width}.png`) });
            assert.deepEqual(errors, [], `${p.id}: page errors`);
            await tab.close();
          }
        },
        { colorScheme, viewport },
      ));
  }
}

const ntlm = presets.find((p) => p.id === 'ntlm-double-hop');

/** The picture's natural width, its drawn width, and its scroll area's width and content width. */
const widths = (page) =>
  page.evaluate(() => {
    const scroll = document.querySelector('.diagram-scroll');
    return {
      natural: Number(document.querySelector('.diagram').dataset.width),
      drawn: Number(document.querySelector('.diagram-body').getAttribute('width')),
      pane: scroll.clientWidth,
      content: scroll.scrollWidth,
    };
  });

/** The zoom `View::zoom_for` gives a picture before the person picks one (MIN_FIT = 0.6). */
const fitted = ({ natural, pane }) => (natural > pane ? Math.max(pane / natural, 0.6) : 1);

for (const [name, viewport, prefix] of [
  ['1280x800', { width: 1280, height: 800 }, ''],
  ['390 px phone', { width: 390, height: 844 }, ''],
  ['400 px embed', { width: 400, height: 400 }, '?embed=1'],
]) {
  test(`${name}: a picture wider than its pane is fitted to it by default, never below a readable 60 %`, () =>
    withPage(
      async ({ page, context }) => {
        const seen = [];
        for (const p of presets) {
          const tab = await context.newPage();
          await tab.goto(new URL(prefix + sLink(p.json), page.url()).href);
          await tab.locator('.diagram-body g.row').first().waitFor();
          const w = await widths(tab);
          const zoom = fitted(w);
          assert.equal(w.drawn, Math.round(w.natural * zoom), `${p.id}: ${JSON.stringify(w)}`);
          assert.equal(await tab.locator('.diagram-tools button').nth(1).textContent(), `${Math.round(zoom * 100)}%`);
          // Fitted whole: no sideways scrolling; else scrolling only for what 60 % cannot fit.
          if (w.natural * 0.6 <= w.pane) assert.ok(w.content <= w.pane, `${p.id} scrolls sideways: ${JSON.stringify(w)}`);
          else assert.equal(w.content, Math.round(w.natural * 0.6), p.id);
          seen.push(zoom < 1);
          await tab.close();
        }
        assert.ok(seen.some((x) => x), 'some picture is wider than its pane');
      },
      { viewport },
    ));
}

test('the fitted zoom follows the pane; a zoom the person picks is kept through resizes and edits', () =>
  withPage(
    async ({ page }) => {
      await page.locator('.diagram-body g.row').first().waitFor();
      const before = await widths(page);
      assert.ok(before.drawn < before.natural, JSON.stringify(before));
      // A wider window: a wider pane, the picture fitted again (or at 100 % once it fits).
      await page.setViewportSize({ width: 2200, height: 800 });
      await page.waitForFunction((d) => Number(document.querySelector('.diagram-body').getAttribute('width')) !== d, before.drawn);
      const wide = await widths(page);
      assert.equal(wide.drawn, Math.round(wide.natural * fitted(wide)), JSON.stringify(wide));
      assert.ok(wide.content <= wide.pane, JSON.stringify(wide));
      // Zoom in: the person's choice, kept when the window narrows again and after an edit.
      await page.getByRole('button', { name: 'Zoom in' }).click();
      const chosen = (await widths(page)).drawn;
      assert.ok(Math.abs(chosen - wide.natural * fitted(wide) * 1.25) <= 1, `${chosen}`);
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      assert.equal((await widths(page)).drawn, chosen);
      const select = page.locator('[name="run.steps[0].steps[0].do"]');
      await select.selectOption('whoami');
      await page.locator('.diagram-body g.row').first().waitFor();
      const after = await widths(page);
      assert.ok(Math.abs(after.drawn - after.natural * 1.25 * fitted(wide)) <= 1, JSON.stringify(after));
    },
    { url: sLink(ntlm.json) },
  ));

test('zoom: the buttons, the keys (+, -, 0) and Ctrl+wheel change the scale; fit to width fits', () =>
  withPage(
    async ({ page }) => {
      const body = page.locator('.diagram-body');
      await body.locator('g.row').first().waitFor();
      const natural = Number((await page.locator('.diagram').getAttribute('data-width')));
      const width = async () => Number(await body.getAttribute('width'));
      // Wider than its pane at 1280 px: fitted (see the tests above); reset shows it at 100 %.
      assert.ok((await width()) < natural);
      await page.getByRole('button', { name: 'Reset zoom' }).click();
      assert.equal(await width(), Math.round(natural));
      await page.getByRole('button', { name: 'Zoom in' }).click();
      assert.equal(await width(), Math.round(natural * 1.25));
      await page.getByRole('button', { name: 'Zoom out' }).click();
      await page.getByRole('button', { name: 'Zoom out' }).click();
      assert.equal(await width(), Math.round(natural * 0.8));
      await page.getByRole('button', { name: 'Reset zoom' }).click();
      assert.equal(await width(), Math.round(natural));
      // Keys, with the diagram focused.
      await page.locator('.diagram-scroll').focus();
      await page.keyboard.press('+');
      assert.equal(await width(), Math.round(natural * 1.25));
      await page.keyboard.press('-');
      await page.keyboard.press('-');
      assert.equal(await width(), Math.round(natural * 0.8));
      await page.keyboard.press('0');
      assert.equal(await width(), Math.round(natural));
      assert.equal(await page.getByRole('button', { name: 'Reset zoom' }).textContent(), '100%');
      // Ctrl+wheel over the diagram zooms (and does not scroll the page).
      const box = await body.boundingBox();
      await page.mouse.move(box.x + 40, box.y + 40);
      await page.keyboard.down('Control');
      await page.mouse.wheel(0, -100);
      await page.keyboard.up('Control');
      await page.waitForFunction((w) => Number(document.querySelector('.diagram-body').getAttribute('width')) > w, Math.round(natural));
      // Fit to width: the picture as wide as the scroll area.
      await page.getByRole('button', { name: 'Fit to width' }).click();
      const scroller = await page.locator('.diagram-scroll').evaluate((el) => el.clientWidth);
      assert.ok(Math.abs((await width()) - scroller) <= 1, `${await width()} fits ${scroller}`);
      // Arrow keys select events.
      await page.locator('.diagram-scroll').focus();
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowDown');
      assert.equal(await body.locator('g.row.selected').getAttribute('data-index'), '1');
      // Full screen (the Fullscreen API, or where it is missing the frame over the window), and back.
      const isFull = () => page.evaluate(() => document.fullscreenElement?.classList.contains('diagram') || !!document.querySelector('.diagram.full'));
      await page.getByRole('button', { name: 'Full screen' }).click();
      await page.waitForFunction(() => document.fullscreenElement || document.querySelector('.diagram.full'));
      assert.ok(await isFull());
      const full = await page.locator('.diagram').boundingBox();
      assert.ok(full.width >= 1279 && full.height >= 799, JSON.stringify(full));
      await page.getByRole('button', { name: 'Full screen' }).click();
      await page.waitForFunction(() => !document.fullscreenElement && !document.querySelector('.diagram.full'));
    },
    { url: sLink(ntlm.json) },
  ));

test('export: the SVG is the CLI picture byte for byte; the PNG is twice its size', () =>
  withPage(
    async ({ page }) => {
      await page.locator('.diagram-body g.row').first().waitFor();
      const [svgDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export as SVG' }).click()]);
      assert.equal(svgDownload.suggestedFilename(), 'ntlm-double-hop.svg');
      const svg = readFileSync(await svgDownload.path(), 'utf8');
      assert.equal(svg, cliSvg(ntlm.json));
      const [pngDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export as PNG' }).click()]);
      assert.equal(pngDownload.suggestedFilename(), 'ntlm-double-hop.png');
      const png = readFileSync(await pngDownload.path());
      assert.equal(png.subarray(1, 4).toString(), 'PNG');
      const [w, h] = [/ width="(\d+(?:\.\d+)?)"/.exec(svg)[1], / height="(\d+(?:\.\d+)?)"/.exec(svg)[1]];
      assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [2 * Math.ceil(w), 2 * Math.ceil(h)]);
      await screenshot(page, 'diagram-page-ntlm-light');
    },
    { url: sLink(ntlm.json) },
  ));
