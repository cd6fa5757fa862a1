// A fix finder's change applied to a scenario by its JSON path (SPEC §8.4: every change names
// the path it edits and the value after), as core/tests/fix.rs checks that every proposal can
// be: the playground previews and applies exactly what the proposal lists.
//
// Paths are those the core writes: `accounts.FS1$.allowed_to_act`, `run.steps[0].steps[2]`,
// `accounts["svc app"].delegation` for a key that is not a plain name.

const SEGMENT = /\.?([A-Za-z0-9_$-]+)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/y;

/** The keys (strings) and indexes (numbers) of a path; throws on one it cannot read. */
export function segments(path) {
  const out = [];
  SEGMENT.lastIndex = 0;
  while (SEGMENT.lastIndex < path.length) {
    const at = SEGMENT.lastIndex;
    const m = SEGMENT.exec(path);
    if (!m) throw new Error(`cannot read the path ${path} at character ${at}`);
    out.push(m[1] ?? (m[2] !== undefined ? Number(m[2]) : JSON.parse(m[3])));
  }
  return out;
}

/** Sets `path` of `root` to `after` (an object's fields are merged into an object there). */
export function setPath(root, path, after) {
  const keys = segments(path);
  const last = keys.pop();
  let cur = root;
  for (const k of keys) {
    if (cur[k] === null || typeof cur[k] !== 'object') cur[k] = {};
    cur = cur[k];
  }
  const here = cur[last];
  const plain = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
  cur[last] = plain(here) && plain(after) ? { ...here, ...after } : after;
  return root;
}

/** The scenario (an object, left unchanged) with every change of a proposal made. */
export function applyChanges(scenario, changes) {
  const copy = structuredClone(scenario);
  for (const c of changes) setPath(copy, c.path, c.after);
  return copy;
}
