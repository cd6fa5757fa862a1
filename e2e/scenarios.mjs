// Scenarios shared by the end-to-end tests and the browser benchmark (bench/browser.mjs).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { ROOT } from './lib.mjs';

/** A preset's scenario, read from core/presets/<id>.json. */
export const presetScenario = (id) => JSON.parse(readFileSync(join(ROOT, 'core/presets', `${id}.json`), 'utf8'));

/**
 * The NTLM double-hop preset with its run replaced by `n` steps: every fourth a call to `web`
 * (impersonate, whoami), the others alternating whoami and revert. Titled "<n> steps".
 */
export function bigScenario(n) {
  const s = presetScenario('ntlm-double-hop');
  const steps = [];
  for (let i = 0; i < n; i++) {
    steps.push(i % 4 === 0 ? { do: 'call', to: 'web', steps: [{ do: 'impersonate' }, { do: 'whoami' }] } : { do: i % 2 ? 'whoami' : 'revert' });
  }
  s.run.steps = steps;
  // The preset's expectations name its own steps' labels, which these steps do not carry.
  delete s.expect;
  s.title = `${n} steps`;
  return s;
}

/** Unpadded base64url. */
export const b64url = (buf) => Buffer.from(buf).toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

/** The share link of a scenario (object or JSON text), as SPEC §5a spells it: raw DEFLATE, unpadded base64url. */
export const sLink = (scenario) => `#s=${b64url(deflateRawSync(Buffer.from(typeof scenario === 'string' ? scenario : JSON.stringify(scenario))))}`;
