// The example documentation page docs/example/index.html (issue #5 item 2), in headless
// Chromium: two scenarios embedded by iframe (`?embed=1#s=...`) and a third computed live in the
// page through the JS API (the `--target web` build of the npm package in core/pkg-web).
//
// Needs the playground's build (dist/, stage `build`) and core/pkg-web (stage `npm-package`).
// A second server serves the repository root, so that the page is tested as a documentation
// site would serve it: the playground is embedded from another origin (the dist/ server, or
// E2E_URL) through the page's `?playground=` setting, and, when dist/ can be served from a
// sub-folder, through the page's own relative iframe addresses (../../dist/).
//
// E2E_SITE=<folder> serves another folder as the site (it must hold docs/, core/pkg-web/ and
// dist/ in the repository's layout).

import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { ROOT, baseUrl, frameSettled, screenshot, startServer, withPage } from './lib.mjs';

const PAGE = 'docs/example/';
const ANONYMOUS = 'NT AUTHORITY\\ANONYMOUS LOGON';

/** The two embeds of the page: iframe id, the preset it shows, its forced theme, its `&step=`. */
const EMBEDS = [
  { id: 'embed-ntlm', preset: 'ntlm-double-hop', theme: 'light', step: 'web-opens-share-on-fs1' },
  { id: 'embed-rbcd', preset: 'rbcd', theme: 'dark', step: null },
];
const readPreset = (id) => JSON.parse(readFileSync(join(ROOT, 'core', 'presets', `${id}.json`), 'utf8'));

if (!existsSync(join(process.env.E2E_SITE ?? ROOT, 'core', 'pkg-web', 'impersonation_core.js'))) {
  throw new Error(
    'core/pkg-web not found: build it first (. scripts/env.sh && wasm-pack build core --release --target web --out-dir pkg-web --mode no-install), or run STAGES=npm-package,e2e bash scripts/test.sh',
  );
}

/** The folder served as the "documentation site": the repository root. */
const SITE = process.env.E2E_SITE ?? ROOT;
let site;
before(async () => {
  site = await startServer({ root: SITE });
});

/**
 * Opens the docs page at `query` in a fresh browser. Navigations of the page's own iframe
 * addresses (../../dist/) are answered 204 (dropped) when `dropRelative`, so that the
 * `?playground=` rewrite, which cancels them, cannot race with them.
 */
function withDocs(fn, { query = '', dropRelative = false, colorScheme = 'light' } = {}) {
  return withPage(
    async (ctx) => {
      const { page } = ctx;
      if (dropRelative) {
        await page.route(
          (u) => u.origin === new URL(site.url).origin && u.pathname.startsWith('/dist/'),
          (route) => route.fulfill({ status: 204 }),
        );
      }
      await page.goto(new URL(PAGE + query, site.url).href);
      await page.getByRole('heading', { level: 1 }).waitFor();
      return fn(ctx);
    },
    // The page opens about:blank first, so that the route is in place before the docs page.
    { url: 'about:blank', waitForApp: false, colorScheme, viewport: { width: 1100, height: 900 } },
  );
}

/** Checks that both iframes show their scenario's result in embed mode, from `origin`. */
async function checkEmbeds(page, origin) {
  for (const { id, preset, theme, step } of EMBEDS) {
    const iframe = page.locator(`#${id}`);
    await iframe.scrollIntoViewIfNeeded();
    const src = new URL(await iframe.evaluate((f) => f.src));
    assert.equal(src.origin, origin, `${id} src ${src}`);
    assert.equal(src.searchParams.get('embed'), '1', `${id} src ${src}`);
    assert.equal(src.searchParams.get('theme'), theme, `${id} src ${src}`);
    assert.equal(src.searchParams.get('step'), step, `${id} src ${src}`);
    assert.match(src.hash, /^#s=[A-Za-z0-9_-]+$/, `${id}: the link uses #s= (SPEC §5a)`);
    // The link carries the scenario as SPEC §5a says: raw DEFLATE, unpadded base64url.
    const scenario = JSON.parse(inflateRawSync(Buffer.from(src.hash.slice(3), 'base64url')).toString('utf8'));
    assert.equal(scenario.format, 'impersonation-scenario/1');
    // The preset as it is today (its expectations included): regenerate the page's link with
    // docs/example/make-link.mjs when a preset changes.
    const current = readPreset(preset);
    const title = current.title;
    assert.equal(scenario.title, title, `${id} embeds the preset ${preset}`);
    assert.deepEqual(scenario, current, `${id} embeds ${preset}.json as it is now`);
    assert.equal(await iframe.getAttribute('title'), title, `${id} has an accessible title`);

    // What the embed shows (the UI helper's ?embed=1 view): the result alone, titled, with a
    // link to the same scenario in the full playground, and no error.
    const frame = page.frameLocator(`#${id}`);
    await frame.locator('.embed-title').waitFor({ timeout: 20000 });
    assert.equal((await frame.locator('.embed-title').textContent()).trim(), title);
    assert.equal(await frame.locator('.notice.error, [role="alert"]').count(), 0, `${id} shows an error`);
    assert.ok((await frame.locator('.event-list li').count()) > 0, `${id} lists the events`);
    assert.ok((await frame.locator('svg').count()) > 0, `${id} draws the diagram`);
    const open = await frame.locator('#open-in-playground').getAttribute('href');
    const openUrl = new URL(open, src);
    assert.equal(openUrl.origin, origin);
    assert.equal(openUrl.searchParams.get('embed'), null, 'the link opens the full playground');
    assert.equal(openUrl.hash, src.hash, 'the link opens the same scenario');
    assert.equal(await frame.locator('#open-in-playground').getAttribute('target'), '_blank');
    assert.equal(await frame.locator('html').getAttribute('data-theme'), theme, `${id} theme`);
    // Auto-height (issue #13): the page's script sizes the frame to the height the embed posts,
    // so the embed has no scrollbar of its own.
    const { frame: height } = await frameSettled(page, `#${id}`);
    assert.ok(height > 420, `${id} is sized to its content, not left at 400 px: ${height}`);
    if (step) {
      // `&step=` selected that step's event and explains it in place.
      await frame.locator('.event.selected').waitFor();
      assert.match(await frame.locator('section.detail .explain').textContent(), /\w/);
    }
  }
  // The double hop is visible in the first embed's event list.
  // (textContent: rows out of view are not rendered, so innerText may leave them out.)
  assert.match(await page.frameLocator('#embed-ntlm').locator('.event-list').textContent(), /ANONYMOUS LOGON/);
}

test('the page sizes its embeds with the README\'s snippet, word for word', () => {
  const squash = (t) => t.replace(/\s+/g, ' ').trim();
  const snippet = (text, where) => {
    const m = text.match(/<script>\s*\/\/ Impersonation Playground embeds[\s\S]*?<\/script>/);
    assert.ok(m, `${where} has the resizing snippet`);
    return squash(m[0].replace(/\s*\([^)]*README[^)]*\)/, ''));
  };
  assert.equal(
    snippet(readFileSync(join(ROOT, PAGE, 'index.html'), 'utf8'), PAGE),
    snippet(readFileSync(join(ROOT, 'README.md'), 'utf8'), 'README.md'),
  );
});

/** The live section: waits for the simulator, then returns the share access's row. */
async function liveShareRow(page) {
  await page.waitForFunction(() => document.body.dataset.live, null, { timeout: 20000 });
  assert.equal(await page.evaluate(() => document.body.dataset.live), 'ready', await page.locator('#verdict').textContent());
  const row = page.locator('#live-events tbody tr[data-label="web-opens-reports-on-fs1"]');
  return {
    seenAs: async () => (await row.locator('td.seen-as').textContent()).trim(),
    identity: async () => (await row.locator('td.identity').textContent()).trim(),
  };
}

test('the embeds show their scenarios from another origin (?playground=), and the live table the expected identity', async () => {
  const playground = await baseUrl();
  const origin = new URL(playground).origin;
  assert.notEqual(origin, new URL(site.url).origin, 'the playground is embedded cross-origin');
  await withDocs(
    async ({ page, errors }) => {
      assert.equal(await page.title(), 'Delegation across servers: an example documentation page');
      await checkEmbeds(page, origin);

      // Live: Kerberos to an account trusted for delegation reaches the share as alice.
      const share = await liveShareRow(page);
      assert.equal(await page.locator('#live-events tbody tr').count(), 4);
      assert.equal(await share.identity(), 'CORP\\alice');
      assert.equal(await share.seenAs(), 'CORP\\alice');
      assert.equal(await page.locator('#verdict').textContent(), 'FS1 sees CORP\\alice: access granted (ok).');
      await screenshot(page, 'docs-page-light');

      // NTLM cannot be delegated: the double hop.
      await page.getByLabel('Alice signs in with').selectOption('ntlm');
      await assert.doesNotReject(page.getByText(`FS1 sees ${ANONYMOUS}: access denied (ERROR_ACCESS_DENIED).`).waitFor());
      assert.equal(await share.seenAs(), ANONYMOUS);
      assert.equal(await share.identity(), 'CORP\\alice', 'the server still impersonates alice on APP1');

      // Kerberos again, but the account is not trusted for delegation.
      await page.getByLabel('Alice signs in with').selectOption('kerberos');
      await page.getByLabel('svcWeb is trusted for delegation').uncheck();
      await assert.doesNotReject(page.getByText(`FS1 sees ${ANONYMOUS}: access denied`).waitFor());
      await page.getByLabel('svcWeb is trusted for delegation').check();
      await assert.doesNotReject(page.getByText('FS1 sees CORP\\alice: access granted (ok).').waitFor());
      // Rule IDs carry their titles from rule().
      assert.match(await page.locator('#live-events td.rules code[title]').first().getAttribute('title'), /\w/);
      assert.deepEqual(errors, []);
    },
    { query: `?playground=${encodeURIComponent(playground)}`, dropRelative: true },
  );
});

test('the page in the dark color scheme (screenshot)', async () =>
  withDocs(
    async ({ page }) => {
      await checkEmbeds(page, new URL(await baseUrl()).origin);
      const share = await liveShareRow(page);
      assert.equal(await share.seenAs(), 'CORP\\alice');
      await screenshot(page, 'docs-page-dark');
    },
    { query: `?playground=${encodeURIComponent(await baseUrl())}`, dropRelative: true, colorScheme: 'dark' },
  ));

// The page's own iframe addresses, ../../dist/?embed=1..., as in a site that holds the page and
// the playground's build side by side. They work only if dist/ refers to its files relatively
// (Trunk public_url "./"); with absolute addresses ("/impersonation-web-....js") dist/ works
// only at the root of a site.
const siteDist = join(SITE, 'dist', 'index.html');
const distIndex = existsSync(siteDist) ? readFileSync(siteDist, 'utf8') : '';
const absolute = /["'(]\/(?!\/)[^"'()\s]+\.(js|wasm|css)\b/.test(distIndex);
test('the embeds work with the page\'s own relative addresses (../../dist/), same origin', () =>
    withDocs(async ({ page, errors }) => {
      assert.ok(!absolute, 'dist/index.html must load its files relatively (Trunk public_url "./")');
      await checkEmbeds(page, new URL(site.url).origin);
      const share = await liveShareRow(page);
      assert.equal(await share.seenAs(), 'CORP\\alice');
      assert.deepEqual(errors, []);
    }),
);
