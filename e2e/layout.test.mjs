// The result layout and the embeds (issue #13 items 3 and 4), in headless Chromium: at 1280x800
// (and 1024x768) the diagram, the selected event's explanation and its rule's sources are in view
// together; the splitter between editor and result moves by drag and by keyboard and is
// remembered; on a phone, Edit and Result are two views, an event's explanation shows in the
// Result view and "Show in editor" switches to the step; `&step=<label>` selects and scrolls;
// the embed posts its height, the README's snippet sizes the iframe to it, and nothing in a
// 700x400 or 360 px frame is cut. Screenshots land in e2e/screenshots/ (layout-*.png).
//
// Run after `trunk build --release`: node --test e2e/layout.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { ROOT, baseUrl, frameSettled, screenshot, withHostPage, withPage } from './lib.mjs';
import { bigScenario, presetScenario, sLink } from './scenarios.mjs';

const NTLM = sLink(presetScenario('ntlm-double-hop'));
/** The double hop's failing access: the share on FS1 sees ANONYMOUS LOGON. */
const SHARE = 'web-opens-share-on-fs1';
const SPLIT_KEY = 'impersonation-playground/split';

/**
 * In the page: why the element matching `sel` is not wholly in view (outside the window, or
 * scrolled out of an ancestor that clips it), or '' when it is. `sel` ending in " @y": only
 * its top and bottom count (a diagram row is as wide as the whole diagram).
 */
function hiddenPart(what) {
  const onlyY = what.endsWith(' @y');
  const sel = what.replace(/ @y$/, '');
  const el = document.querySelector(sel);
  if (!el) return `${sel}: not found`;
  const r = el.getBoundingClientRect();
  if (r.width === 0 || r.height === 0) return `${sel}: not displayed`;
  const fmt = (b) => `${Math.round(b.left)},${Math.round(b.top)} to ${Math.round(b.right)},${Math.round(b.bottom)}`;
  const outside = (b, what) =>
    (!onlyY && (r.left < b.left - 1 || r.right > b.right + 1)) || r.top < b.top - 1 || r.bottom > b.bottom + 1
      ? `${sel} (${fmt(r)}) is outside ${what} (${fmt(b)})`
      : '';
  let why = outside({ left: 0, top: 0, right: innerWidth, bottom: innerHeight }, 'the window');
  for (let a = el.parentElement; a && !why; a = a.parentElement) {
    const o = getComputedStyle(a);
    if (/auto|scroll|hidden|clip/.test(o.overflowX + o.overflowY)) why = outside(a.getBoundingClientRect(), `.${a.className}`);
  }
  return why;
}

/** Asserts that each selector's element is wholly in view (within 3 s: scrolling takes a frame). */
async function assertInView(page, selectors) {
  for (const sel of selectors) {
    let why;
    for (let i = 0; i < 30 && (why = await page.evaluate(hiddenPart, sel)); i++) await page.waitForTimeout(100);
    assert.equal(why, '', sel);
  }
}

/** Selects the double hop's share access (by `&step=`), opens its first rule and waits for its sources. */
async function openShareRule(page) {
  await page.locator(`.event.selected[data-step="run.steps[0].steps[2]"]`).waitFor();
  await page.locator('section.detail .rule-link').first().click();
  await page.locator('.rule-panel ul.sources a[href^="https://"]').first().waitFor();
}

for (const [w, h] of [[1280, 800], [1024, 768]]) {
  for (const colorScheme of ['light', 'dark']) {
    test(`${w}x${h} ${colorScheme}: diagram, selected event, explanation and rule sources are in view together`, () =>
      withPage(
        async ({ page }) => {
          await openShareRule(page);
          await assertInView(page, [
            '.diagram',
            '.diagram .selected @y',
            'section.detail h3',
            'section.detail .explain',
            '.rule-panel h4',
            '.rule-panel ul.sources',
          ]);
          // Beside or under the diagram, never on top of it.
          const [d, e] = await page.evaluate(() =>
            ['.diagram', 'section.detail'].map((s) => document.querySelector(s).getBoundingClientRect().toJSON()),
          );
          const overlap = Math.min(d.right, e.right) > Math.max(d.left, e.left) && Math.min(d.bottom, e.bottom) > Math.max(d.top, e.top);
          assert.ok(!overlap, `the explanation covers the diagram: ${JSON.stringify({ d, e })}`);
          if (w >= 1280) assert.ok(e.left >= d.right, 'at 1280 px the explanation is beside the diagram');
          assert.ok(d.height >= 180, `the diagram has room: ${d.height} px`);
          // The page itself does not scroll: the panes do.
          assert.deepEqual(
            await page.evaluate(() => [document.documentElement.scrollHeight <= innerHeight, document.documentElement.scrollWidth <= innerWidth]),
            [true, true],
          );
          await screenshot(page, `layout-${w}-${colorScheme}`);
        },
        { url: `?step=${SHARE}${NTLM}`, viewport: { width: w, height: h }, colorScheme },
      ));
  }
}

test('1280x800: the first sentence orients until an event is selected; a selection or two diagrams take its room', () =>
  withPage(
    async ({ page }) => {
      const intro = page.locator('.result-grid > .intro');
      const areas = () => page.evaluate(() => getComputedStyle(document.querySelector('.result-grid')).gridTemplateAreas);
      await page.locator('.event').first().waitFor();
      assert.ok(await intro.isVisible(), 'the intro is shown before any selection');
      assert.match(await areas(), /"title detail"/, 'the explanation column is beside the diagram');
      await page.locator('.event').nth(1).click();
      await page.locator('section.detail:not(.placeholder)').waitFor();
      assert.ok(!(await intro.isVisible()), "a selected event's explanation takes the intro's place");
      // Without a selection again (a reload), then comparing two option sets.
      await page.reload();
      await page.locator('.event').first().waitFor();
      assert.ok(await intro.isVisible());
      await page.getByRole('tab', { name: 'Options' }).click();
      await page.getByRole('button', { name: /B = A with traditional nesting flipped/ }).click();
      await page.locator('.compare figure').nth(1).waitFor();
      assert.ok(!(await intro.isVisible()), "two diagrams side by side take the intro's place");
      const compared = await areas();
      assert.doesNotMatch(compared, /"\w+ \w+"/, `one column: the explanation goes under the two diagrams: ${compared}`);
    },
    { url: sLink(presetScenario('seed-apartment-nesting')), viewport: { width: 1280, height: 800 } },
  ));

test('the splitter moves by drag and by keyboard, within bounds, and is remembered after a reload', () =>
  withPage(
    async ({ page }) => {
      const sep = page.getByRole('separator', { name: 'Editor width' });
      const editorWidth = () => page.locator('section.editor').evaluate((el) => el.getBoundingClientRect().width);
      const value = async () => Number(await sep.getAttribute('aria-valuenow'));
      assert.equal(await value(), 36, 'the editor starts at 36 %');
      assert.equal(await sep.getAttribute('aria-orientation'), 'vertical');
      assert.equal(await page.evaluate((k) => localStorage.getItem(k), SPLIT_KEY), null, 'nothing saved before a move');

      // Drag 200 px to the left.
      const before = await editorWidth();
      const box = await sep.boundingBox();
      const [x, y] = [box.x + box.width / 2, box.y + box.height / 2];
      await page.mouse.move(x, y);
      await page.mouse.down();
      await page.mouse.move(x - 100, y, { steps: 4 });
      await page.mouse.move(x - 200, y, { steps: 4 });
      await page.mouse.up();
      const dragged = await editorWidth();
      assert.ok(Math.abs(before - 200 - dragged) <= 14, `dragged 200 px: ${before} -> ${dragged}`);
      assert.ok((await value()) < 30, `aria-valuenow follows: ${await value()}`);
      // A move without the button pressed does nothing.
      await page.mouse.move(x + 100, y, { steps: 3 });
      assert.equal(await editorWidth(), dragged);

      // Keyboard: arrows by 2 %, Home and End to the bounds.
      await sep.focus();
      const v = await value();
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowRight');
      assert.equal(await value(), v + 4);
      assert.ok((await editorWidth()) > dragged);
      await page.keyboard.press('ArrowLeft');
      assert.equal(await value(), v + 2);
      await page.keyboard.press('Home');
      assert.equal(await value(), 20);
      await page.keyboard.press('End');
      assert.equal(await value(), 75);
      await page.keyboard.press('ArrowRight');
      assert.equal(await value(), 75, 'no further than the bound');
      for (let i = 0; i < 8; i++) await page.keyboard.press('ArrowLeft');
      assert.equal(await value(), 59);
      const kept = await editorWidth();

      await page.reload();
      await page.locator('.event').first().waitFor();
      assert.equal(await value(), 59, 'remembered');
      assert.ok(Math.abs((await editorWidth()) - kept) <= 1, 'the same width after a reload');
      assert.equal(await page.evaluate((k) => localStorage.getItem(k), SPLIT_KEY), '59');
    },
    { url: NTLM },
  ));

/** The colour of the page's pixel at (x, y), from a 1x1 screenshot: `[r, g, b]`. */
async function pixel(page, x, y) {
  const png = await page.screenshot({ clip: { x, y, width: 1, height: 1 } });
  // One IDAT chunk after the 33-byte signature and IHDR; its data inflate to a filter byte and
  // the pixel (8-bit RGB or RGBA).
  let at = 33;
  const idat = [];
  while (at < png.length) {
    const len = png.readUInt32BE(at);
    if (png.toString('latin1', at + 4, at + 8) === 'IDAT') idat.push(png.subarray(at + 8, at + 8 + len));
    at += 12 + len;
  }
  return [...inflateSync(Buffer.concat(idat)).subarray(1, 4)];
}

for (const colorScheme of ['light', 'dark']) {
  test(`1280x800, ${colorScheme}: the editor's panel is drawn beside its scroller, which paints no background of its own`, () =>
    withPage(
      async ({ page }) => {
        // Chromium repaints a scroller's whole background, and rasterises every tile under it,
        // whenever anything inside it is laid out again: with the panel on the editor itself, each
        // edit re-rasterised the whole editor pane (docs/performance.md, "The editor's panel").
        const style = await page.locator('section.editor').evaluate((el) => {
          const s = getComputedStyle(el);
          return { overflowY: s.overflowY, background: s.backgroundColor, image: s.backgroundImage, border: s.borderTopColor };
        });
        assert.equal(style.overflowY, 'auto', 'the editor is the pane that scrolls');
        assert.deepEqual([style.background, style.image, style.border], ['rgba(0, 0, 0, 0)', 'none', 'rgba(0, 0, 0, 0)']);
        // Yet the pane looks like the result's: the same panel colour inside its padding, unlike
        // the page between the panes.
        const [editor, result] = await Promise.all(['section.editor', 'section.result'].map((sel) => page.locator(sel).boundingBox()));
        const mid = Math.round(editor.y + editor.height / 2);
        const inEditor = await pixel(page, Math.round(editor.x + 5), mid);
        const inResult = await pixel(page, Math.round(result.x + 4), mid);
        const between = await pixel(page, Math.round(editor.x - 4), mid);
        assert.deepEqual(inEditor, inResult, 'the editor shows the panel colour');
        assert.notDeepEqual(inEditor, between, 'and the page around it does not');
        // The panel follows the splitter.
        await page.getByRole('separator', { name: 'Editor width' }).focus();
        for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowRight');
        const wider = await page.locator('section.editor').boundingBox();
        assert.ok(wider.width > editor.width + 40, `the editor is wider: ${editor.width} -> ${wider.width}`);
        assert.deepEqual(await pixel(page, Math.round(wider.x + wider.width - 5), mid), inResult, 'its panel too');
        // No element of the chain's rows is drawn with an opacity below 1: each would be a paint
        // effect of its own, which every frame of an edit layerizes (the disabled buttons are
        // greyed by their colour; docs/performance.md, "Kept: no paint effects where a colour does").
        const faded = await page.locator('.steps').evaluate((el) =>
          [...el.querySelectorAll('*')].filter((e) => getComputedStyle(e).opacity !== '1').map((e) => e.outerHTML.slice(0, 80)),
        );
        assert.deepEqual(faded, []);
      },
      { url: NTLM, viewport: { width: 1280, height: 800 }, colorScheme },
    ));
}

test('phone: Edit and Result are two views; an event explains itself in the Result view; "Show in editor" switches to its step', () =>
  withPage(
    async ({ page }) => {
      const editor = page.locator('section.editor');
      const result = page.locator('section.result');
      const view = (name) => page.getByRole('group', { name: 'View' }).getByRole('button', { name });
      await result.locator('.event').first().waitFor();
      assert.equal(await editor.isVisible(), false, 'the Result view first');
      assert.equal(await view('Result').getAttribute('aria-pressed'), 'true');
      await screenshot(page, 'layout-phone-result');

      const row = page.locator('.event[data-step="run.steps[0].steps[2]"]');
      await row.scrollIntoViewIfNeeded();
      await row.click();
      await page.locator('section.detail .explain').waitFor();
      assert.equal(await editor.isVisible(), false, 'still the Result view');
      await assertInView(page, ['section.detail h3', 'section.detail .explain']);
      await screenshot(page, 'layout-phone-selected');

      await page.getByRole('button', { name: 'Show in editor' }).click();
      await editor.waitFor();
      assert.equal(await result.isVisible(), false, 'the Edit view');
      assert.equal(await view('Edit').getAttribute('aria-pressed'), 'true');
      // The focus is on the step's first control, in view.
      await page.waitForFunction(() => document.activeElement?.closest('li.step.open')?.dataset.path === 'run.steps[0].steps[2]');
      const [focused, bar] = await page.evaluate(() =>
        [document.activeElement, document.querySelector('.view-switch')].map((el) => el.getBoundingClientRect().toJSON()),
      );
      assert.ok(focused.top >= bar.bottom && focused.bottom <= 844, `the focused control is in view, below the switch: ${JSON.stringify({ focused, bar })}`);
      await screenshot(page, 'layout-phone-edit');

      await view('Result').click();
      await result.waitFor();
      assert.equal(await editor.isVisible(), false);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
      assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow} px`);
    },
    { url: NTLM, viewport: { width: 390, height: 844 } },
  ));

test('&step=<label> selects that step\'s event and scrolls it into view (playground, long chain)', () => {
  const s = bigScenario(120);
  s.run.steps[100].label = 'far-call';
  return withPage(
    async ({ page }) => {
      const selected = page.locator('.event.selected');
      await selected.waitFor();
      assert.equal(await selected.getAttribute('data-step'), 'run.steps[100]');
      await page.locator('section.detail h3').waitFor();
      assert.match(await page.locator('section.detail').textContent(), /far-call/);
      await assertInView(page, ['.event.selected', '.diagram .selected @y']);
      // The step is open in the editor.
      await page.locator('li.step.open[data-path="run.steps[100]"]').waitFor();
    },
    { url: `?step=far-call${sLink(s)}` },
  );
});

/** The README's snippet that sizes embeds to the height they post. */
function readmeSnippet() {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const m = readme.match(/```html\n(\s*<script>[\s\S]*?impersonation-playground:height[\s\S]*?<\/script>)\n\s*```/);
  assert.ok(m, 'README, Embedding: the resizing snippet');
  return m[1];
}

test('the embed posts its height; the README snippet sizes the iframe to it, and again after a click', async () => {
  const src = `${await baseUrl()}?embed=1&theme=light&step=${SHARE}${NTLM}`;
  await withHostPage(
    `<!doctype html><title>Docs</title><h1>Docs page</h1>
     <script>window.heights = []; addEventListener('message', (e) => window.heights.push(e.data));</script>
     ${readmeSnippet()}
     <iframe id="f" src="${src}" width="700" height="400" style="border:0"></iframe><p style="height:2000px">After the frame.</p>`,
    async ({ page }) => {
      const frame = page.frameLocator('#f');
      await frame.locator('.embed .diagram svg.diagram-body').waitFor();
      const inner = await (await page.$('#f')).contentFrame();
      /** The frame at its content's height, with the last height posted. */
      const settled = async () => {
        const { frame, doc } = await frameSettled(page, '#f');
        const posted = await page.evaluate(() => window.heights.at(-1)?.height);
        assert.equal(posted, frame, 'the frame has the height last posted');
        const content = await inner.evaluate(() => document.body.getBoundingClientRect().height);
        return { posted, doc, content };
      };
      const first = await settled();
      assert.ok(first.posted > 400, `the double hop needs more than 400 px: ${first.posted}`);
      assert.equal(Math.ceil(first.content), first.posted, 'the posted height is the content\'s');
      // `&step=` selected an event without scrolling the host page.
      await frame.locator('.event.selected').waitFor();
      assert.equal(await page.evaluate(() => window.scrollY), 0, 'the host page did not scroll');
      const messages = await page.evaluate(() => window.heights);
      assert.ok(messages.every((m) => m.type === 'impersonation-playground:height' && Number.isInteger(m.height)), JSON.stringify(messages));

      // The rule's text and sources, in the frame, which grows to show them whole.
      await frame.locator('section.detail .rule-link').first().click();
      await frame.locator('.rule-panel ul.sources a').first().waitFor();
      const second = await settled();
      assert.ok(second.posted > first.posted, `grown: ${first.posted} -> ${second.posted}`);
      // Another event's explanation, in place; the frame follows again.
      await frame.locator('.event').first().click();
      await frame.locator('section.detail h3', { hasText: '#1 ' }).waitFor();
      const third = await settled();
      assert.ok(third.posted < second.posted, `shrunk: ${second.posted} -> ${third.posted}`);
      // No scroll area inside the embed but the diagram's own, sideways.
      const scrollers = await inner.evaluate(() =>
        [...document.querySelectorAll('*')]
          .filter((el) => el.scrollHeight > el.clientHeight + 1 && /auto|scroll/.test(getComputedStyle(el).overflowY))
          .map((el) => el.className || el.tagName),
      );
      assert.deepEqual(scrollers, []);
      await screenshot(page, 'layout-embed-host');
    },
    { viewport: { width: 800, height: 700 } },
  );
});

for (const [frameWidth, width, height] of [[360, 390, 760], [700, 800, 700]]) {
  test(`an embed ${frameWidth} px wide sized by the README snippet: a clicked event's explanation is under its row, in the page's view`, async () => {
    // The longest preset: its list is taller than the window, so an explanation drawn above the
    // list (as it was) is out of view when a late event is clicked.
    const src = `${await baseUrl()}?embed=1&theme=light${sLink(presetScenario('cloaking-static-vs-dynamic'))}`;
    await withHostPage(
      `<!doctype html><meta name="viewport" content="width=device-width"><title>Docs</title><h1>Docs page</h1>
       ${readmeSnippet()}
       <iframe id="f" src="${src}" width="${frameWidth}" height="400" style="border:0;display:block"></iframe><p style="height:1500px">After the frame.</p>`,
      async ({ page }) => {
        const frame = page.frameLocator('#f');
        await frame.locator('.embed .diagram svg.diagram-body').waitFor();
        await frameSettled(page, '#f');
        const inner = await (await page.$('#f')).contentFrame();
        /** Why the explanation is not wholly in the host page's window ('' when it is), within 3 s. */
        const detailHidden = async () => {
          let why;
          for (let i = 0; i < 30; i++, await page.waitForTimeout(100)) {
            const top = await page.locator('#f').evaluate((f) => f.getBoundingClientRect().top);
            const [a, b] = await inner.evaluate(() => {
              const r = document.querySelector('section.detail').getBoundingClientRect();
              return [r.top, r.bottom];
            });
            const h = await page.evaluate(() => innerHeight);
            why = top + a >= -1 && top + b <= h + 1 ? '' : `the explanation is at ${Math.round(top + a)}..${Math.round(top + b)} of ${h}`;
            if (!why) break;
          }
          return why;
        };
        const events = frame.locator('.event');
        const n = await events.count();
        assert.ok(n >= 20, `${n} events`);

        // A click on the last row: its explanation right under it, in view.
        await events.nth(n - 1).click();
        await frame.locator(`.event.selected[data-index="${n - 1}"] + section.detail h3`, { hasText: `#${n} ` }).waitFor();
        assert.equal(await detailHidden(), '');
        await screenshot(page, `layout-embed-inline-${frameWidth}`);

        // A click on an arrow far down the diagram, from the top of the page: the page scrolls
        // to the explanation, under the event's row in the list.
        await page.evaluate(() => scrollTo(0, 0));
        await frame.locator(`.diagram-body [data-index="${n - 3}"]`).click();
        await frame.locator(`.event.selected[data-index="${n - 3}"] + section.detail`).waitFor();
        assert.equal(await detailHidden(), '');

        // ↑ in the list: the focus stays on the newly selected row, and the explanation follows.
        await frame.locator('.event.selected').focus();
        await page.keyboard.press('ArrowUp');
        await frame.locator(`.event.selected[data-index="${n - 4}"] + section.detail`).waitFor();
        assert.equal(await inner.evaluate(() => document.activeElement?.dataset.index), String(n - 4));
        assert.equal(await frame.locator('section.detail').count(), 1, 'one explanation');
      },
      { viewport: { width, height } },
    );
  });
}

/**
 * In the page: every element whose own text is cut: past the window's width (unless inside the
 * diagram, which scrolls), or clipped by its own box (ellipsis).
 */
function cutTexts() {
  const cut = [];
  for (const el of document.querySelectorAll('body *')) {
    const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!own || el.closest('.diagram') || el.closest('svg')) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0) continue;
    const name = `${el.tagName.toLowerCase()}.${el.className} "${el.textContent.trim().slice(0, 30)}"`;
    if (r.left < -1 || r.right > innerWidth + 1) cut.push(`${name}: ${Math.round(r.left)}..${Math.round(r.right)} of ${innerWidth}`);
    else if (getComputedStyle(el).overflowX !== 'visible' && el.scrollWidth > el.clientWidth + 1) cut.push(`${name}: clipped ${el.scrollWidth} > ${el.clientWidth}`);
  }
  return cut;
}

for (const [w, h] of [[700, 400], [360, 640]]) {
  for (const colorScheme of ['light', 'dark']) {
    test(`embed in a ${w}x${h} frame (${colorScheme}): no text cut or past the width, an event's explanation in place`, () =>
      withPage(
        async ({ page }) => {
          await page.locator('.embed .diagram svg.diagram-body').waitFor();
          // `&step=` selected the share access and shows its explanation; open its rule.
          await page.locator('section.detail .explain').waitFor();
          await assertInView(page, ['section.detail h3']);
          await openShareRule(page);
          assert.deepEqual(await page.evaluate(cutTexts), []);
          const overflow = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
          assert.ok(overflow <= 0, `the embed scrolls sideways by ${overflow} px`);
          await screenshot(page, `layout-embed-${w}-${colorScheme}`);
          // The last event's explanation, under its row, scrolled into the frame's view.
          await page.locator('.event').last().click();
          await page.locator('.event.selected + section.detail').waitFor();
          await assertInView(page, ['.event.selected', 'section.detail']);
          // A row half scrolled out above, clicked: it comes to the frame's top edge, with no band
          // kept clear above it (the playground's phone view keeps one for its sticky view switch;
          // the embed has none).
          const before = await page.evaluate(() => {
            const row = document.querySelectorAll('.event')[1];
            scrollBy(0, row.getBoundingClientRect().top + 10);
            const top = row.getBoundingClientRect().top;
            row.click();
            return top;
          });
          assert.ok(before < 0, `the row was clicked at ${Math.round(before)} px, not half out of view`);
          await page.locator('.event.selected[data-index="1"] + section.detail').waitFor();
          await assertInView(page, ['.event.selected']);
          await page.waitForTimeout(400);
          const top = await page.locator('.event.selected').evaluate((el) => el.getBoundingClientRect().top);
          assert.ok(top <= 2, `the clicked row is ${Math.round(top)} px below the frame's top`);
        },
        { url: `?embed=1&theme=${colorScheme}&step=${SHARE}${NTLM}`, viewport: { width: w, height: h }, waitForApp: false },
      ));
  }
}
