// The edit the playground rehearses in idle time once a scenario is open (issue #13,
// web/src/hooks/use_hash_link.rs and `Action::Rehearse`): it is rendered, so that the person's
// first edit finds the whole edit path compiled, and the page is put back in the same task, so
// no frame ever shows it; the work, its undo and its saved state stay as they were. (It fails
// without the rehearsal's render: nothing changes then.)
//
// Run after `trunk build --release`: node --test e2e/rehearsal.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { baseUrl, launchBrowser } from './lib.mjs';
import { bigScenario, sLink } from './scenarios.mjs';

// steps[0] is a call whose first step, an impersonate, is the chain's first step that is not a
// call: the one rehearsed (as a whoami).
const REHEARSED = '[name="run.steps[0].steps[0].do"]';
const SCENARIO = bigScenario(20);

/** In the page, before its scripts: counts the times the rehearsed step's select had its
 * `whoami` option selected or unselected (the select is drawn with `impersonate` and never
 * changed otherwise), and records its value at every animation frame (what a frame would
 * paint). */
function watch(sel) {
  window.__changes = 0;
  window.__painted = [];
  document.addEventListener('DOMContentLoaded', () => {
    new MutationObserver((list) => {
      for (const m of list) if (m.target.value === 'whoami' && m.target.closest?.(sel)) window.__changes++;
    }).observe(document.body, { subtree: true, attributes: true, attributeFilter: ['selected'] });
    const frame = () => {
      const el = document.querySelector(sel);
      if (el) window.__painted.push(el.value);
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  });
}

test('an edit rehearsed after opening changes the page and back before any frame, and leaves the work as it was', async () => {
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
    // The rehearsals run in idle moments after the first outcome.
    await page.waitForFunction(() => window.__changes >= 2, null, { timeout: 5000 });
    await page.waitForTimeout(1000);
    const [changes, painted] = await page.evaluate(() => [window.__changes, window.__painted]);
    assert.ok(changes >= 2, `the rehearsal changed the page: ${changes} changes`);
    assert.ok(painted.length > 10, `frames were watched: ${painted.length}`);
    assert.deepEqual([...new Set(painted)], ['impersonate'], 'no frame showed the rehearsed edit');
    assert.equal(await page.locator(REHEARSED).inputValue(), 'impersonate');
    assert.deepEqual([await page.locator('.saved').textContent(), await undo.isDisabled()], before, 'saved state and undo as they were');
    // Autosave keeps the scenario opened, never the rehearsed one.
    const stored = await page.evaluate(() => localStorage.getItem('impersonation-playground/scenario'));
    assert.deepEqual(JSON.parse(stored).run, SCENARIO.run);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});
