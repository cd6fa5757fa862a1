// End-to-end tests of issue #16 item 5 in Debian's headless Chromium: the NTLM double hop's
// unmet expectation is marked on the diagram and in the event list with what was wanted and
// what came; "Expect this" on a selected event adds one (one undo step); embeds show the marks;
// the security review is a count in the toolbar with a dialog whose subject links open the
// subject in the editor. Screenshots (light and dark, 1280 and 390 px) land in
// e2e/screenshots/expect-*.png.
//
// Run after `trunk build --release`: node --test e2e/expect.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { presetScenario, sLink } from './scenarios.mjs';
import { shot, withPage } from './lib.mjs';

const doubleHop = sLink(presetScenario('ntlm-double-hop'));
const unconstrained = sLink(presetScenario('kerberos-unconstrained'));
const SHARE = '.event[data-step="run.steps[0].steps[2]"]';
const DB = '.event[data-step="run.steps[0].steps[3]"]';

/** The diagram row's index of the event in the list matching `selector`. */
const indexOf = (page, selector) => page.locator(selector).getAttribute('data-index');

test('the double hop marks its unmet expectation; Expect this adds one in one undo step', () =>
  withPage(
    async ({ page }) => {
      const status = page.locator('.status-line');
      assert.match(await status.textContent(), /· 1 of 3 expectations met$/);
      const share = await indexOf(page, SHARE);
      await page.locator(`.diagram-body .xmark.unmet[data-index="${share}"]`).waitFor();
      assert.equal(await page.locator('.diagram-body .xmark').count(), 2);
      assert.equal(await page.locator('.diagram-body .xmark.met').count(), 1);
      assert.equal(
        await page.locator(`${SHARE} .ev-expect.unmet`).textContent(),
        '✗ status: want ok, got ERROR_ACCESS_DENIED\n✗ seen_as: want alice, got NT AUTHORITY\\ANONYMOUS LOGON',
      );
      // "db should see alice", from web's RPC call to db.
      await page.locator(DB).first().click();
      const detail = page.locator('section.detail');
      const choice = detail.locator('#expect-choice');
      assert.equal(await choice.inputValue(), 'seen_as=CORP\\alice', 'the client is offered first');
      await detail.locator('#expect-this').click();
      await page.locator(`${DB} .ev-expect.unmet`).waitFor();
      assert.match(await page.locator(`${DB} .ev-expect`).textContent(), /^✗ seen_as: want CORP\\alice, got /);
      assert.match(await status.textContent(), /· 1 of 4 expectations met$/);
      assert.match(await detail.locator('.expectations li.unmet').textContent(), /✗ seen_as: want CORP\\alice/);
      // Status ok of the same step: a second verdict beside the first.
      await choice.selectOption('status=ok');
      await detail.locator('#expect-this').click();
      await page.locator('.status-line', { hasText: '2 of 5 expectations met' }).waitFor();
      // Each was one undo step.
      await page.getByRole('button', { name: 'Undo' }).click();
      await page.locator('.status-line', { hasText: '1 of 4 expectations met' }).waitFor();
      await page.getByRole('button', { name: 'Undo' }).click();
      await page.locator('.status-line', { hasText: '1 of 3 expectations met' }).waitFor();
      assert.equal(await page.locator(`${DB} .ev-expect`).count(), 0);
      // Remove, from the selected event's list.
      await page.locator(SHARE).click();
      await detail.locator('.expectations li', { hasText: 'seen_as' }).getByRole('button', { name: 'Remove' }).click();
      await page.locator('.status-line', { hasText: '1 of 2 expectations met' }).waitFor();
    },
    { url: doubleHop },
  ));

test('the embed shows the expectations met or unmet, without Expect this', () =>
  withPage(
    async ({ page }) => {
      await page.locator('.embed .event').first().waitFor();
      assert.match(await page.locator('.status-line').textContent(), /1 of 3 expectations met/);
      await page.locator(`${SHARE} .ev-expect.unmet`).waitFor();
      assert.equal(await page.locator('.diagram-body .xmark').count(), 2);
      await page.locator(SHARE).click();
      await page.locator('section.detail .expectations li.unmet').first().waitFor();
      assert.equal(await page.locator('#expect-this, section.detail .expectations button').count(), 0);
    },
    { url: `?embed=1${doubleHop}`, waitForApp: false },
  ));

test('the review is a count in the toolbar; its subject links open the subject in the editor', () =>
  withPage(
    async ({ page }) => {
      const button = page.locator('#review-button');
      assert.match(await button.textContent(), /^Review [1-9]\d*$/);
      await button.click();
      const dialog = page.getByRole('dialog', { name: 'Security review' });
      await dialog.waitFor();
      const first = dialog.locator('.finding').first();
      // The title and sources come with rules.json.
      await first.locator('.sources a').first().waitFor();
      assert.equal(
        await first.locator('p').first().textContent(),
        'high · SR-1 Unconstrained delegation on a server that is not a domain controller · svcApp',
      );
      assert.match(await first.locator('.fix').textContent(), /^Fix: .*Set-ADAccountControl -Identity 'svcApp' -TrustedForDelegation \$false$/);
      const link = first.locator('button.subject');
      const subject = await link.textContent();
      await link.click();
      await dialog.waitFor({ state: 'detached' });
      assert.equal(await page.getByRole('tab', { name: 'Cast' }).getAttribute('aria-selected'), 'true');
      const inside = await page.evaluate(
        (s) => {
          const el = document.activeElement;
          const path = el?.getAttribute('name') ?? el?.closest('[data-path]')?.dataset.path ?? '';
          return path.startsWith(`accounts.${s}`) || path.startsWith(`processes.${s}`) ? path : `not there: ${path} ${el?.tagName}`;
        },
        subject,
      );
      assert.ok(!inside.startsWith('not there'), inside);
    },
    { url: unconstrained },
  ));

for (const colorScheme of ['light', 'dark']) {
  for (const width of [1280, 390]) {
    const viewport = { width, height: width > 500 ? 800 : 844 };
    const name = (what) => `expect-${what}-${colorScheme}-${width}`;
    test(`screenshots: marks, Expect this, the review (${colorScheme}, ${width} px)`, () =>
      withPage(
        async ({ page }) => {
          await shot(page, name('marks'), page.locator('.diagram-body .xmark.unmet'));
          await page.locator(DB).first().click();
          await page.locator('#expect-this').click();
          await page.locator(`${DB} .ev-expect`).waitFor();
          await shot(page, name('detail'), page.locator('section.detail .expectations'));
          await shot(page, name('list'), page.locator(DB).first());
          await withPage(
            async ({ page: p }) => {
              await p.locator('#review-button').click();
              await p.getByRole('dialog', { name: 'Security review' }).locator('.sources a').first().waitFor();
              await shot(p, name('review'));
            },
            { url: unconstrained, colorScheme, viewport },
          );
        },
        { url: doubleHop, colorScheme, viewport },
      ));
  }
}
