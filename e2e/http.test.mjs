// HTTP front ends and SPNs in the playground (issue #15 items 8 and 9): the IIS-to-SQL story is
// built from the blank scenario by the editors alone (machines, accounts, an IIS process with its
// http settings, an http call from the browser, a call to SQL with an SPN nobody registered), and
// what a person sees is checked: the http arrow names Kerberos, the call to SQL reads
// "Negotiate → NTLM" on its arrow (bold, class fallback), SQL sees ANONYMOUS LOGON, and the
// explanation names the unregistered SPN and links the call's SPN field, the deciding setting (SP-3). Screenshots of the http
// call editor and of the five presets of issue #15 (1280 and 390 px, light and dark) land in
// e2e/screenshots/http-*.png.
//
// Run after `trunk build --release`: node --test e2e/http.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, screenshot, withPage } from './lib.mjs';
import { sLink } from './scenarios.mjs';

const SPN = 'MSSQLSvc/db1.corp.example:1433';

/** Renames the entry whose name field is `name` (committed on Enter). */
async function rename(page, name, to) {
  const field = page.locator(`input[name="${name}"]`);
  await field.fill(to);
  await field.press('Enter');
}

/** Adds a step of `kind` to the list whose add control is labelled `label`; returns the new row. */
async function addStep(page, label, kind) {
  await page.getByLabel(new RegExp(`^${label}\\b`)).selectOption(kind);
  const row = page.locator('li.step.open');
  await row.waitFor();
  return row;
}

/** The options of a select, as their values. */
const values = (select) => select.locator('option').evaluateAll((os) => os.map((o) => o.value));

/** Builds the story on the page's blank scenario. */
async function buildStory(page) {
  await page.getByRole('button', { name: /Examples/ }).click();
  await page.locator('.menu-item[data-preset="blank"]').click();
  await page.locator('.result-title', { hasText: 'Untitled scenario' }).waitFor();
  // On a phone the editor is a view of its own.
  const edit = page.getByRole('group', { name: 'View' }).getByRole('button', { name: 'Edit' });
  if (await edit.isVisible()) await edit.click();

  await page.getByRole('tab', { name: 'Cast' }).click();
  for (const m of ['WEB1', 'DB1']) {
    await page.getByRole('button', { name: '+ Machine' }).click();
    await rename(page, `machines[${await page.locator('input[name^="machines["]').count() - 1}]`, m);
  }
  await page.getByRole('button', { name: '+ Account' }).click();
  await rename(page, 'accounts.svcApp', 'svcSql');
  // The web server: ApplicationPoolIdentity on WEB1, kernel-mode authentication (the core's
  // default, shown checked) with the pool's credentials.
  await page.getByRole('button', { name: '+ Process' }).click();
  await rename(page, 'processes.B', 'iis');
  await page.locator('select[name="processes.iis.machine"]').selectOption('WEB1');
  const account = page.locator('select[name="processes.iis.account"]');
  assert.ok((await values(account)).includes('ApplicationPoolIdentity'), 'the built-in pool account is offered');
  await account.selectOption('ApplicationPoolIdentity');
  assert.equal(await page.locator('input[name="processes.iis.http.kernel_mode"]').isChecked(), true);
  assert.equal(await page.locator('input[name="processes.iis.http.runs_as_client"]').isChecked(), false);
  await page.locator('input[name="processes.iis.http.use_app_pool_credentials"]').check();
  await page.getByRole('button', { name: '+ Process' }).click();
  await rename(page, 'processes.B', 'sql');
  await page.locator('select[name="processes.sql.machine"]').selectOption('DB1');
  await page.locator('select[name="processes.sql.account"]').selectOption('svcSql');

  await page.getByRole('tab', { name: 'Chain' }).click();
  // The browser's request: an http call, its details open.
  const http = await addStep(page, 'Add a step run by client', 'http');
  const at = await http.getAttribute('data-path');
  assert.equal(at, 'run.steps[1]');
  await page.locator(`select[name="${at}.to"]`).selectOption('iis');
  assert.equal(await page.locator(`select[name="${at}.api"]`).inputValue(), 'http');
  const authn = await values(page.locator(`select[name="${at}.authn"]`));
  for (const v of ['', 'negotiate', 'kerberos', 'ntlm', 'basic', 'credssp', 'none']) assert.ok(authn.includes(v), `authn offers ${v || 'default'}`);
  assert.ok(!authn.includes('schannel'), 'no schannel for http');
  assert.deepEqual(await values(page.locator(`select[name="${at}.imp_level"]`)), ['', 'impersonate', 'delegate']);
  for (const gone of ['transport', 'authn_level', 'cloaking', 'tracking', 'proxy', 'mutual_auth']) {
    assert.equal(await page.locator(`[name="${at}.${gone}"]`).count(), 0, `${gone} is not an http call's`);
  }
  assert.equal(await page.locator(`input[name="${at}.spn"]`).getAttribute('placeholder'), 'default: HTTP/WEB1');
  await page.locator(`select[name="${at}.authn"]`).selectOption('negotiate');
  await page.locator(`input[name="${at}.label"]`).fill('alice-opens-the-site');
  // What iis does: impersonate alice, then query SQL over RPC with an SPN nobody registered.
  await addStep(page, 'Add a step to what iis does', 'impersonate');
  const query = await addStep(page, 'Add a step to what iis does', 'call');
  const q = await query.getAttribute('data-path');
  assert.equal(q, 'run.steps[1].steps[1]');
  await page.locator(`select[name="${q}.to"]`).selectOption('sql');
  await page.locator(`select[name="${q}.api"]`).selectOption('rpc');
  await page.locator(`select[name="${q}.authn"]`).selectOption('negotiate');
  assert.ok(!(await values(page.locator(`select[name="${q}.authn"]`))).includes('basic'), 'basic is http only');
  const spn = page.locator(`input[name="${q}.spn"]`);
  await spn.fill(SPN);
  await spn.press('Enter');
  return { at, q };
}

test('the IIS-to-SQL story, built by the editors, shows the NTLM fallback on its arrow and ANONYMOUS LOGON at the database', () =>
  withPage(async ({ page }) => {
    const { at, q } = await buildStory(page);
    // The scenario as saved is what the editors set.
    await page.waitForFunction((spn) => (localStorage.getItem('impersonation-playground/scenario') ?? '').includes(spn), SPN);
    const saved = JSON.parse(await page.evaluate(() => localStorage.getItem('impersonation-playground/scenario')));
    assert.deepEqual(saved.processes.iis.http, { use_app_pool_credentials: true });
    assert.equal(saved.processes.iis.account, 'ApplicationPoolIdentity');
    assert.equal(saved.run.steps[1].api, 'http');
    assert.equal(saved.run.steps[1].steps[1].spn, SPN);
    assert.equal(await page.locator('.problem-summary').count(), 0, 'the story is valid');

    // The diagram: the http arrow names Kerberos; the query's arrow reads Negotiate → NTLM.
    const body = page.locator('.diagram-body');
    await body.locator('text.msg-label', { hasText: 'Kerberos · iis sees alice @ impersonate' }).waitFor();
    const fallback = body.locator('text.msg-label.fallback');
    await fallback.waitFor();
    assert.equal(await fallback.textContent(), 'Negotiate → NTLM · sql sees ANONYMOUS LOGON @ impersonate');
    assert.equal(await fallback.getAttribute('font-weight'), 'bold');
    assert.equal(await body.locator('line.msg.fallback').count(), 1, 'one arrow drawn as a fallback');
    // The key explains the thick line with the same mark.
    const keyEntry = page.locator('details.key li', { has: page.locator('g.fallback') });
    assert.equal(await keyEntry.textContent(), 'Negotiate fell back to NTLM: the KDC knows no single owner of the SPN');
    // The editor's rows say it too.
    assert.equal(await page.locator(`li.step[data-path="${at}"] .eff`).textContent(), '→ impersonate · Kerberos');
    assert.match(await page.locator(`li.step[data-path="${q}"] .eff`).textContent(), /Negotiate → NTLM/);
    // The event list: the database sees ANONYMOUS LOGON.
    const event = page.locator(`.event[data-step="${q}"]`).first();
    assert.match(await event.textContent(), /sql sees ANONYMOUS LOGON @ impersonate/);
    // The explanation names the unregistered SPN and links its field.
    await event.click();
    const detail = page.locator('section.detail');
    const explain = await detail.locator('.explain').textContent();
    assert.ok(explain.includes(`${SPN} is registered on no account, so the KDC has no key for it (KDC_ERR_S_PRINCIPAL_UNKNOWN), and Negotiate fell back to NTLM.`), explain);
    assert.match(explain, /DB1 sees NT AUTHORITY\\ANONYMOUS LOGON/);
    const link = detail.locator('button.setting-link');
    assert.equal(await link.count(), 1, 'a link to the deciding setting');
    // The SPN settles it (SP-3): no delegation setting reaches a name the KDC has no key for.
    assert.equal(await link.getAttribute('title'), `${q}.spn`);
    assert.match(await link.textContent(), /SPN/);
    await link.click();
    await page.waitForFunction((name) => document.activeElement?.getAttribute('name') === name, `${q}.spn`);
    assert.equal(await page.locator(`input[name="${q}.spn"]`).inputValue(), SPN);
  }));

test('http fields show the core\'s problems at the field, and the cast\'s new switches reach theirs', () =>
  withPage(async ({ page }) => {
    const { at } = await buildStory(page);
    // A process that runs requests as its client cannot impersonate: the core says so at the step.
    await page.getByRole('tab', { name: 'Cast' }).click();
    await page.locator('input[name="processes.iis.http.runs_as_client"]').check();
    const summary = page.locator('.problem-summary');
    await summary.waitFor();
    const problem = summary.locator('button', { hasText: `${at}.steps[0]` });
    await problem.click();
    const row = page.locator(`li.step[data-path="${at}.steps[0]"]`);
    await row.locator('.problems li', { hasText: 'iis runs the request as its client (http.runs_as_client)' }).waitFor();
    await page.getByRole('tab', { name: 'Cast' }).click();
    await page.locator('input[name="processes.iis.http.runs_as_client"]').uncheck();
    await page.locator('.problem-summary').waitFor({ state: 'detached' });
    // A domain controller is a switch of its machine; a constrained computer account of one is a
    // problem shown at its delegation.
    await page.locator('section[aria-labelledby="h-machines"] label', { hasText: 'domain controller' }).nth(2).locator('input').check();
    assert.equal(await page.locator('input[name="domain_controllers[0]"]').isChecked(), true);
    await page.getByRole('button', { name: '+ Account' }).click();
    await rename(page, 'accounts.svcApp', 'DB1$');
    await page.locator('select[name="accounts.DB1$.delegation"]').selectOption('constrained');
    await page.locator('label', { has: page.locator('select[name="accounts.DB1$.delegation"]') })
      .locator('.problems li', { hasText: 'DB1 is a domain controller, trusted for unconstrained delegation by Windows' })
      .waitFor();
    // Admin is a switch of the account, saved as `admin`.
    await page.locator('input[name="accounts.alice.admin"]').check();
    await page.waitForFunction(() => JSON.parse(localStorage.getItem('impersonation-playground/scenario') ?? 'null')?.accounts.alice?.admin === true);
    // The option of §7.2 is a switch with its rule.
    await page.getByRole('tab', { name: 'Options' }).click();
    await page.locator('input[name="options.s4u_without_rbcd_bit"]').check();
    await page.waitForFunction(() => JSON.parse(localStorage.getItem('impersonation-playground/scenario') ?? 'null')?.options?.s4u_without_rbcd_bit === true);
  }));

const STORIES = ['iis-sql-missing-spn', 'iis-file-share-kcd', 'powershell-second-hop', 'printer-bug', 'duplicate-spn'];

for (const colorScheme of ['light', 'dark']) {
  for (const viewport of [{ width: 1280, height: 800 }, { width: 390, height: 844 }]) {
    const suffix = `${colorScheme}-${viewport.width}`;
    test(`screenshots: the http call editor and the five presets of issue #15 (${suffix})`, async () => {
      await withPage(
        async ({ page }) => {
          const { at } = await buildStory(page);
          // The http call's details open (the last added step's were).
          await page.locator(`li.step[data-path="${at}"] button[aria-label^="Details of"]`).click();
          await page.locator(`select[name="${at}.authn"]`).waitFor();
          await page.evaluate((p) => document.querySelector(`li.step[data-path="${p}"]`)?.scrollIntoView({ block: 'start' }), at);
          await screenshot(page, `http-story-${suffix}`);
          // The cast with the new fields: domain controller switches, admin, the http settings.
          await page.getByRole('tab', { name: 'Cast' }).click();
          await page.locator('input[name="processes.iis.http.kernel_mode"]').waitFor();
          await screenshot(page, `http-cast-${suffix}`);
        },
        { colorScheme, viewport },
      );
      for (const id of STORIES) {
        const json = readFileSync(join(ROOT, 'core', 'presets', `${id}.json`), 'utf8');
        await withPage(
          async ({ page }) => {
            await page.locator('.diagram-body g.row').first().waitFor();
            // The event that tells the story: the first that is not ok, else the first.
            const pick = page.locator('.event.anon, .event.fail').first();
            await ((await pick.count()) > 0 ? pick : page.locator('.event').first()).click();
            await page.locator('section.detail').waitFor();
            // From the top: a full-page capture of a page scrolled under its sticky bar would
            // show the bar over the text.
            await page.evaluate(() => window.scrollTo(0, 0));
            await screenshot(page, `http-${id}-${suffix}`);
          },
          { colorScheme, viewport, url: sLink(json) },
        );
      }
    });
  }
}

test('deleting a domain controller asks first, naming its entry; the entry left behind shows under the machines', () =>
  withPage(
    async ({ page }) => {
      const edit = page.getByRole('group', { name: 'View' }).getByRole('button', { name: 'Edit' });
      if (await edit.isVisible()) await edit.click();
      await page.getByRole('tab', { name: 'Cast' }).click();
      assert.equal(await page.locator('input[name="domain_controllers[0]"]').isChecked(), true);
      await page.getByRole('button', { name: 'Remove machine DC1' }).click();
      const dialog = page.getByRole('alertdialog', { name: 'Delete machine DC1?' });
      await dialog.getByText('DC1 is a domain controller').waitFor();
      await page.locator('#remove-confirm').click();
      const machines = page.locator('section[aria-labelledby="h-machines"]');
      await machines.locator(':scope > .problems li', { hasText: 'unknown machine "DC1"' }).waitFor();
      // No machine's switch claims it.
      assert.equal(await page.locator('input[name^="domain_controllers["]').count(), 0);
    },
    { url: sLink(readFileSync(join(ROOT, 'core', 'presets', 'printer-bug.json'), 'utf8')) },
  ));
