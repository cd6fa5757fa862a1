// The playground's fix finder (SPEC §8.2), in a module Web Worker so that the page never waits
// for it and its wasm (dist/fixer/fixer_bg.wasm, built by scripts/fixer.sh) is downloaded only
// when "Make it work" is first asked for, and once.
//
// Request: {id, scenario: JSON text, maxChanges}. Answer: {id, explain, proposals: [{tier,
// title, body, script, scenario}]}, safest first: the worst tier of its changes, their
// sentences, what the panel shows under the title as escaped markup (approver, each change's
// path before -> after and its commands, the expectations met, the review's findings added and
// removed, and the buttons Copy commands, Apply and See the preview), the commands one per
// line, and the JSON text of the scenario with the changes made; or {id, error}. So the
// playground's wasm neither searches nor renders a proposal.
// Requests that arrive while one is computed replace each other: only the newest is answered.
import init, { fixes } from './fixer.js';
import { applyChanges } from './paths.js';

const ready = init({ module_or_path: new URL('fixer_bg.wasm', import.meta.url) });
let next = null;
let busy = false;

self.onmessage = (e) => {
  next = e.data;
  if (!busy) {
    busy = true;
    run();
  }
};

async function run() {
  let failed = null;
  await ready.catch((err) => {
    failed = `the fix finder could not be loaded: ${err?.message ?? err}`;
  });
  while (next) {
    const req = next;
    next = null;
    let reply;
    try {
      if (failed) throw new Error(failed);
      reply = answer(req);
    } catch (err) {
      reply = { id: req.id, error: String(err?.message ?? err) };
    }
    self.postMessage(reply);
    // Let requests that came meanwhile in: the newest replaces the others.
    await new Promise((r) => setTimeout(r, 0));
  }
  busy = false;
}

const show = (v) => (v === null || v === undefined ? 'unset' : typeof v === 'string' ? v : JSON.stringify(v));
const esc = (t) => String(t).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;

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

export function answer({ id, scenario, maxChanges }) {
  const found = JSON.parse(fixes(scenario, maxChanges ?? 3));
  const base = JSON.parse(scenario);
  return {
    id,
    explain: found.explain,
    proposals: found.proposals.map((p) => ({
      tier: Math.max(0, ...p.changes.map((c) => c.tier)),
      title: p.changes.map((c) => c.sentence).join(' '),
      body: body(p),
      script: p.changes.flatMap((c) => c.commands.map((x) => x.text)).join('\n'),
      scenario: JSON.stringify(applyChanges(base, p.changes)),
    })),
  };
}
