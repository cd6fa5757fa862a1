// The benches' edit, run in the page by `page.evaluate(editLoop, [count, settle])`: `count` times,
// the bench scenario's second top-level step (`run.steps[1].do`) is given the other kind (revert,
// whoami) and a `change` event, as a person's choice in the select does, and the edit is timed
// from the event to the page re-rendered by Yew (a message posted after the event runs after
// Yew's scheduler) and restyled and laid out (a layout property read forces both; painting
// follows at the next frame). Returns the times in ms. Each edit is marked in a trace by
// `console.timeStamp` (`edit-start-<k>`, `edit-end-<k>`). With `settle`, each edit waits for the
// next frame and `settle` ms more before the next (a person's pace); without, the edits follow
// each other as fast as they render (bench/browser.mjs's figures).
export const editLoop = async ([count, settle = 0]) => {
  const out = [];
  const tick = () => new Promise((r) => { const c = new MessageChannel(); c.port1.onmessage = () => r(); c.port2.postMessage(0); });
  for (let k = 0; k < count; k++) {
    const select = document.querySelector('[name="run.steps[1].do"]');
    console.timeStamp(`edit-start-${k}`);
    const t0 = performance.now();
    select.value = k % 2 ? 'whoami' : 'revert';
    select.dispatchEvent(new Event('change', { bubbles: true }));
    await tick();
    void document.documentElement.offsetHeight;
    out.push(performance.now() - t0);
    console.timeStamp(`edit-end-${k}`);
    if (settle) await new Promise((r) => requestAnimationFrame(() => setTimeout(r, settle)));
  }
  return out;
};

// The bench's edits in `page`, a fresh playground page: its first outcome, then `pause` ms (a
// person reading it), then the 21 edits of `editLoop`. Shared by bench/browser.mjs and
// bench/builds-ab.mjs, so that both time the same thing.
export const editsAfterOpening = async (page, pause = 1000) => {
  await page.locator('.event').first().waitFor();
  await page.waitForTimeout(pause);
  return page.evaluate(editLoop, [21]);
};
