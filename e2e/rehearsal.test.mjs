// The edit the playground rehearses in idle time once a scenario is open (issue #13,
// web/src/views/stage.rs): a second playground off the page (the stage) opens the scenario's
// first steps, and a hundred times a `change` event on its rehearsed step's select makes an edit
// there, several in one idle period when it is long enough; then the stage goes. Nothing on the
// page may change: no frame shows another value, the select's options keep their
// state, no element is added, and the work, its undo and its saved state stay as they were. (A
// version that rendered the edit on the page and put it back showed it in a frame, and one that
// sent the page's select an event at the wrong moment made a real edit: this test caught both.)
//
// Run after `trunk build --release`: node --test e2e/rehearsal.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { baseUrl, launchBrowser } from './lib.mjs';
import { bigScenario, sLink } from './scenarios.mjs';

// steps[0] is a call whose first step, an impersonate, is the chain's first step that is not a
// call: the one rehearsed.
const REHEARSED = '[name="run.steps[0].steps[0].do"]';
const SCENARIO = bigScenario(20);

/** In the page, before its scripts: counts the `change` events sent to selects off the page
 * (the stage's edits) and those the page's rehearsed select receives, the changes to its
 * options' `selected` state, and records its value at every animation frame (what a frame would
 * paint). */
function watch(sel) {
  // `change` events sent to selects not in the page: the stage's edits.
  window.__staged = 0;
  const send = EventTarget.prototype.dispatchEvent;
  EventTarget.prototype.dispatchEvent = function (e) {
    if (e.type === 'change' && this.nodeName === 'SELECT' && !this.isConnected) {
      // The first edit comes after the stage's mount.
      if (window.__staged++ === 0) window.__first = document.querySelectorAll('select').length;
    }
    return send.call(this, e);
  };
  window.__replays = 0;
  window.__changes = 0;
  window.__painted = [];
  document.addEventListener('DOMContentLoaded', () => {
    document.addEventListener('change', (e) => { if (e.target.matches?.(sel)) window.__replays++; }, true);
    new MutationObserver((list) => {
      for (const m of list) if (m.target.closest?.(sel)) window.__changes++;
    }).observe(document.body, { subtree: true, attributes: true, attributeFilter: ['selected'] });
    const frame = () => {
      const el = document.querySelector(sel);
      if (el) window.__painted.push(el.value);
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  });
}

test('edits rehearsed after opening change nothing: not the page, not the work', async () => {
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.addInitScript(watch, REHEARSED);
    await page.goto(new URL(sLink(SCENARIO), await baseUrl()).href);
    await page.locator(REHEARSED).waitFor();
    const undo = page.getByRole('button', { name: 'Undo' });
    const before = [await page.locator('.saved').textContent(), await undo.isDisabled()];
    // The rehearsals run in idle time after the first outcome, a hundred of them, then stop.
    await page.waitForFunction(() => window.__staged >= 100, null, { timeout: 20000 });
    await page.waitForTimeout(500);
    assert.equal(await page.evaluate(() => window.__staged), 100, 'a hundred edits, then no more');
    const [changes, painted] = await page.evaluate(() => [window.__changes, window.__painted]);
    assert.equal(changes, 0, 'the options kept their state');
    const [inPage, inPageAfter, replays] = await page.evaluate(() => [window.__first, document.querySelectorAll('select').length, window.__replays]);
    assert.equal(inPageAfter, inPage, 'the stage added nothing to the page');
    assert.equal(replays, 0, "the page's own select got no event");
    assert.ok(painted.length > 10, `frames were watched: ${painted.length}`);
    assert.deepEqual([...new Set(painted)], ['impersonate'], 'every frame showed the step as it is');
    assert.equal(await page.locator(REHEARSED).inputValue(), 'impersonate');
    assert.deepEqual([await page.locator('.saved').textContent(), await undo.isDisabled()], before, 'saved state and undo as they were');
    // Autosave keeps the scenario opened.
    const stored = await page.evaluate(() => localStorage.getItem('impersonation-playground/scenario'));
    assert.deepEqual(JSON.parse(stored).run, SCENARIO.run);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});
