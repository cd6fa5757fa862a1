// Keyboard and assistive technology (issue #13 items 7 and 8) in Debian's headless Chromium:
// axe-core finds no serious or critical violation on the playground (each editor tab, the
// examples list), the embed and each dialog, light and dark; dialogs keep focus inside, close
// on Escape from anywhere in them and give focus back to what opened them; the editor's tabs
// follow the WAI-ARIA tabs pattern; Alt+arrows keep focus on the moved step; a skip link leads
// to the result; icon buttons have names a person understands; touch targets are 40 px on a
// phone; call rows show the level and package the outcome reports. Screenshots of the first
// screen, the dialogs and the chain editor land in e2e/screenshots/.
//
// Run after `trunk build --release`: node --test e2e/a11y.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { SCREENSHOT_DIR, screenshot, withPage } from './lib.mjs';
import { presetScenario, sLink } from './scenarios.mjs';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const SCHEMES = ['light', 'dark'];
const PHONE = { width: 390, height: 844 };
const doubleHop = sLink(presetScenario('ntlm-double-hop'));

/**
 * Runs axe-core on the page as it is and fails, listing them, on violations of impact serious
 * or critical. axe is evaluated through the DevTools protocol, which the page's CSP (no inline
 * script) does not govern.
 */
async function assertAxe(page, what) {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE);
  const violations = await page.evaluate(async () => (await window.axe.run(document, { resultTypes: ['violations'] })).violations);
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const text = bad
    .map((v) => `${v.id} (${v.impact}): ${v.help}\n${v.nodes.slice(0, 8).map((n) => `    ${n.target.join(' ')}: ${n.failureSummary.replace(/\s+/g, ' ')}`).join('\n')}`)
    .join('\n  ');
  assert.equal(bad.length, 0, `${what}: ${bad.length} serious or critical axe violation(s):\n  ${text}`);
}

/** The accessible description of the focused element: its tag, id, name or text. */
const focused = (page) =>
  page.evaluate(() => {
    const el = document.activeElement;
    return { id: el?.id ?? '', label: el?.getAttribute('aria-label') ?? el?.textContent?.trim() ?? '', inDialog: !!el?.closest('.dialog'), path: el?.closest('li.step')?.dataset.path ?? null, tag: el?.tagName ?? '' };
  });

/** Makes an unsaved edit (a title change), so that opening an example asks first. */
async function editTitle(page) {
  await page.getByRole('tab', { name: 'Cast' }).click();
  await page.locator('[name="title"]').fill('My own scenario');
  await page.locator('[name="title"]').press('Tab');
  await page.getByRole('tab', { name: 'Chain' }).click();
}

/** Opens the question "Replace your work?" by choosing an example over unsaved work. */
async function openConfirm(page) {
  await editTitle(page);
  await page.getByRole('button', { name: /Examples/ }).click();
  await page.locator('.menu-item[data-preset="rbcd"]').click();
  await page.getByRole('alertdialog').waitFor();
}

for (const colorScheme of SCHEMES) {
  test(`axe (${colorScheme}): the playground, its tabs and the examples list have no serious or critical violation`, () =>
    withPage(
      async ({ page }) => {
        await assertAxe(page, 'the playground, Chain tab');
        await page.locator('.event').nth(2).click();
        await assertAxe(page, 'an event selected');
        for (const tab of ['Cast', 'Options']) {
          await page.getByRole('tab', { name: tab }).click();
          await assertAxe(page, `the ${tab} tab`);
        }
        await page.getByRole('button', { name: /Examples/ }).click();
        await assertAxe(page, 'the examples list');
      },
      { colorScheme, url: doubleHop },
    ));

  test(`axe (${colorScheme}): the embed, on a desktop and a phone`, async () => {
    for (const viewport of [{ width: 700, height: 400 }, PHONE]) {
      await withPage(
        async ({ page }) => {
          await page.locator('.embed .event').first().waitFor();
          await page.locator('.event').nth(1).click();
          await assertAxe(page, `the embed at ${viewport.width} px`);
        },
        { colorScheme, viewport, url: `?embed=1${doubleHop}`, waitForApp: false },
      );
    }
  });

  test(`axe (${colorScheme}): the share dialog and the question before replacing work`, () =>
    withPage(
      async ({ page }) => {
        await page.locator('#share-button').click();
        await page.getByRole('button', { name: 'Copy link' }).waitFor();
        await assertAxe(page, 'the share dialog');
        await screenshot(page, `dialog-share-${colorScheme}`);
        await page.keyboard.press('Escape');
        await openConfirm(page);
        await assertAxe(page, 'the question before replacing work');
        await screenshot(page, `dialog-confirm-${colorScheme}`);
        // The question before deleting an entry that steps name.
        await page.keyboard.press('Escape');
        await page.getByRole('tab', { name: 'Cast' }).click();
        await page.getByRole('button', { name: 'Remove process db' }).click();
        await page.getByRole('alertdialog', { name: 'Delete process db?' }).waitFor();
        await assertAxe(page, 'the question before deleting');
      },
      { colorScheme, url: doubleHop },
    ));

  test(`axe (${colorScheme}): the security review and Expect this, on a desktop and a phone`, async () => {
    for (const viewport of [{ width: 1280, height: 800 }, PHONE]) {
      await withPage(
        async ({ page }) => {
          await page.locator('#review-button').click();
          await page.getByRole('dialog', { name: 'Security review' }).locator('.sources a').first().waitFor();
          await assertAxe(page, `the review dialog at ${viewport.width} px`);
          await page.keyboard.press('Escape');
          await page.locator('.event').first().click();
          await page.locator('#expect-this').click();
          await page.locator('section.detail .expectations').waitFor();
          await assertAxe(page, `an expectation set at ${viewport.width} px`);
        },
        { colorScheme, viewport, url: sLink(presetScenario('kerberos-unconstrained')) },
      );
    }
  });

  test(`axe (${colorScheme}): Make it work with a proposal previewed, on a desktop and a phone`, async () => {
    for (const viewport of [{ width: 1280, height: 800 }, PHONE]) {
      await withPage(
        async ({ page }) => {
          await page.locator('#fix-button').click();
          await page.locator('.proposal-pick').first().click();
          await page.locator('li.proposal.chosen').waitFor();
          await assertAxe(page, `the fix panel at ${viewport.width} px`);
          if (viewport.width < 500) await page.getByRole('button', { name: 'See the preview' }).click();
          await page.locator('.compare').waitFor();
          await assertAxe(page, `the fix preview at ${viewport.width} px`);
        },
        { colorScheme, viewport, url: doubleHop },
      );
    }
  });

  test(`axe (${colorScheme}): the playground on a phone`, () =>
    withPage(
      async ({ page }) => {
        await assertAxe(page, 'the playground at 390 px');
      },
      { colorScheme, viewport: PHONE, url: doubleHop },
    ));
}

test('the share dialog keeps focus inside, closes on Escape from any control and gives focus back to Share', () =>
  withPage(
    async ({ page }) => {
      await page.locator('#share-button').focus();
      await page.keyboard.press('Enter');
      await page.getByRole('button', { name: 'Copy link' }).waitFor();
      assert.equal((await focused(page)).label, 'Copy link', 'the first button has focus');
      // Tab goes round the dialog's controls and never leaves it, both ways.
      const seen = new Set();
      for (let i = 0; i < 12; i++) {
        await page.keyboard.press('Tab');
        const f = await focused(page);
        assert.ok(f.inDialog, `Tab ${i + 1} stays in the dialog: ${JSON.stringify(f)}`);
        seen.add(f.id || f.label);
      }
      assert.ok(seen.has('Close') && seen.has('share-link'), `Tab reaches every control: ${[...seen].join(', ')}`);
      for (let i = 0; i < 12; i++) {
        await page.keyboard.press('Shift+Tab');
        assert.ok((await focused(page)).inDialog, `Shift+Tab ${i + 1} stays in the dialog`);
      }
      // A click on the backdrop drops focus to the page; Tab brings it back into the dialog.
      await page.mouse.click(5, 5);
      await page.keyboard.press('Tab');
      assert.ok((await focused(page)).inDialog, 'Tab after a click outside returns to the dialog');
      // Escape from the iframe snippet (a textarea deep in the dialog) closes it.
      await page.locator('#share-iframe').focus();
      await page.keyboard.press('Escape');
      await page.getByRole('dialog').waitFor({ state: 'detached' });
      assert.equal((await focused(page)).id, 'share-button', 'focus is back on Share');
    },
    { url: doubleHop },
  ));

test('the question before replacing work traps focus, Escape keeps the work and focus returns to Examples', () =>
  withPage(
    async ({ page }) => {
      await openConfirm(page);
      assert.equal((await focused(page)).id, 'confirm-keep');
      await page.keyboard.press('Tab');
      assert.equal((await focused(page)).id, 'confirm-replace');
      await page.keyboard.press('Tab');
      assert.equal((await focused(page)).id, 'confirm-keep', 'Tab wraps to the first button');
      await page.keyboard.press('Shift+Tab');
      assert.equal((await focused(page)).id, 'confirm-replace', 'Shift+Tab wraps to the last');
      await page.keyboard.press('Escape');
      await page.getByRole('alertdialog').waitFor({ state: 'detached' });
      assert.equal(await page.locator('.result-title').textContent(), 'My own scenario', 'the work is kept');
      assert.equal((await focused(page)).id, 'examples-button', 'focus is back on Examples');
    },
    { url: doubleHop },
  ));

test('the editor tabs follow the WAI-ARIA tabs pattern: arrows, Home and End move selection and focus', () =>
  withPage(async ({ page }) => {
    const state = () =>
      page.evaluate(() =>
        [...document.querySelectorAll('[role="tablist"] [role="tab"]')].map((t) => ({
          name: t.textContent,
          selected: t.getAttribute('aria-selected'),
          tabindex: t.getAttribute('tabindex'),
          controls: t.getAttribute('aria-controls'),
          focused: document.activeElement === t,
        })),
      );
    const expect = async (name, why) => {
      const tabs = await state();
      for (const t of tabs) {
        const on = t.name === name;
        assert.equal(t.selected, String(on), `${why}: ${t.name} aria-selected`);
        assert.equal(t.tabindex, on ? '0' : '-1', `${why}: ${t.name} tabindex`);
        assert.equal(t.focused, on, `${why}: ${t.name} focus`);
        assert.ok(t.controls && (await page.locator(`#${t.controls}[role="tabpanel"]`).count()) === 1, 'aria-controls names the tab panel');
      }
      assert.equal(await page.locator('[role="tabpanel"]').getAttribute('aria-labelledby'), `tab-${name.toLowerCase()}`);
    };
    await page.getByRole('tab', { name: 'Chain' }).focus();
    await page.keyboard.press('ArrowRight');
    await expect('Cast', 'ArrowRight');
    await page.keyboard.press('End');
    await expect('Options', 'End');
    await page.keyboard.press('ArrowRight');
    await expect('Chain', 'ArrowRight wraps');
    await page.keyboard.press('ArrowLeft');
    await expect('Options', 'ArrowLeft wraps');
    await page.keyboard.press('Home');
    await expect('Chain', 'Home');
    // Tab from the selected tab goes into its panel, not to the other tabs.
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.getAttribute('role')), null);
  }));

test('Alt+arrows and the move buttons keep focus on the moved step', () =>
  withPage(
    async ({ page }) => {
      const s = presetScenario('ntlm-double-hop');
      // The label field of web's second step (its local file access) has focus.
      const label = `run.steps[0].steps[1].label`;
      await page.locator(`[name="${label}"]`).focus();
      await page.keyboard.press('Alt+ArrowDown');
      await page.locator('li.step[data-path="run.steps[0].steps[2]"] [name="run.steps[0].steps[2].label"]').waitFor();
      await page.waitForFunction(() => document.activeElement?.getAttribute('name') === 'run.steps[0].steps[2].label');
      assert.equal(await page.locator('[name="run.steps[0].steps[2].label"]').inputValue(), s.run.steps[0].steps[1].label, 'the step moved down');
      await page.keyboard.press('Alt+ArrowUp');
      await page.waitForFunction(() => document.activeElement?.getAttribute('name') === 'run.steps[0].steps[1].label');
      assert.equal(await page.locator('[name="run.steps[0].steps[1].label"]').inputValue(), s.run.steps[0].steps[1].label, 'and back up');
      // The Move up button of web's second step: at the top, its own button is disabled, so
      // focus goes to the row's next control, Move down.
      await page.getByRole('button', { name: 'Move step 3, web opens alice-file-on-app1, up' }).click();
      await page.waitForFunction(() => document.activeElement?.closest('li.step')?.dataset.path === 'run.steps[0].steps[0]');
      assert.equal((await focused(page)).label, 'Move step 2, web opens alice-file-on-app1, down');
    },
    { url: doubleHop },
  ));

test('↑ and ↓ in the event list move the selection and the focus with it', () =>
  withPage(
    async ({ page }) => {
      await page.locator('.event[data-index="3"]').click();
      // The list's keys move from the selection it was last drawn with: wait for the click's.
      await page.locator('.event.selected[data-index="3"]').waitFor();
      await page.keyboard.press('ArrowDown');
      await page.locator('.event.selected[data-index="4"]').waitFor();
      // The row's button: the diagram's rows before the list carry the same data-index.
      await page.waitForFunction(() => document.activeElement?.matches('.event[data-index="4"]'));
      await page.keyboard.press('ArrowUp');
      await page.keyboard.press('ArrowUp');
      await page.locator('.event.selected[data-index="2"]').waitFor();
      await page.waitForFunction(() => document.activeElement?.matches('.event[data-index="2"]'));
    },
    { url: doubleHop },
  ));

test('the skip link is the first focusable element and moves focus to the result, leaving the address alone', () =>
  withPage(
    async ({ page }) => {
      const before = page.url();
      await page.keyboard.press('Tab');
      const f = await focused(page);
      assert.equal(f.label, 'Skip to the result');
      await page.keyboard.press('Enter');
      assert.equal((await focused(page)).id, 'result');
      assert.equal(page.url(), before, 'the address is unchanged (no #result fragment)');
      assert.equal(await page.locator('.problem-summary, .notice').count(), 0, 'and nothing took it for a link');
    },
    { url: doubleHop },
  ));

test('icon buttons say which step they act on in words; call rows show the level and package the outcome reports', () =>
  withPage(
    async ({ page }) => {
      for (const name of [
        'Move step 1, alice-browser calls web, down',
        'Delete step 5, web calls db',
        'Details of step 5, web calls db',
        'Nest step 3, web opens alice-file-on-app1, into the call above',
        'Move step 4, web opens share, out of its call',
      ]) {
        assert.equal(await page.getByRole('button', { name, exact: true }).count(), 1, name);
      }
      const names = await page.locator('.steps button[aria-label]').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
      assert.ok(!names.some((n) => /run\.steps|\[\d/.test(n)), `no JSON path in a name: ${names.find((n) => /run\.steps/.test(n))}`);
      // From the outcome: alice's call is NTLM at impersonate; web's query asked for Negotiate
      // and got NTLM; the cloaked call is refused, so only its package shows.
      const eff = (path) => page.locator(`li.step[data-path="${path}"] > .step-row .eff`).textContent();
      assert.equal(await eff('run.steps[0]'), '→ impersonate · NTLM');
      assert.equal(await eff('run.steps[0].steps[3]'), '→ impersonate · NTLM');
      assert.equal(await eff('run.steps[0].steps[4]'), '→ NTLM');
      assert.equal(await page.locator('li.step[data-path="run.steps[0].steps[0]"] .eff').count(), 0, 'not on a non-call row');
      // Identify for alice's call: the row follows the outcome.
      await page.locator('li.step[data-path="run.steps[0]"] button[aria-label^="Details"]').click();
      await page.locator('[name="run.steps[0].imp_level"]').selectOption('identify');
      await page.waitForFunction(() => document.querySelector('li.step[data-path="run.steps[0]"] > .step-row .eff')?.textContent === '→ identify · NTLM');
      await page.locator('li.step[data-path="run.steps[0]"] button[aria-label^="Details"]').click();
      await screenshot(page, 'chain-inline-level-light');
    },
    { url: doubleHop },
  ));

test('touch targets are at least 40 px on a phone', () =>
  withPage(
    async ({ page }) => {
      // The phone's Edit view (issue #13: Edit and Result are two views there).
      await page.getByRole('group', { name: 'View' }).getByRole('button', { name: 'Edit' }).click();
      for (const tab of ['Chain', 'Cast', 'Options']) {
        await page.getByRole('tab', { name: tab }).click();
        const small = await page.evaluate(() =>
        [...document.querySelectorAll('button, select, input:not(.sr-only), a.btn, [role="tab"]')]
          .filter((el) => el.getClientRects().length && getComputedStyle(el).visibility !== 'hidden' && !el.closest('.sr-only'))
          // A checkbox's target is its label, which toggles it too.
          .map((el) => ({ el, r: (el.type === 'checkbox' && el.closest('label') || el).getBoundingClientRect() }))
          .filter(({ el, r }) => r.height < 40 || (el.matches('.icon') && r.width < 40))
          .map(({ el, r }) => `${el.tagName.toLowerCase()}${el.className ? '.' + el.className.split(' ').join('.') : ''} "${el.getAttribute('aria-label') ?? el.textContent.trim().slice(0, 30)}" ${Math.round(r.width)}x${Math.round(r.height)}`),
      );
        assert.deepEqual(small, [], `${tab} tab: targets under 40 px:\n  ${small.slice(0, 20).join('\n  ')}`);
      }
    },
    { viewport: PHONE, url: doubleHop },
  ));

test('screenshots: the first screen, light and dark, at 1280x800 and 390 px', async () => {
  for (const colorScheme of SCHEMES) {
    for (const [size, viewport] of [['1280', { width: 1280, height: 800 }], ['390', PHONE]]) {
      await withPage(
        async ({ page }) => {
          // The first screen as a newcomer sees it: a plain viewport capture, no scrolling.
          mkdirSync(SCREENSHOT_DIR, { recursive: true });
          await page.screenshot({ path: join(SCREENSHOT_DIR, `first-screen-${size}-${colorScheme}.png`) });
          await page.getByRole('button', { name: /Examples/ }).click();
          await screenshot(page, `examples-${size}-${colorScheme}`);
        },
        { colorScheme, viewport },
      );
    }
  }
});
