// End-to-end tests of issue #13 items 5 and 6 in Debian's headless Chromium: deleting an entry
// that others name asks first (focus in the question, Escape cancels, focus goes back); the
// problem summary links each problem to its field on whichever tab; rows with problems are
// marked; SPN fields check their form; a name's error goes when the name comes back; a
// message about a past action goes with the next edit; a failed event's explanation ends with
// a link to the setting that decides it. Screenshots (light and dark, 1280 and 390 px) land in
// e2e/screenshots/problems-*.png.
//
// Run after `trunk build --release`: node --test e2e/problems.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sLink } from './scenarios.mjs';
import { ROOT, shot, withPage } from './lib.mjs';

const doubleHop = JSON.parse(readFileSync(join(ROOT, 'core', 'presets', 'ntlm-double-hop.json'), 'utf8'));
const url = sLink(doubleHop);

/** The `name` (or id) of the focused element. */
const focused = (page) => page.evaluate(() => document.activeElement?.getAttribute('name') ?? document.activeElement?.id ?? '');

/** Deletes process db from the Cast tab, answering the question with `answer` (a button id). */
async function removeDb(page, answer) {
  // On a phone the editor is a view of its own.
  const edit = page.getByRole('group', { name: 'View' }).getByRole('button', { name: 'Edit' });
  if (await edit.isVisible()) await edit.click();
  await page.getByRole('tab', { name: 'Cast' }).click();
  await page.getByRole('button', { name: 'Remove process db' }).click();
  const dialog = page.getByRole('alertdialog', { name: 'Delete process db?' });
  await dialog.waitFor();
  return dialog;
}

test('deleting a process that steps call asks first, lists them, and Escape keeps it', () =>
  withPage(
    async ({ page }) => {
      const dialog = await removeDb(page);
      assert.equal(await focused(page), 'remove-cancel', 'the focus moves into the question');
      const items = await dialog.locator('.refs li').allTextContents();
      assert.deepEqual(items, [
        'web calls db run.steps[0].steps[3].to',
        'web calls db run.steps[0].steps[4].to',
        'web calls db run.steps[0].steps[6].to',
      ]);
      assert.match(await dialog.textContent(), /db is used in 3 places\./);
      // Tab goes round its two buttons and stays inside.
      for (const want of ['remove-confirm', 'remove-cancel', 'remove-confirm']) {
        await page.keyboard.press('Tab');
        assert.equal(await focused(page), want);
      }
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });
      assert.equal(
        await page.evaluate(() => document.activeElement?.getAttribute('aria-label')),
        'Remove process db',
        'the focus goes back to the delete button',
      );
      assert.equal(await page.locator('[name="processes.db"]').count(), 1, 'db is still there');
      // Cancel keeps it too; Delete anyway deletes it and the steps show their problems.
      await removeDb(page);
      await page.locator('#remove-cancel').click();
      assert.equal(await page.locator('[name="processes.db"]').count(), 1);
      await removeDb(page);
      await page.locator('#remove-confirm').click();
      await page.locator('.problem-summary summary', { hasText: '3 problems to fix' }).waitFor();
      assert.equal(await page.locator('[name="processes.db"]').count(), 0);
    },
    { url },
  ));

test('an entry nobody names goes without a question', () =>
  withPage(
    async ({ page }) => {
      await page.getByRole('tab', { name: 'Cast' }).click();
      await page.getByRole('button', { name: '+ Machine' }).click();
      const before = await page.locator('section[aria-labelledby="h-machines"] ul.plain > li').count();
      await page.locator('section[aria-labelledby="h-machines"] button[aria-label^="Remove machine"]').last().click();
      assert.equal(await page.getByRole('alertdialog').count(), 0);
      assert.equal(await page.locator('section[aria-labelledby="h-machines"] ul.plain > li').count(), before - 1);
    },
    { url },
  ));

test('each problem links to its field on its tab; the rows it concerns are marked', () =>
  withPage(
    async ({ page }) => {
      await removeDb(page);
      await page.locator('#remove-confirm').click();
      // Also a problem on the Cast tab: web's machine is deleted.
      await page.getByRole('button', { name: 'Remove machine APP1' }).click();
      await page.locator('#remove-confirm').click();
      const summary = page.locator('.problem-summary');
      await summary.locator('summary', { hasText: '5 problems to fix' }).waitFor();
      // A step problem: the link switches to the Chain tab, opens the step and focuses "to".
      await summary.locator('button', { hasText: 'run.steps[0].steps[3].to' }).click();
      assert.equal(await page.getByRole('tab', { name: 'Chain' }).getAttribute('aria-selected'), 'true');
      assert.equal(await focused(page), 'run.steps[0].steps[3].to');
      // A cast problem from the Chain tab: back to Cast, on web's machine.
      await summary.locator('button', { hasText: 'processes.web.machine' }).click();
      assert.equal(await page.getByRole('tab', { name: 'Cast' }).getAttribute('aria-selected'), 'true');
      assert.equal(await focused(page), 'processes.web.machine');
      // The rows of the three calls to db are marked, with a name for assistive technology.
      await page.getByRole('tab', { name: 'Chain' }).click();
      for (const p of ['run.steps[0].steps[3]', 'run.steps[0].steps[4]', 'run.steps[0].steps[6]']) {
        const row = page.locator(`li.step[data-path="${p}"]`);
        assert.match(await row.getAttribute('class'), /\binvalid\b/, p);
        assert.equal(await row.getByRole('img', { name: '1 problem in this step' }).count(), 1, p);
      }
      assert.doesNotMatch(await page.locator('li.step[data-path="run.steps[0].steps[2]"]').getAttribute('class'), /invalid/);
    },
    { url },
  ));

test('SPN fields check the class/host form; the NULL principal of a call is allowed', () =>
  withPage(
    async ({ page }) => {
      await page.getByRole('tab', { name: 'Cast' }).click();
      const spns = page.locator('[name="accounts.svcApp.spns"]');
      await spns.fill('web1');
      await spns.press('Enter');
      const field = page.locator('label.field', { has: spns });
      await field.locator('.problems li', { hasText: '\u201cweb1\u201d is not an SPN: an SPN is class/host[:port][/name], e.g. HTTP/web1' }).waitFor();
      assert.equal(await spns.getAttribute('aria-invalid'), 'true');
      await spns.fill('HTTP/web1, MSSQLSvc/db1:1433');
      await spns.press('Enter');
      await field.locator('.problems').waitFor({ state: 'detached' });
      // A resource's SPN, and a call's: wrong, then the NULL principal (empty) is fine.
      const res = page.locator('[name="resources.share.spn"]');
      await res.fill('cifs');
      await res.press('Enter');
      await page.locator('label.field', { has: res }).locator('.problems li', { hasText: 'is not an SPN' }).waitFor();
      await page.getByRole('tab', { name: 'Chain' }).click();
      const call = 'run.steps[0].steps[3]';
      await page.locator(`li.step[data-path="${call}"] button[aria-label^="Details"]`).click();
      const spn = page.locator(`[name="${call}.spn"]`);
      await spn.fill('MSSQLSvc');
      await spn.press('Enter');
      await page.locator('label.field', { has: spn }).locator('.problems li', { hasText: 'is not an SPN' }).waitFor();
      await page.getByLabel('NULL principal name (spn: "")').check();
      await page.locator('label.field', { has: spn }).locator('.problems').waitFor({ state: 'detached' });
    },
    { url },
  ));

test('a refused name shows why until the name is back; a message about a past action goes with the next edit', () =>
  withPage(
    async ({ page }) => {
      await page.getByRole('tab', { name: 'Cast' }).click();
      const name = page.locator('[name="processes.db"]');
      await name.fill('');
      await name.press('Enter');
      const field = page.locator('label.field', { has: name });
      await field.locator('.problems li', { hasText: 'a name must not be empty' }).waitFor();
      assert.equal(await name.inputValue(), '', 'the refused name stays with its reason');
      await name.fill('db');
      await name.press('Enter');
      await field.locator('.problems').waitFor({ state: 'detached' });
      // Refused again; then the name changes under it (undo of an earlier rename): the field
      // shows the name and no reason.
      await name.fill('db2');
      await name.press('Enter');
      const renamed = page.locator('[name="processes.db2"]');
      await renamed.fill('web');
      await renamed.press('Enter');
      const field2 = page.locator('label.field', { has: renamed });
      await field2.locator('.problems li', { hasText: '"web" is already used' }).waitFor();
      await page.getByRole('button', { name: 'Undo' }).click();
      await name.waitFor();
      assert.equal(await name.inputValue(), 'db');
      assert.equal(await field.locator('.problems').count(), 0);
      // A message about opening a link goes once the person edits.
      const other = JSON.parse(readFileSync(join(ROOT, 'core', 'presets', 'rbcd.json'), 'utf8'));
      await page.evaluate((h) => { location.hash = h; }, sLink(other).slice(1));
      await page.locator('#confirm-replace').click();
      const notice = page.locator('.notice', { hasText: 'Your previous work is one Undo' });
      await notice.waitFor();
      await page.locator('[name="title"]').fill('Edited after opening');
      await notice.waitFor({ state: 'detached' });
      await page.locator('.saved', { hasText: 'Saved in this browser only' }).waitFor();
    },
    { url },
  ));

test('a failed event ends with the setting that decides it, a link that opens it in the editor', () =>
  withPage(
    async ({ page }) => {
      await page.locator('.event[data-step="run.steps[0].steps[2]"]').click();
      const detail = page.locator('section.detail');
      const explain = await detail.locator('.explain').textContent();
      assert.match(explain, /its ACL allows CORP\\alice but not NT AUTHORITY\\ANONYMOUS LOGON, so access is denied\./);
      const link = detail.getByRole('button', { name: 'Delegation of svcApp: Cast › Accounts › svcApp' });
      await link.click();
      assert.equal(await page.getByRole('tab', { name: 'Cast' }).getAttribute('aria-selected'), 'true');
      assert.equal(await focused(page), 'accounts.svcApp.delegation');
    },
    { url },
  ));

for (const colorScheme of ['light', 'dark']) {
  for (const width of [1280, 390]) {
    const viewport = { width, height: width > 500 ? 800 : 844 };
    const name = (what) => `problems-${what}-${colorScheme}-${width}`;
    test(`screenshots: confirm, problem links, marked rows, setting link (${colorScheme}, ${width} px)`, () =>
      withPage(
        async ({ page }) => {
          await page.locator('.event[data-step="run.steps[0].steps[2]"]').click();
          await shot(page, name('setting-link'), page.locator('section.detail .setting-link'));
          await removeDb(page);
          await shot(page, name('confirm'));
          await page.locator('#remove-confirm').click();
          const summary = page.locator('.problem-summary');
          await summary.locator('summary', { hasText: '3 problems to fix' }).waitFor();
          await shot(page, name('summary'), summary);
          await summary.locator('button', { hasText: 'run.steps[0].steps[4].to' }).click();
          await shot(page, name('marked-rows'), page.locator('li.step[data-path="run.steps[0].steps[4]"]'));
        },
        { url, colorScheme, viewport },
      ));
  }
}
