// End-to-end harness for the playground: a static server for dist/ and Debian's headless
// Chromium driven by playwright-core. Test files use it with node:test:
//
//   import { test } from 'node:test';
//   import assert from 'node:assert/strict';
//   import { withPage } from './lib.mjs';
//
//   test('the heading is visible', () => withPage(async ({ page }) => {
//     await assert.doesNotReject(page.getByRole('heading', { name: 'Impersonation Playground' }).waitFor());
//   }));
//
// Run all files with `node --test e2e/` (after `trunk build --release`), one with
// `node --test e2e/smoke.test.mjs`. Every page opened by withPage fails its test on a console
// error, an uncaught exception or a failed request, unless told otherwise.
//
// Environment: E2E_DIST (folder to serve, default dist/), E2E_URL (test an already running
// server instead, e.g. `trunk serve`), CHROMIUM (browser binary, default /usr/bin/chromium),
// E2E_HEADFUL=1 (show the window, needs a display).

import { createServer } from 'node:http';
import { createReadStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve, sep, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const HERE = dirname(fileURLToPath(import.meta.url));

/** The repository root. */
export const ROOT = resolve(HERE, '..');

/** The folder served by {@link startServer}: Trunk's output. */
export const DIST = resolve(process.env.E2E_DIST ?? join(ROOT, 'dist'));

/** Where {@link screenshot} writes its PNG files (git-ignored). */
export const SCREENSHOT_DIR = join(HERE, 'screenshots');

/** The browser binary: Debian's chromium, never a downloaded one. */
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

/**
 * Flags for headless Chromium as root in a container: no sandbox (root), no GPU, and nothing
 * that talks to the network on its own. Playwright adds a fresh temporary --user-data-dir.
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

const COMPRESSIBLE = /\.(wasm|js|mjs|css|html|json|svg)$/i;
const gzCache = new Map();
/** The file's gzip -9 bytes, computed once per file and modification time. */
function gzipped(file) {
  const key = `${file}:${statSync(file).mtimeMs}`;
  if (!gzCache.has(key)) gzCache.set(key, gzipSync(readFileSync(file), { level: 9 }));
  return gzCache.get(key);
}

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

/**
 * Starts a static file server for `root` on 127.0.0.1 at a free port (or `port`).
 * `/` and any path without a file extension that matches no file serve `index.html`, so that
 * the app's own routes load; `/favicon.ico` answers 204 when dist/ has none, so Chrome logs no
 * error for it. Files are sent with their MIME type (`.wasm` as `application/wasm`) and
 * `Cache-Control: no-store`.
 *
 * @param {{root?: string, port?: number}} [options]
 * @returns {Promise<{url: string, port: number, close: () => Promise<void>}>} `url` ends with `/`.
 */
export async function startServer({ root = DIST, port = 0 } = {}) {
  root = resolve(root);
  if (!existsSync(join(root, 'index.html'))) {
    throw new Error(`${root}/index.html not found: build the playground first (bash scripts/build.sh)`);
  }
  const server = createServer((req, res) => {
    const send = (status, type, body = '') => {
      res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store' });
      res.end(body);
    };
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    } catch {
      return send(400, 'text/plain', 'bad request');
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'text/plain', 'method not allowed');
    let file = normalize(join(root, pathname));
    if (file !== root && !file.startsWith(root + sep)) return send(403, 'text/plain', 'forbidden');
    const isFile = (f) => existsSync(f) && statSync(f).isFile();
    if (!isFile(file)) {
      if (existsSync(file) && isFile(join(file, 'index.html'))) file = join(file, 'index.html');
      else if (pathname === '/favicon.ico') return send(204, 'image/x-icon');
      else if (extname(pathname) === '') file = join(root, 'index.html');
      else return send(404, 'text/plain', `not found: ${pathname}`);
    }
    const type = MIME[extname(file).toLowerCase()] ?? 'application/octet-stream';
    // Compressed as a static host would (gzip -9, once per file version) when the browser asks,
    // so that timings over an emulated slow link see the real transfer size.
    const gzip = COMPRESSIBLE.test(file) && /\bgzip\b/.test(req.headers['accept-encoding'] ?? '');
    const body = gzip ? gzipped(file) : null;
    res.writeHead(200, {
      'Content-Type': type,
      'Content-Length': body ? body.length : statSync(file).size,
      'Cache-Control': 'no-store',
      ...(body && { 'Content-Encoding': 'gzip', Vary: 'Accept-Encoding' }),
    });
    if (req.method === 'HEAD') return res.end();
    if (body) return res.end(body);
    createReadStream(file).pipe(res);
  });
  await new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', ok);
  });
  // Do not keep the test process alive on the server's account alone.
  server.unref();
  const actual = server.address().port;
  return {
    url: `http://127.0.0.1:${actual}/`,
    port: actual,
    close: () =>
      new Promise((ok) => {
        server.closeAllConnections?.();
        server.close(() => ok());
      }),
  };
}

let sharedServer;

/** The base URL pages open: E2E_URL, or one server for dist/ shared by the whole test file. */
export async function baseUrl() {
  if (process.env.E2E_URL) return new URL(process.env.E2E_URL).href;
  sharedServer ??= startServer();
  return (await sharedServer).url;
}

/**
 * Launches Debian's headless Chromium with {@link CHROMIUM_ARGS} and a fresh temporary
 * user-data-dir (removed on close). Prefer {@link withPage}; close what this returns.
 *
 * @returns {Promise<import('playwright-core').Browser>}
 */
export async function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: process.env.E2E_HEADFUL !== '1',
    args: CHROMIUM_ARGS,
    chromiumSandbox: false,
  });
}

/**
 * Opens the playground in a fresh browser and page, runs `fn`, and closes everything, also when
 * `fn` throws. The page records console errors, uncaught exceptions, failed requests and HTTP
 * errors in `errors`; unless `allowErrors` is set, any of them fails the call after `fn` ran.
 *
 * @template T
 * @param {(ctx: {page: import('playwright-core').Page, errors: string[], url: string,
 *   context: import('playwright-core').BrowserContext}) => Promise<T>} fn
 * @param {object} [options]
 * @param {'light'|'dark'} [options.colorScheme='light'] the `prefers-color-scheme` the page sees
 * @param {{width: number, height: number}} [options.viewport={width: 1280, height: 800}]
 * @param {string} [options.url] the address to open, absolute or relative to the server
 *   (e.g. `'#s=...'` for a share link); default the playground's root
 * @param {boolean} [options.waitForApp=true] wait for the app (see {@link waitForApp}) first
 * @param {boolean} [options.allowErrors=false] do not fail on console or page errors
 * @returns {Promise<T>} what `fn` returned
 */
export async function withPage(fn, { colorScheme = 'light', viewport = { width: 1280, height: 800 }, url, waitForApp: wait = true, allowErrors = false } = {}) {
  const base = await baseUrl();
  const target = new URL(url ?? '', base).href;
  const browser = await launchBrowser();
  try {
    const context = await browser.newContext({ colorScheme, viewport });
    const page = await context.newPage();
    const errors = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`console.error: ${m.text()}`);
    });
    page.on('pageerror', (e) => errors.push(`uncaught: ${e.stack ?? e.message}`));
    page.on('requestfailed', (r) => {
      // An aborted navigation (a test leaving the page) is not the app's fault.
      if (r.failure()?.errorText !== 'net::ERR_ABORTED') errors.push(`request failed: ${r.url()} ${r.failure()?.errorText}`);
    });
    page.on('response', (r) => {
      if (r.status() >= 400) errors.push(`HTTP ${r.status()}: ${r.url()}`);
    });
    await page.goto(target);
    if (wait) await waitForApp(page);
    const result = await fn({ page, errors, url: target, context });
    if (!allowErrors && errors.length) {
      throw new Error(`the page reported ${errors.length} error(s):\n  ${errors.join('\n  ')}`);
    }
    return result;
  } finally {
    await browser.close();
  }
}

/**
 * Waits until the app has rendered: `selector` (default: the first `h1`) is visible.
 *
 * @param {import('playwright-core').Page} page
 * @param {{selector?: string, timeout?: number}} [options]
 */
export async function waitForApp(page, { selector = 'h1', timeout = 15000 } = {}) {
  await page.locator(selector).first().waitFor({ state: 'visible', timeout });
}

/**
 * Saves a full-page PNG as `e2e/screenshots/<name>.png` and returns its path.
 *
 * @param {import('playwright-core').Page} page
 * @param {string} name file name without extension, e.g. `'home-dark'`
 * @returns {Promise<string>}
 */
export async function screenshot(page, name) {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  // A full-page capture does not scroll, so fixed overlays would cover only the first screen:
  // capture in a window as tall as the page instead, then restore the window.
  const size = page.viewportSize();
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  const grow = size && height > size.height;
  if (grow) {
    await page.setViewportSize({ width: size.width, height });
    // Two frames: the page lays itself out again at the new size before the capture.
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  }
  // The runs of rows (`.chunk`, 20 rows each) that the playground skips off screen
  // (content-visibility: auto) may still be unpainted, so a capture would show them blank: paint
  // them all for it (CSSOM, which the page's CSP allows), then hand them back to the browser.
  const rows = '.chunk';
  await page.evaluate((sel) => document.querySelectorAll(sel).forEach((el) => { el.style.contentVisibility = 'visible'; }), rows);
  await page.screenshot({ path, fullPage: true });
  await page.evaluate((sel) => document.querySelectorAll(sel).forEach((el) => { el.style.contentVisibility = ''; }), rows);
  if (grow) await page.setViewportSize(size);
  return path;
}

/** What the person sees: the window (not the whole page), with `target` scrolled into its middle. */
export async function shot(page, name, target) {
  if (target) await target.evaluate((el) => el.scrollIntoView({ block: 'center' }));
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`) });
}

/**
 * Opens the page once in the light and once in the dark color scheme, optionally runs `prepare`
 * on each (to reach the state worth seeing), and saves `<name>-light.png` and `<name>-dark.png`.
 *
 * @param {string} name
 * @param {object} [options] the options of {@link withPage} (except colorScheme), plus:
 * @param {(ctx: {page: import('playwright-core').Page}) => Promise<void>} [options.prepare]
 * @returns {Promise<string[]>} the two paths
 */
export async function screenshotSchemes(name, { prepare, ...options } = {}) {
  const paths = [];
  for (const colorScheme of ['light', 'dark']) {
    paths.push(
      await withPage(
        async (ctx) => {
          if (prepare) await prepare(ctx);
          return screenshot(ctx.page, `${name}-${colorScheme}`);
        },
        { ...options, colorScheme },
      ),
    );
  }
  return paths;
}

/**
 * A fresh empty temporary folder (for downloads or files to upload), removed at process exit.
 *
 * @returns {string}
 */
export function tempDir() {
  const dir = mkdtempSync(join(tmpdir(), 'impersonation-e2e-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * Waits until the iframe `selector` of `page` is as high as its document (an embed sized by the
 * README's snippet to the height it posts) and returns `{frame, doc}`: the iframe's height and
 * its document's scrollHeight and clientHeight. Fails after `timeout` ms with the last numbers.
 *
 * @param {import('playwright-core').Page} page
 * @param {string} selector
 */
export async function frameSettled(page, selector, { timeout = 6000 } = {}) {
  const inner = await (await page.$(selector)).contentFrame();
  let last;
  for (const end = Date.now() + timeout; Date.now() < end; await page.waitForTimeout(100)) {
    const frame = await page.locator(selector).evaluate((f) => f.getBoundingClientRect().height);
    const doc = await inner.evaluate(() => [document.documentElement.scrollHeight, document.documentElement.clientHeight]);
    last = { frame, doc };
    if (Math.abs(frame - doc[0]) < 1 && doc[0] === doc[1]) return last;
  }
  throw new Error(`${selector} did not settle to its content's height: ${JSON.stringify(last)}`);
}

/**
 * Serves `html` as the index.html of a second origin (a documentation page that holds an
 * embed), opens it with {@link withPage} (`options` as there) and runs `fn`; the server stops
 * afterwards.
 *
 * @template T
 * @param {string} html
 * @param {Parameters<typeof withPage>[0]} fn
 * @returns {Promise<T>}
 */
export async function withHostPage(html, fn, options = {}) {
  const dir = tempDir();
  writeFileSync(join(dir, 'index.html'), html);
  const host = await startServer({ root: dir });
  try {
    return await withPage(fn, { ...options, url: host.url });
  } finally {
    await host.close();
  }
}
