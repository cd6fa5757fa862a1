// End-to-end tests of "Make it work" (issue #16 item 5, SPEC §8.4) in Debian's headless
// Chromium: on the NTLM double hop, the first click opens the panel with the fix finder's
// ranked proposals (resource-based delegation on the file server's account first, as
// core/tests/fix.rs says), each with its tier, approver, path before -> after, commands and a
// copy button, what it meets and what it exposes; the second selects one and previews its
// outcome beside today's; Apply makes the share see alice in one undo step. The finder's
// module (dist/fixer/) is downloaded only when the panel first opens, and once. When nothing
// works, the finder's explanation shows. On a phone, the preview in the Result view has its own
// Apply and the way back to the proposals. An edit during a long search stops it: the edit's
// answer shows, the first search's never. Also the worker's path edits (web/fixer/paths.js), its
// markup and the module itself under Node. Screenshots in e2e/screenshots/fix-*.png.
//
// Run after `trunk build --release`: node --test e2e/fix.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { presetScenario, sLink } from './scenarios.mjs';
import { DIST, ROOT, shot, tempDir, withPage } from './lib.mjs';

const doubleHop = presetScenario('ntlm-double-hop');
const RBCD = "Set-ADComputer -Identity 'FS1$' -PrincipalsAllowedToDelegateToAccount 'svcApp'";

/**
 * The fix finder's module (dist/fixer/) under Node, initialised: its worker (`worker`, which
 * under Node takes the role of the page's worker and only defines its functions), the glue
 * (`fixer`) and the path edits (`paths`). Copied with a package.json that makes Node read them as
 * the ES modules they are.
 */
async function loadFixer() {
  const dir = tempDir();
  writeFileSync(join(dir, 'package.json'), '{"type": "module"}');
  for (const f of ['fixer', 'paths', 'worker']) copyFileSync(join(DIST, 'fixer', `${f}.js`), join(dir, `${f}.js`));
  globalThis.self ??= globalThis;
  const [worker, fixer, paths] = await Promise.all(['worker', 'fixer', 'paths'].map((f) => import(join(dir, `${f}.js`))));
  fixer.initSync({ module: readFileSync(join(DIST, 'fixer', 'fixer_bg.wasm')) });
  return { worker, fixer, paths };
}

/**
 * A scenario whose search runs for seconds: `reps` times four blocks of bench/'s generated
 * scenario (core/examples/bench.rs), and an expectation nothing can meet (a share that sees the
 * SQL server's account), so that every set of up to 3 of its 23 changes is tried.
 */
function slowScenario(reps) {
  const block = (i, to, api, sql, spn) => ({
    do: 'call', to, api, label: `call-${i}`,
    ...(api === 'rpc' && { authn: 'ntlm', imp_level: 'impersonate' }),
    steps: [
      { do: 'impersonate', label: `imp-${i}` },
      { do: 'whoami', label: `who-${i}` },
      { do: 'access', resource: 'share', label: `share-${i}` },
      { do: 'call', to: sql, api: 'rpc', authn: 'negotiate', imp_level: 'impersonate', spn, label: `sql-${i}` },
      { do: 'revert', label: `revert-${i}` },
      { do: 'access', resource: 'log', label: `log-${i}` },
      { do: 'whoami', label: `after-${i}` },
    ],
  });
  const steps = [];
  for (let r = 0; r < reps; r++) {
    steps.push(
      block(`${r}-0`, 'web1', 'rpc', 'sql1', 'MSSQLSvc/db1.corp.example:1433'),
      block(`${r}-1`, 'web2', 'rpc', 'sql2', 'MSSQLSvc/db1.corp.example:1434'),
      block(`${r}-2`, 'site', 'http', 'sql1', 'MSSQLSvc/db1.corp.example:1433'),
      block(`${r}-3`, 'report', 'rpc', 'sql2', 'MSSQLSvc/db1.corp.example:1435'),
    );
  }
  return {
    format: 'impersonation-scenario/1',
    title: 'A slow search',
    machines: ['WS1', 'APP1', 'APP2', 'WEB3', 'APP3', 'DB1', 'FS1'],
    accounts: {
      alice: {}, svcWeb1: {}, svcWeb2: {}, svcRep: {},
      svcSql1: { spns: ['MSSQLSvc/db1.corp.example:1433'] },
      svcSql2: { spns: ['MSSQLSvc/db1.corp.example:1434'] },
    },
    processes: {
      client: { machine: 'WS1', account: 'alice', kind: 'user' },
      web1: { machine: 'APP1', account: 'svcWeb1' },
      web2: { machine: 'APP2', account: 'svcWeb2' },
      site: { machine: 'WEB3', account: 'ApplicationPoolIdentity' },
      report: { machine: 'APP3', account: 'svcRep' },
      sql1: { machine: 'DB1', account: 'svcSql1' },
      sql2: { machine: 'DB1', account: 'svcSql2' },
    },
    resources: {
      share: { machine: 'FS1', allow: ['alice'] },
      log: { machine: 'APP1', allow: ['Authenticated Users'] },
    },
    run: { process: 'client', steps },
    expect: {
      'share-0-0': { seen_as: 'svcSql1' },
      'sql-0-1': { seen_as: 'alice' },
      'share-0-2': { seen_as: 'alice' },
      'sql-0-3': { seen_as: 'alice' },
    },
  };
}

test('two clicks on the NTLM double hop: the ranked proposals, then one previewed; Apply is one undo step', () =>
  withPage(
    async ({ page, context }) => {
      await context.grantPermissions(['clipboard-read', 'clipboard-write']);
      const fixer = [];
      page.on('request', (r) => {
        const url = new URL(r.url());
        if (url.pathname.includes('/fixer/')) fixer.push(url.pathname.split('/').pop() + url.search);
      });
      const status = page.locator('.status-line');
      assert.match(await status.textContent(), /· 1 of 3 expectations met$/);
      assert.deepEqual(fixer, [], 'nothing of the fix finder is loaded before it is asked for');
      // Click 1: the panel, with the proposals safest first.
      await page.locator('#fix-button').click();
      const panel = page.locator('section.fix-panel');
      const proposals = panel.locator('li.proposal');
      await proposals.first().waitFor();
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'fix-title');
      assert.equal(await proposals.count(), 2);
      assert.equal(
        await panel.locator('p', { hasText: 'minimal sets' }).textContent(),
        '2 of 2 minimal sets of changes meet every expectation, safest first.',
      );
      const first = proposals.nth(0);
      assert.equal(
        await first.locator('.proposal-pick').textContent(),
        'Tier 11. FS1$ lets svcApp act on behalf of its users (resource-based constrained delegation).',
      );
      assert.equal(await first.locator('.fix-who').textContent(), 'Approver: resource owner · 1 change');
      assert.equal(await first.locator('.path').textContent(), 'accounts.FS1$.allowed_to_act: [] → ["svcApp"]');
      assert.equal(await first.locator('.command').textContent(), RBCD);
      assert.equal(await first.locator('.meets').textContent(), '✓ meets web-opens-local-file: status ok✓ meets web-opens-share-on-fs1: status ok✓ meets web-opens-share-on-fs1: seen_as alice');
      assert.equal(await first.locator('.exposes').textContent(), 'The security review finds nothing new.');
      const second = proposals.nth(1);
      assert.match(await second.locator('.proposal-pick').textContent(), /^Tier 32\. svcApp may delegate to cifs\/FS1 with any authentication protocol/);
      assert.match(await second.locator('.exposes').textContent(), /^Exposes medium · SR-3: svcApp may obtain tickets for any user/);
      assert.equal(await second.locator('.command').count(), 2);
      assert.equal(await first.locator('.apply-fix').isVisible(), false, 'Apply shows once selected');
      // Copy writes the commands.
      await first.getByRole('button', { name: 'Copy commands' }).click();
      await first.getByRole('button', { name: 'Copied' }).waitFor();
      assert.equal(await page.evaluate(() => navigator.clipboard.readText()), RBCD);
      // Click 2: select it; the preview shows today's outcome beside the fixed one.
      await first.locator('.proposal-pick').click();
      await page.locator('.compare figcaption', { hasText: 'B · After proposal 1' }).waitFor();
      assert.equal(await panel.locator('li.proposal.chosen .proposal-pick').getAttribute('aria-pressed'), 'true');
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'fix-pick-0');
      assert.equal(await page.locator('.preview-actions').isVisible(), false, "the phone's Apply in the Result view");
      const [today, after] = [page.locator('.compare.fix figure').nth(0), page.locator('.compare.fix figure').nth(1)];
      // The rows that differ: pink on today's side, the met colour with a dashed edge on the proposal's.
      const mark = (side) =>
        side.locator('.row.marked .hit').first().evaluate((el) => {
          const s = getComputedStyle(el);
          return [s.fill, s.strokeDasharray];
        });
      const pink = await page.evaluate(() => {
        const probe = document.createElement('div');
        probe.style.color = 'var(--mark)';
        document.body.append(probe);
        const c = getComputedStyle(probe).color;
        probe.remove();
        return c;
      });
      assert.deepEqual(await mark(today), [pink, 'none']);
      const [green, dashes] = await mark(after);
      assert.notEqual(green, pink);
      assert.equal(dashes, '4px, 3px');
      assert.equal(await today.locator('.xmark.unmet').count(), 1);
      assert.equal(await after.locator('.xmark.unmet').count(), 0);
      assert.equal(await after.locator('.xmark.met').count(), 2);
      assert.equal(
        await page.locator('.diffs').textContent(),
        '1 event differs#4 web access: A ERROR_ACCESS_DENIED · remote sees NT AUTHORITY\\ANONYMOUS LOGON · B remote sees CORP\\alice',
      );
      // Apply: the share sees alice; one Undo restores today's scenario.
      await first.locator('.apply-fix').click();
      await page.locator('.status-line', { hasText: '3 of 3 expectations met' }).waitFor();
      assert.equal(await panel.count(), 0, 'the panel closes');
      assert.equal(await page.locator('#fix-button').count(), 0, 'nothing left to make work');
      assert.match(await page.locator('.notice').textContent(), /Applied proposal 1: FS1\$ lets svcApp act .* One Undo \(Ctrl\+Z\) restores the scenario before it\./);
      assert.match(await page.locator('.event[data-step="run.steps[0].steps[2]"]').textContent(), /alice/);
      await page.getByRole('button', { name: 'Undo' }).click();
      await page.locator('.status-line', { hasText: '1 of 3 expectations met' }).waitFor();
      // Opened again: the worker and its search worker are reused, the module not fetched again.
      // (The search worker, worker.js?search, imports the glue and the path edits itself.)
      await page.locator('#fix-button').click();
      await proposals.first().waitFor();
      assert.deepEqual(fixer.sort(), ['fixer.js', 'fixer.js', 'fixer_bg.wasm', 'paths.js', 'paths.js', 'worker.js', 'worker.js?search']);
      // Escape closes and gives the focus back to the button.
      await panel.locator('.proposal-pick').first().focus();
      await page.keyboard.press('Escape');
      await panel.waitFor({ state: 'detached' });
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'fix-button');
    },
    { url: sLink(doubleHop) },
  ));

test('when nothing works, the panel shows why, naming the failing event and its rules', () => {
  const s = structuredClone(doubleHop);
  s.expect = { 'web-opens-share-on-fs1': { seen_as: 'svcDB' } };
  return withPage(
    async ({ page }) => {
      await page.locator('#fix-button').click();
      const explain = page.locator('section.fix-panel p', { hasText: 'Nothing found' });
      await explain.waitFor();
      assert.match(
        await explain.textContent(),
        /^Nothing found: no set of at most 3 of the \d+ changes tried meets every expectation\. "web-opens-share-on-fs1" \(run\.steps\[0\]\.steps\[2\]\) gives seen_as NT AUTHORITY\\ANONYMOUS LOGON where svcDB is expected, as .*KD-7.* decided: /,
      );
      assert.equal(await page.locator('li.proposal').count(), 0);
    },
    { url: sLink(s) },
  );
});

test('the fix finder module, the worker\'s markup and its path edits, under Node', async () => {
  const { worker, fixer: m, paths } = await loadFixer();
  const { applyChanges, segments } = paths;
  assert.deepEqual(segments('accounts["svc app"].spns[2]'), ['accounts', 'svc app', 'spns', 2]);
  assert.deepEqual(segments('run.steps[0].steps[12].steps'), ['run', 'steps', 0, 'steps', 12, 'steps']);
  assert.throws(() => segments('accounts..x'), { message: 'cannot read the path accounts..x at character 8' });
  // The worker's answer: each proposal as the panel lists it, unselected and selected.
  const reply = worker.answer({ id: 7, scenario: JSON.stringify(doubleHop), maxChanges: 3 });
  assert.equal(reply.id, 7);
  assert.equal(reply.explain, '2 of 2 minimal sets of changes meet every expectation, safest first.');
  const [first] = reply.proposals;
  assert.equal(first.script, RBCD);
  assert.equal(
    first.applied,
    'Applied proposal 1: FS1$ lets svcApp act on behalf of its users (resource-based constrained delegation). One Undo (Ctrl+Z) restores the scenario before it.',
  );
  assert.ok(
    first.item.startsWith(
      '<li class="proposal" data-i="0"><button type="button" class="proposal-pick" id="fix-pick-0" data-act="pick" ' +
        'aria-pressed="false"><span class="tier tier-1">Tier 1</span><span>1. FS1$ lets svcApp act on behalf of its ' +
        'users (resource-based constrained delegation).</span></button><p class="fix-who">Approver: resource owner · 1 change</p>',
    ),
    first.item,
  );
  assert.equal(first.chosen, first.item.replace('"proposal"', '"proposal chosen"').replace('"false"', '"true"'));
  assert.equal(
    reply.proposals[1].preview,
    '<span data-i="1"><button type="button" class="btn small primary" id="fix-apply" data-act="apply">Apply proposal 2 ' +
      '(one undo step)</button><button type="button" class="btn small" data-act="back">Back to the proposals</button></span>',
  );
  assert.match(reply.proposals[1].item, /^<li class="proposal" data-i="1">.*id="fix-pick-1".*<span>2\. svcApp may delegate/);
  // Every text is escaped, the title's too.
  const odd = worker.item(
    {
      changes: [{ tier: 2, sentence: 'svc<App> & "friends"', approver: 'o\'k', path: 'a.b', before: null, after: ['<x>'], commands: [] }],
      expectations: [],
      findings_added: [],
      findings_removed: [],
    },
    3,
    true,
  );
  assert.match(odd, /^<li class="proposal chosen" data-i="3">.*aria-pressed="true"><span class="tier tier-2">Tier 2<\/span><span>4\. svc&#60;App&#62; &#38; &#34;friends&#34;<\/span>/);
  assert.match(odd, /Approver: o&#39;k · 1 change.*<code>unset<\/code> → <code>\[&#34;&#60;x&#62;&#34;\]<\/code>/);
  // Every proposal of every preset, applied by its paths, meets every expectation (the core's
  // own property, here through the worker's code).
  const ids = readdirSync(join(ROOT, 'core/presets')).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5));
  let applied = 0;
  for (const id of ids) {
    const scenario = presetScenario(id);
    const found = JSON.parse(m.fixes(JSON.stringify(scenario), 3));
    for (const p of found.proposals) {
      const after = applyChanges(scenario, p.changes);
      const again = JSON.parse(m.fixes(JSON.stringify(after), 3));
      assert.match(again.explain, /^Every expectation is met already\./, `${id}: ${p.changes.map((c) => c.path)}`);
      applied++;
    }
  }
  assert.ok(applied >= 10, `${applied} proposals applied`);
  assert.equal(JSON.stringify(doubleHop), JSON.stringify(presetScenario('ntlm-double-hop')), 'applyChanges copies');
  assert.throws(() => m.fixes('{"format": "impersonation-scenario/1"}', 3), /^Error: title: missing required field/);
});

test('on a phone, the preview in the Result view applies the proposal (one undo step) or goes back to the list', () =>
  withPage(
    async ({ page }) => {
      const status = page.locator('.status-line');
      const panel = page.locator('section.fix-panel');
      await page.locator('#fix-button').click();
      const first = panel.locator('li.proposal').first();
      await first.locator('.proposal-pick').click();
      await page.locator('li.proposal.chosen').waitFor();
      const focused = () => page.evaluate(() => document.activeElement?.id);
      // See the preview: the Result view, with the proposal's Apply focused beside the comparison.
      await first.getByRole('button', { name: 'See the preview' }).click();
      const apply = page.locator('#fix-apply');
      await apply.waitFor();
      assert.equal(await panel.isVisible(), false, 'the Edit view is hidden');
      assert.equal(await page.locator('.compare.fix figcaption').nth(1).textContent(), 'B · After proposal 1');
      assert.equal(await apply.textContent(), 'Apply proposal 1 (one undo step)');
      assert.equal(await focused(), 'fix-apply');
      // Back to the proposals: the Edit view, the same proposal selected and focused.
      await page.getByRole('button', { name: 'Back to the proposals' }).click();
      await panel.waitFor();
      assert.equal(await focused(), 'fix-pick-0');
      assert.equal(await first.locator('.proposal-pick').getAttribute('aria-pressed'), 'true');
      assert.equal(await apply.isVisible(), false);
      // Preview again and apply from there: the share sees alice; one Undo restores today's.
      await first.getByRole('button', { name: 'See the preview' }).click();
      await apply.click();
      await status.filter({ hasText: '3 of 3 expectations met' }).waitFor();
      assert.equal(await panel.count(), 0, 'the panel closes');
      assert.equal(await apply.count(), 0);
      assert.match(await page.locator('.notice').textContent(), /^Applied proposal 1: FS1\$ lets svcApp act .* One Undo \(Ctrl\+Z\) restores the scenario before it\./);
      await page.getByRole('button', { name: 'Undo' }).click();
      await status.filter({ hasText: '1 of 3 expectations met' }).waitFor();
    },
    { url: sLink(doubleHop), viewport: { width: 390, height: 844 } },
  ));

test('an edit during a long search stops it: the edit\'s answer shows, the first search\'s never', async () => {
  const slow = slowScenario(8);
  // How long the first search runs to its end (the same wasm under Node's V8).
  const { fixer } = await loadFixer();
  const t = performance.now();
  assert.match(JSON.parse(fixer.fixes(JSON.stringify(slow), 3)).explain, /^Nothing found: no set of at most 3 of the 23 changes/);
  const slowMs = performance.now() - t;
  assert.ok(slowMs > 500, `the slow search took ${slowMs} ms`);
  return withPage(
    async ({ page }) => {
      const searches = [];
      page.on('request', (r) => r.url().endsWith('/fixer/worker.js?search') && searches.push(r));
      // Every explanation the panel shows, in order, and when (from the last click).
      await page.evaluate(() => {
        window.shown = [];
        addEventListener('click', () => (window.clicked = performance.now()), true);
        new MutationObserver(() => {
          const text = document.querySelector('section.fix-panel > p:not(.hint)')?.textContent;
          if (text && window.shown.at(-1)?.[0] !== text) window.shown.push([text, performance.now() - window.clicked]);
        }).observe(document.body, { childList: true, subtree: true, characterData: true });
      });
      // The slow scenario by a link: the double hop stays one Undo away.
      await page.evaluate((hash) => (location.hash = hash), sLink(slow));
      await page.locator('#result-title', { hasText: 'A slow search' }).waitFor();
      await page.locator('#fix-button').click();
      // The search starts once its worker has loaded with the module; let it run a while.
      const loaded = await page.waitForResponse((r) => r.url().endsWith('/fixer/paths.js') && searches.length === 1);
      await loaded.finished();
      await page.waitForTimeout(Math.min(400, slowMs / 4));
      await page.getByRole('button', { name: 'Undo' }).click();
      await page.locator('section.fix-panel > p', { hasText: '2 of 2 minimal sets' }).waitFor();
      const [[text, waited]] = await page.evaluate(() => window.shown);
      if (process.env.VERBOSE) console.log(`the edit's answer after ${waited} ms; the first search takes ${slowMs} ms`);
      assert.equal(text, '2 of 2 minimal sets of changes meet every expectation, safest first.');
      assert.ok(waited < slowMs / 2, `the edit's answer came ${waited} ms after Undo; the first search takes ${slowMs.toFixed(0)} ms`);
      assert.equal(searches.length, 2, 'the busy search worker was replaced');
      // Long after the first search would have ended, its answer has still not shown.
      await page.waitForTimeout(slowMs);
      assert.deepEqual((await page.evaluate(() => window.shown)).map((s) => s[0]), [text]);
      assert.equal(await page.locator('li.proposal').count(), 2);
    },
    { url: sLink(doubleHop) },
  );
});

for (const colorScheme of ['light', 'dark']) {
  for (const width of [1280, 390]) {
    const viewport = { width, height: width > 500 ? 800 : 844 };
    const name = (what) => `fix-${what}-${colorScheme}-${width}`;
    test(`screenshots: Make it work with a proposal selected (${colorScheme}, ${width} px)`, () =>
      withPage(
        async ({ page }) => {
          await page.locator('#fix-button').click();
          await page.locator('li.proposal').first().waitFor();
          await page.locator('.proposal-pick').first().click();
          await page.locator('li.proposal.chosen').waitFor();
          await shot(page, name('panel'));
          if (width < 500) {
            // The phone's Result view: the preview with its Apply and the way back.
            await page.locator('li.proposal.chosen').getByRole('button', { name: 'See the preview' }).click();
            await page.locator('#fix-apply').waitFor();
            await shot(page, name('preview'));
          } else {
            await shot(page, name('preview'), page.locator('.compare'));
          }
        },
        { url: sLink(doubleHop), colorScheme, viewport },
      ));
  }
}
