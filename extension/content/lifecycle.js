// The content script's life across an extension update or reload.
//
// Chrome does not remove the content scripts of an extension version that goes away: they keep running
// in their own isolated world with a dead runtime (chrome.runtime.id becomes undefined), and their
// capture-phase listeners still run first on every paste. Left alone, such an orphan blocks each paste
// with "reload the page". So the service worker injects the new version into open tabs
// (background/reinjection.js), and the two instances hand over here:
//
//   - every listener the interceptor puts on the page goes through `listen`, so it can be taken back;
//   - once its listeners are in place, the new instance announces itself with a takeover event on
//     `document` (the worlds share the DOM, nothing else);
//   - an instance hearing that announcement stands down only if its own runtime is dead: it removes its
//     listeners and runs its stand-down steps (closing the channel to the network guard). A live
//     instance ignores it — a page can dispatch the event too, but can only retire an orphan that could
//     not scan anything any more.
//
// An orphan that hears no successor (the extension was disabled or removed) keeps blocking, as before.

(function (root) {
  "use strict";
  const ns = (root.promptfence = root.promptfence || {});

  const TAKEOVER = "promptfence-takeover";

  /**
   * document: the page's document; runtimeAlive: () => whether this instance's extension runtime still
   * exists (chrome.runtime.id is undefined once the extension that injected it is gone).
   */
  function createLifecycle(document, runtimeAlive) {
    const listeners = []; // [target, type, handler, options]
    const standDownSteps = [];
    let stoodDown = false;

    function onTakeover() {
      if (stoodDown || runtimeAlive()) return;
      stoodDown = true;
      document.removeEventListener(TAKEOVER, onTakeover, { capture: true });
      for (const [target, type, handler, options] of listeners.splice(0)) target.removeEventListener(type, handler, options);
      for (const step of standDownSteps.splice(0)) {
        try {
          step();
        } catch (error) {
          // an orphan has no one to report to; the remaining steps still run
        }
      }
    }

    document.addEventListener(TAKEOVER, onTakeover, { capture: true });

    return {
      /** addEventListener that the stand-down can undo. */
      listen(target, type, handler, capture) {
        if (stoodDown) return;
        // An options object, not a bare boolean: node's EventTarget (the unit tests) only honours
        // `capture` in removeEventListener when it comes in one.
        const options = { capture: Boolean(capture) };
        listeners.push([target, type, handler, options]);
        target.addEventListener(type, handler, options);
      },
      /** Something to undo when this instance stands down (after its listeners are gone). */
      onStandDown(step) {
        standDownSteps.push(step);
      },
      /** Tell an orphaned predecessor in this page, if any, to stand down. Call once listening. */
      announce() {
        document.dispatchEvent(new CustomEvent(TAKEOVER));
      },
      get stoodDown() {
        return stoodDown;
      },
    };
  }

  /** chrome.runtime.id of this world: undefined once the extension that injected it is gone. */
  function runtimeAlive() {
    try {
      return Boolean(root.chrome && root.chrome.runtime && root.chrome.runtime.id);
    } catch (error) {
      return false;
    }
  }

  ns.createLifecycle = createLifecycle;
  ns.runtimeAlive = runtimeAlive;
})(globalThis);
