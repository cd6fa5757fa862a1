// Smoke test: the built playground loads in headless Chromium, shows its heading, and logs no
// errors; the static server sends what the browser needs. Screenshots land in e2e/screenshots/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { DIST, baseUrl, screenshot, withPage } from './lib.mjs';

test('the server sends index.html and the wasm with their MIME types', async () => {
  const base = await baseUrl();
  const index = await fetch(base);
  assert.equal(index.status, 200);
  assert.match(index.headers.get('content-type'), /^text\/html/);
  const wasm = readdirSync(DIST).filter((f) => f.endsWith('.wasm'));
  assert.ok(wasm.length > 0, `no .wasm file in ${DIST}`);
  for (const f of wasm) {
    const r = await fetch(new URL(f, base));
    assert.equal(r.status, 200, f);
    assert.equal(r.headers.get('content-type'), 'application/wasm', f);
    await r.arrayBuffer();
  }
});

for (const colorScheme of ['light', 'dark']) {
  test(`the heading is visible and nothing is logged as an error (${colorScheme})`, () =>
    withPage(
      async ({ page, errors }) => {
        const heading = page.getByRole('heading', { name: 'Impersonation Playground', level: 1 });
        await heading.waitFor({ state: 'visible' });
        assert.equal(await page.title(), 'Impersonation Playground');
        await screenshot(page, `smoke-${colorScheme}`);
        assert.deepEqual(errors, []);
      },
      { colorScheme },
    ));
}
