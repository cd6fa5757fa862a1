// The npm package `impersonation-core` (issue #5 item 3, SPEC §5): what a user gets from
// `npm install`, tested as they would use it. This file builds nothing: it needs the packages
// that wasm-pack writes to core/pkg-node (Node) and core/pkg-bundler (bundlers), made by the
// `npm-package` stage of scripts/test.sh, or by hand after `. scripts/env.sh`:
//
//   wasm-pack build core --release --target nodejs  --out-dir pkg-node    --mode no-install
//   wasm-pack build core --release --target bundler --out-dir pkg-bundler --mode no-install
//
// It packs core/pkg-node with `npm pack` and installs the tarball into a temporary project
// (offline: the package has no dependencies), so that the package's `files`, `main` and `types`
// are what is tested, then: simulates a preset, validates and simulates a broken scenario,
// reads a rule, imports the bundler build through Node's WebAssembly ES-module support (what a
// bundler does), and type-checks a TypeScript file against the generated .d.ts with `tsc`.

import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const PKG_NODE = join(ROOT, 'core', 'pkg-node');
const PKG_BUNDLER = join(ROOT, 'core', 'pkg-bundler');
const NAME = 'impersonation-core';
const ANONYMOUS = 'NT AUTHORITY\\ANONYMOUS LOGON';

for (const [dir, target] of [
  [PKG_NODE, 'nodejs'],
  [PKG_BUNDLER, 'bundler'],
]) {
  if (!existsSync(join(dir, 'package.json'))) {
    throw new Error(
      `${dir}/package.json not found: build the npm package first ` +
        `(. scripts/env.sh && wasm-pack build core --release --target ${target} --out-dir ${dir.split('/').pop()} --mode no-install), ` +
        'or run STAGES=npm-package bash scripts/test.sh',
    );
  }
}

/** A temporary project with the packed pkg-node installed, as a user's would be. */
let project;
/** The installed package, loaded with require() as a CommonJS user would. */
let core;

const npm = (args, cwd) =>
  execFileSync('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error', '--offline'], {
    cwd,
    encoding: 'utf8',
  });

before(() => {
  project = mkdtempSync(join(tmpdir(), 'impersonation-npm-'));
  process.once('exit', () => rmSync(project, { recursive: true, force: true }));
  const tarball = npm(['pack', PKG_NODE, '--pack-destination', project], ROOT).trim().split('\n').pop();
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'docs-author-project', private: true, type: 'module' }, null, 2),
  );
  npm(['install', join(project, tarball)], project);
  core = createRequire(join(project, 'index.js'))(NAME);
});

test('the package is named impersonation-core, ships its wasm, typings and README, and has no dependencies', () => {
  const installed = join(project, 'node_modules', NAME);
  const pkg = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8'));
  assert.equal(pkg.name, NAME);
  assert.equal(pkg.dependencies, undefined);
  const files = readdirSync(installed);
  for (const f of [pkg.main, pkg.types, 'impersonation_core_bg.wasm', 'README.md']) {
    assert.ok(files.includes(f), `${f} is missing from the installed package (it has ${files.join(', ')})`);
  }
  const readme = readFileSync(join(installed, 'README.md'), 'utf8');
  assert.match(readme, /simulate\(/, 'the package README shows simulate()');
});

test('simulate(ntlm-double-hop): the share on FS1 sees NT AUTHORITY\\ANONYMOUS LOGON (the double hop)', () => {
  const presets = core.presets();
  assert.ok(presets.length >= 10, `presets(): ${presets.length}`);
  for (const p of presets) {
    assert.equal(typeof p.id, 'string');
    assert.equal(typeof p.title, 'string');
    assert.equal(p.scenario.format, 'impersonation-scenario/1', p.id);
  }
  const preset = presets.find((p) => p.id === 'ntlm-double-hop');
  assert.ok(preset, 'the preset ntlm-double-hop exists');
  const outcome = core.simulate(preset.scenario);
  assert.equal(outcome.format, 'impersonation-outcome/1');
  const share = outcome.events.find((e) => e.label === 'web-opens-share-on-fs1');
  assert.ok(share, 'an event for the share access');
  assert.equal(share.do, 'access');
  assert.equal(share.process, 'web');
  assert.equal(share.identity, 'CORP\\alice', 'the web server impersonates alice');
  assert.equal(share.seen_as, ANONYMOUS);
  assert.equal(share.status, 'ERROR_ACCESS_DENIED');
  assert.ok(share.rules.includes('KD-7'), `rules ${share.rules}`);
  assert.match(share.explain, /ANONYMOUS LOGON/);
  // The local file on APP1 is reached as alice.
  const local = outcome.events.find((e) => e.label === 'web-opens-local-file');
  assert.equal(local.status, 'ok');
  // JSON text gives the same outcome as the object.
  assert.deepEqual(core.simulate(JSON.stringify(preset.scenario)), outcome);
  // Every preset simulates.
  for (const p of presets) assert.ok(core.simulate(p.scenario).events.length > 0, p.id);
  // The preset expects the share to see alice (SPEC §8.1): the outcome says it does not.
  assert.deepEqual(outcome.expectations, [
    { label: 'web-opens-local-file', field: 'status', want: 'ok', got: 'ok', met: true },
    { label: 'web-opens-share-on-fs1', field: 'status', want: 'ok', got: 'ERROR_ACCESS_DENIED', met: false },
    { label: 'web-opens-share-on-fs1', field: 'seen_as', want: 'alice', got: ANONYMOUS, met: false },
  ]);
  const { expect: _, ...plain } = preset.scenario;
  assert.equal('expectations' in core.simulate(plain), false, 'no expect, no expectations');
});

test('fixes(ntlm-double-hop): resource-based delegation on the file server first, with its command', () => {
  const scenario = core.presets().find((p) => p.id === 'ntlm-double-hop').scenario;
  const f = core.fixes(scenario);
  assert.equal(f.format, 'impersonation-fixes/1');
  const [first] = f.proposals;
  assert.deepEqual(first.changes.map((c) => [c.kind, c.tier, c.approver, c.path, c.after]), [
    ['rbcd', 1, 'resource owner', 'accounts.FS1$.allowed_to_act', ['svcApp']],
  ]);
  assert.deepEqual(first.changes[0].commands, [
    { shell: 'powershell', text: "Set-ADComputer -Identity 'FS1$' -PrincipalsAllowedToDelegateToAccount 'svcApp'" },
  ]);
  assert.ok(first.expectations.every((x) => x.met));
  const share = first.outcome.events.find((e) => e.label === 'web-opens-share-on-fs1');
  assert.equal(share.seen_as, 'CORP\\alice');
  assert.equal(core.fixes(scenario, { maxProposals: 1 }).proposals.length, 1);
  assert.throws(() => core.fixes(scenario, { maxChanges: 0 }), /options\.maxChanges: expected a whole number from 1 to 10, found 0/);
});

test('review(): findings with severity, subject, sources and fix; an invalid scenario throws', () => {
  const kcd = core.presets().find((p) => p.id === 'kcd-any-protocol').scenario;
  const r = core.review(kcd);
  assert.equal(r.format, 'impersonation-review/1');
  const first = r.findings[0];
  assert.deepEqual(Object.keys(first), ['id', 'severity', 'subject', 'title', 'explain', 'sources', 'fix']);
  assert.deepEqual(
    [first.id, first.severity, first.subject, first.title],
    ['SR-3', 'medium', 'svcWeb', 'Protocol transition (use any authentication protocol)'],
  );
  assert.match(first.fix, /Set-ADAccountControl -Identity 'svcWeb' -TrustedToAuthForDelegation \$false/);
  assert.ok(first.sources.every((s) => /^https?:\/\//.test(s.url)));
  assert.equal(core.rule(first.id).title, first.title);
  assert.deepEqual(core.review(core.presets().find((p) => p.id === 'ntlm-double-hop').scenario).findings, []);
  assert.throws(() => core.review(broken()), /processes\.db\.machine: unknown machine "NOWHERE"/);
});

/** ntlm-double-hop with two mistakes: a process on an unknown machine, an unknown resource. */
function broken() {
  const s = structuredClone(core.presets().find((p) => p.id === 'ntlm-double-hop').scenario);
  s.processes.db.machine = 'NOWHERE';
  s.run.steps[0].steps[2].resource = 'no-such-share';
  return s;
}

test('validate() of a valid scenario is empty; of a broken one, a problem with a JSON path each', () => {
  assert.deepEqual(core.validate(core.presets()[0].scenario), []);
  const problems = core.validate(broken());
  assert.ok(Array.isArray(problems));
  const paths = problems.map((p) => p.path);
  assert.ok(paths.includes('processes.db.machine'), `paths: ${paths}`);
  assert.ok(paths.includes('run.steps[0].steps[2].resource'), `paths: ${paths}`);
  for (const p of problems) {
    assert.deepEqual(Object.keys(p).sort(), ['message', 'path']);
    assert.ok(p.message.length > 0);
  }
  assert.match(problems.find((p) => p.path === 'processes.db.machine').message, /NOWHERE/);
  assert.match(problems.find((p) => p.path === 'run.steps[0].steps[2].resource').message, /no-such-share/);
  // Text that is not JSON, and values that are not scenarios, are problems too (never a throw).
  assert.equal(core.validate('{not json')[0].path, '$');
  assert.equal(core.validate(42)[0].path, '$');
});

test('simulate() of a broken scenario throws an Error with one "path: message" line per problem', () => {
  const s = broken();
  const problems = core.validate(s);
  let thrown;
  assert.throws(
    () => core.simulate(s),
    (e) => {
      thrown = e;
      return e instanceof Error;
    },
  );
  const lines = thrown.message.split('\n');
  for (const line of lines) assert.match(line, /^[\w$.[\]]+: \S/, `line "${line}"`);
  assert.deepEqual(
    lines,
    problems.map((p) => `${p.path}: ${p.message}`),
    'the message lists what validate() returns',
  );
  assert.throws(() => core.simulate('{not json'), /^Error: \$: not valid JSON/);
});

test('rule("KD-4") has a title, a text and sources with https URLs; an unknown ID is undefined', () => {
  const r = core.rule('KD-4');
  assert.equal(r.id, 'KD-4');
  assert.match(r.title, /constrained delegation/i);
  assert.ok(r.text.length > 40);
  assert.equal(r.simulated, true);
  assert.ok(r.sources.length > 0);
  for (const s of r.sources) {
    assert.match(s.id, /^S\d+$/);
    assert.ok(s.title.length > 0);
  }
  const urls = r.sources.map((s) => s.url).filter((u) => /^https:\/\/\S+$/.test(u));
  assert.ok(urls.length > 0, `no https URL among ${JSON.stringify(r.sources)}`);
  assert.ok(urls.some((u) => new URL(u).hostname === 'learn.microsoft.com'), urls.join(' '));
  assert.equal(core.rule('NO-SUCH-RULE'), undefined);
  // Every rule cited by an outcome exists in the catalogue.
  const outcome = core.simulate(core.presets().find((p) => p.id === 'ntlm-double-hop').scenario);
  for (const id of new Set(outcome.events.flatMap((e) => e.rules))) {
    assert.ok(core.rule(id), `rule ${id} cited by the outcome`);
  }
});

// Every source of the catalogue is a link a reader can open (core/src/rules/sources.rs).
test('every source of KD-4 and PK is an https URL', () => {
  for (const id of ['KD-4', 'PK']) {
    for (const s of core.rule(id).sources) assert.match(s.url, /^https:\/\/\S+$/, `${id} ${s.id} ${s.title}`);
  }
});

test('the Node package also loads with import (ES modules)', async () => {
  const m = await import(pathToFileURL(join(project, 'node_modules', NAME, 'impersonation_core.js')).href);
  assert.equal(typeof m.simulate, 'function');
  const dir = join(project, 'esm.mjs');
  writeFileSync(
    dir,
    `import { simulate, presets } from '${NAME}';\n` +
      `const o = simulate(presets().find((p) => p.id === 'ntlm-double-hop').scenario);\n` +
      `process.stdout.write(o.events.find((e) => e.label === 'web-opens-share-on-fs1').seen_as);\n`,
  );
  assert.equal(execFileSync(process.execPath, [dir], { cwd: project, encoding: 'utf8' }), ANONYMOUS);
});

test('the bundler build is an ES module that imports its .wasm (checked with Node --experimental-wasm-modules)', () => {
  const pkg = JSON.parse(readFileSync(join(PKG_BUNDLER, 'package.json'), 'utf8'));
  assert.equal(pkg.name, NAME);
  assert.equal(pkg.type, 'module');
  const entry = pathToFileURL(join(PKG_BUNDLER, pkg.main)).href;
  const out = execFileSync(
    process.execPath,
    [
      '--experimental-wasm-modules',
      '--no-warnings',
      '--input-type=module',
      '-e',
      `import { simulate, validate, presets, rule } from '${entry}';\n` +
        `const o = simulate(presets().find((p) => p.id === 'ntlm-double-hop').scenario);\n` +
        `process.stdout.write(JSON.stringify([o.events.find((e) => e.label === 'web-opens-share-on-fs1').seen_as, validate('[]')[0].path, rule('KD-4').id]));`,
    ],
    { encoding: 'utf8' },
  );
  assert.deepEqual(JSON.parse(out), [ANONYMOUS, '$', 'KD-4']);
});

test('the generated .d.ts types the whole API, and a TypeScript user file type-checks against it', () => {
  const installed = join(project, 'node_modules', NAME);
  const dts = readFileSync(join(installed, 'impersonation_core.d.ts'), 'utf8');
  for (const sig of [
    'export function simulate(scenario: Scenario | string): Outcome;',
    'export function validate(scenario: Scenario | string): Problem[];',
    'export function presets(): Preset[];',
    'export function rule(id: string): Rule | undefined;',
    'export function review(scenario: Scenario | string): Review;',
    'export function fixes(scenario: Scenario | string, options?: FixOptions | null): Fixes;',
  ]) {
    assert.ok(dts.includes(sig), `the .d.ts lacks: ${sig}`);
  }
  for (const name of ['Scenario', 'Outcome', 'Event', 'Problem', 'Preset', 'Rule', 'Source', 'Step', 'Process', 'Expectation', 'ExpectField', 'Review', 'Finding', 'Severity']) {
    assert.match(dts, new RegExp(`export (interface|type) ${name}\\b`), name);
  }
  // The same .d.ts in the bundler build.
  assert.equal(readFileSync(join(PKG_BUNDLER, 'impersonation_core.d.ts'), 'utf8'), dts);

  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  assert.ok(existsSync(tsc), 'typescript is not installed: run npm ci (it is in package.json)');
  // `@ts-expect-error` lines fail the check if the API were typed `any`.
  writeFileSync(
    join(project, 'check.mts'),
    `import { simulate, validate, presets, rule, review, fixes } from '${NAME}';
import type { Scenario, Outcome, Event, Problem, Preset, Rule, TokenLevel, Expectation, Review, Finding, Severity, Fixes, Change } from '${NAME}';

const all: Preset[] = presets();
const scenario: Scenario = all[0].scenario;
const outcome: Outcome = simulate(scenario);
const again: Outcome = simulate(JSON.stringify(scenario));
const first: Event | undefined = outcome.events[0];
const seen: string | null | undefined = first?.seen_as;
const level: TokenLevel | null | undefined = first?.level;
const problems: Problem[] = validate({
  format: 'impersonation-scenario/1', title: 'one hop', machines: ['WS1'],
  accounts: { alice: {} },
  processes: { app: { machine: 'WS1', account: 'alice' } },
  run: { process: 'app', steps: [{ do: 'whoami' }, { do: 'call', to: 'app', authn: 'kerberos', imp_level: 'delegate' }] },
});
const paths: string[] = problems.map((p) => p.path);
const expecting: Scenario = { ...scenario, expect: { 'call-b': { status: 'fail', seen_as: 'alice', level: null } } };
const verdicts: Expectation[] | undefined = simulate(expecting).expectations;
const met: boolean | undefined = verdicts?.[0].met;
const report: Review = review(scenario);
const worst: Severity | undefined = report.findings[0]?.severity;
const remedies: string[] = report.findings.map((f: Finding) => f.fix);
const found: Fixes = fixes(expecting, { maxChanges: 2 });
const firstChange: Change | undefined = found.proposals[0]?.changes[0];
const commands: string[] = firstChange ? firstChange.commands.map((c) => c.shell + '> ' + c.text) : [];
const plain: Fixes = fixes(scenario);
// @ts-expect-error: an unknown expected field
const wrong: Scenario = { ...scenario, expect: { 'call-b': { colour: 'red' } } };
const r: Rule | undefined = rule('KD-4');
const urls: string[] = r ? r.sources.map((s) => s.url) : [];
// @ts-expect-error: a scenario must say its format
simulate({ title: 'no format', machines: [], processes: {}, run: { process: 'x' } });
// @ts-expect-error: an unknown step kind
validate({ format: 'impersonation-scenario/1', title: 't', machines: [], processes: {}, run: { process: 'x', steps: [{ do: 'fly' }] } });
// @ts-expect-error: rule() may return undefined
const title: string = rule('KD-4').title;
// @ts-expect-error: identity is a string
const n: number = outcome.events[0].identity;

export { again, seen, level, paths, urls, title, n, met, worst, remedies, wrong, commands, plain };
`,
  );
  try {
    execFileSync(
      process.execPath,
      [tsc, '--noEmit', '--strict', '--target', 'es2022', '--lib', 'es2022', '--module', 'nodenext', '--moduleResolution', 'nodenext', 'check.mts'],
      { cwd: project, encoding: 'utf8' },
    );
  } catch (e) {
    assert.fail(`tsc found errors:\n${e.stdout}${e.stderr}`);
  }
});
