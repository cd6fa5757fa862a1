#!/usr/bin/env node
// Prints the embed link and the iframe snippet of a scenario file, for a documentation page.
//
//   node docs/example/make-link.mjs SCENARIO.json [--base URL] [--theme light|dark] [--height PX] [--step LABEL]
//
// The link carries the scenario as SPEC §5a says: `#s=` and the unpadded base64url of the raw
// DEFLATE stream (RFC 1951) of the scenario's JSON, here written compactly (no indentation) to
// keep the link short. `--base` is where the playground is hosted (default `../../dist/`, the
// repository's build as seen from docs/example/); `--step` opens the embed with the event of that
// step label selected. Needs nothing but Node.

import { readFileSync } from 'node:fs';
import { deflateRawSync } from 'node:zlib';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    base: { type: 'string', default: '../../dist/' },
    theme: { type: 'string' },
    height: { type: 'string', default: '400' },
    step: { type: 'string' },
  },
});
if (positionals.length !== 1 || (values.theme && !['light', 'dark'].includes(values.theme))) {
  console.error('usage: node docs/example/make-link.mjs SCENARIO.json [--base URL] [--theme light|dark] [--height PX] [--step LABEL]');
  process.exit(1);
}
const scenario = JSON.parse(readFileSync(positionals[0], 'utf8'));
if (scenario.format !== 'impersonation-scenario/1') {
  console.error(`${positionals[0]}: not a scenario (its format should be "impersonation-scenario/1")`);
  process.exit(2);
}
const data = deflateRawSync(Buffer.from(JSON.stringify(scenario), 'utf8'), { level: 9 }).toString('base64url');
const query = `?embed=1${values.theme ? `&theme=${values.theme}` : ''}${values.step ? `&step=${encodeURIComponent(values.step)}` : ''}`;
const link = `${values.base}${query}#s=${data}`;
const attr = (s) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
console.log(link);
console.log(
  `<iframe src="${attr(link)}" title="${attr(scenario.title)}" width="100%" height="${values.height}" loading="lazy" style="border:0"></iframe>`,
);
