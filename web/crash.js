// The playground's crash handler. The release build stops at once on an internal error (a Rust
// panic aborts the WebAssembly module: no unwinding and no panic hook, 18 KB less to download),
// which the browser reports as an uncaught WebAssembly.RuntimeError, from an event handler or
// from a promise. This writes the work that waits for the edits to pause and says what happened,
// instead of leaving a page that silently stops answering. An embed (?embed=1) saves nothing:
// there it says that a reload starts it again.
(() => {
  const embed = /[?&]embed=(1|true)(&|$)/.test(location.search);
  const crashed = (error) => {
    if (!(error instanceof WebAssembly.RuntimeError) || document.getElementById("panic")) return;
    let saved = false;
    try {
      saved = !embed && window.wasmBindings.save_pending();
    } catch (_) {
      // The module itself is gone: what autosave wrote before is all there is.
    }
    const div = document.createElement("div");
    div.id = "panic";
    div.className = "panic";
    div.setAttribute("role", "alert");
    div.textContent =
      "The playground hit an internal error and stopped. " +
      (embed
        ? "Reload the page to start again."
        : saved
          ? "Your work is saved in this browser up to the last change; reload the page to continue."
          : "This browser refused to save the last changes; reload the page to continue from the last save.") +
      " Please report what you did (the browser's console has the details): " +
      error.message;
    document.body.prepend(div);
  };
  addEventListener("error", (e) => crashed(e.error));
  addEventListener("unhandledrejection", (e) => crashed(e.reason));
})();
