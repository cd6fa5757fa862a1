// The playground's fix finder (SPEC §8.2), in a module Web Worker so that the page never waits
// for it and its wasm (dist/fixer/fixer_bg.wasm, built by scripts/fixer.sh) is downloaded only
// when "Make it work" is first asked for, and once.
//
// Request: {id, scenario: JSON text, maxChanges}. Answer: {id, explain, proposals: [{applied,
// item, chosen, script, scenario}]}, safest first: what the playground says once it is in place
// (its number, its changes' sentences, one Undo takes it back); the proposal as the
// panel lists it, as escaped markup, unselected and selected (its title button with the worst
// tier of its changes, then the approver, each change's path before -> after and its commands,
// the expectations met, the review's findings added and removed, and the buttons Copy commands,
// Apply and See the preview); the phone's Apply and Back beside its preview, as markup; the
// commands one per line; and the JSON text of the scenario with the changes made; or {id,
// error}. So the playground's wasm neither searches nor renders a proposal.
//
// Two roles, one file. Loaded by the page, it is the playground's worker: it fetches and compiles
// the fix finder's wasm once, and hands each request to a search worker (this file again, as
// `worker.js?search`) with the compiled module. A request that comes while the search worker is
// still busy terminates it and starts a fresh one (the module is compiled already: instantiating
// it takes milliseconds), so a search that an edit made moot stops at once and the edit's own
// request does not wait behind it; a request superseded before it started is dropped. Only the
// newest request is answered. (A shared counter checked between proposals would need a
// SharedArrayBuffer, which a page served without cross-origin isolation does not get.)
import init, { fixes } from './fixer.js';
import { applyChanges } from './paths.js';

const here = (file) => new URL(file, import.meta.url);

if (new URL(import.meta.url).search === '?search') {
  // The search worker: {module, req} in, the answer out.
  let ready = null;
  self.onmessage = async ({ data: { module, req } }) => {
    let reply;
    try {
      await (ready ??= init({ module_or_path: module }));
      reply = answer(req);
    } catch (err) {
      reply = { id: req.id, error: String(err?.message ?? err) };
    }
    self.postMessage(reply);
  };
} else {
  let compiled = null;
  const compile = () => fetch(here('fixer_bg.wasm')).then(async (r) => {
    if (!r.ok) throw new Error(`${r.status} ${r.statusText}`);
    // Compiled while it downloads, when the server says it is wasm (as a browser requires).
    const streams = r.headers.get('Content-Type')?.startsWith('application/wasm');
    return streams ? WebAssembly.compileStreaming(r) : WebAssembly.compile(await r.arrayBuffer());
  });
  let search = null; // the search worker
  let running = null; // the id of the request it is busy with
  let newest = 0;
  const start = () => {
    const w = new Worker(here('worker.js?search'), { type: 'module' });
    w.onmessage = ({ data }) => {
      running = null;
      self.postMessage(data);
    };
    w.onerror = (e) => {
      e.preventDefault();
      search = null;
      if (running !== null) {
        self.postMessage({ id: running, error: `the fix finder's search could not be started: ${e.message || 'no reason given'}` });
      }
      running = null;
    };
    return w;
  };
  self.onmessage = async ({ data: req }) => {
    const mine = ++newest;
    let module;
    try {
      module = await (compiled ??= compile());
    } catch (err) {
      self.postMessage({ id: req.id, error: `the fix finder could not be loaded: ${err?.message ?? err}` });
      return;
    }
    if (mine !== newest) return; // a newer request came while the module loaded
    if (running !== null) {
      search.terminate();
      search = null;
    }
    search ??= start();
    running = req.id;
    search.postMessage({ module, req });
  };
}

const show = (v) => (v === null || v === undefined ? 'unset' : typeof v === 'string' ? v : JSON.stringify(v));
const esc = (t) => String(t).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;
/** A proposal's title: its changes' sentences. */
const sentences = (p) => p.changes.map((c) => c.sentence).join(' ');

/** What the panel shows of a proposal under its title, as markup (every text escaped). */
export function body(p) {
  const approvers = [...new Set(p.changes.map((c) => c.approver))].join(', ');
  const changes = p.changes.map((c) => {
    const commands = c.commands.map((x) => `<pre class="command" data-shell="${esc(x.shell)}"><code>${esc(x.text)}</code></pre>`);
    return `<li>${p.changes.length > 1 ? `<p>${esc(c.sentence)}</p>` : ''}<p class="path"><code>${esc(c.path)}</code>: <code>${esc(show(c.before))}</code> → <code>${esc(show(c.after))}</code></p>${commands.join('')}</li>`;
  });
  const meets = p.expectations.map((x) => `<li>✓ meets ${esc(x.label)}: ${esc(x.field)} ${esc(x.want ?? 'null')}</li>`);
  const finding = (what) => (f) =>
    `<li class="finding ${esc(f.severity)}"><b>${what} ${esc(f.severity)} · ${esc(f.id)}:</b> ${esc(f.explain)}</li>`;
  const found = [...p.findings_added.map(finding('Exposes')), ...p.findings_removed.map(finding('Removes'))];
  if (!found.length) found.push('<li>The security review finds nothing new.</li>');
  // The panel handles the buttons' clicks by their data-act; those marked when-chosen show only
  // on the proposal selected.
  const button = (act, cls, text) => `<button type="button" class="btn small ${cls}" data-act="${act}">${text}</button>`;
  return `<p class="fix-who">Approver: ${esc(approvers)} · ${plural(p.changes.length, 'change')}</p>` +
    `<ul class="plain changes">${changes.join('')}</ul>` +
    `<p class="proposal-actions">${button('copy', 'copy-commands', 'Copy commands')}` +
    `${button('apply', 'primary apply-fix when-chosen', 'Apply (one undo step)')}` +
    `${button('preview', 'phone-only when-chosen', 'See the preview')}</p>` +
    `<ul class="plain meets">${meets.join('')}</ul><ul class="plain exposes">${found.join('')}</ul>`;
}

/**
 * A proposal as the panel lists it, as markup: its title button (`fix-pick-<i>`, pressed when
 * `chosen`) with its tier and number, then its body.
 */
export function item(p, i, chosen) {
  const tier = Math.max(0, ...p.changes.map((c) => c.tier));
  return `<li class="proposal${chosen ? ' chosen' : ''}" data-i="${i}"><button type="button" class="proposal-pick" ` +
    `id="fix-pick-${i}" data-act="pick" aria-pressed="${chosen}"><span class="tier tier-${tier}">Tier ${tier}</span>` +
    `<span>${i + 1}. ${esc(sentences(p))}</span></button>${body(p)}</li>`;
}

/**
 * The phone's actions beside proposal `i`'s preview in the Result view, as markup: its Apply
 * (`fix-apply`) and the way back to the proposals.
 */
export function preview(i) {
  return `<span data-i="${i}"><button type="button" class="btn small primary" id="fix-apply" data-act="apply">` +
    `Apply proposal ${i + 1} (one undo step)</button><button type="button" class="btn small" data-act="back">` +
    'Back to the proposals</button></span>';
}

export function answer({ id, scenario, maxChanges }) {
  const found = JSON.parse(fixes(scenario, maxChanges ?? 3));
  const base = JSON.parse(scenario);
  return {
    id,
    explain: found.explain,
    proposals: found.proposals.map((p, i) => ({
      applied: `Applied proposal ${i + 1}: ${sentences(p)} One Undo (Ctrl+Z) restores the scenario before it.`,
      item: item(p, i, false),
      chosen: item(p, i, true),
      preview: preview(i),
      script: p.changes.flatMap((c) => c.commands.map((x) => x.text)).join('\n'),
      scenario: JSON.stringify(applyChanges(base, p.changes)),
    })),
  };
}
