// The isolated world's end of the channel to the MAIN-world network guard (main-world/net-guard.js).
//
// The two worlds share the DOM but no JavaScript objects. At document_start, before any page script
// runs, each side creates a detached <promptfence-channel> element and announces it in a synthetic
// event on `document` (the element travels as the event's relatedTarget, which both worlds can read);
// the side that hears the other adopts its element and acknowledges on it. From then on the two talk
// only through events dispatched on that detached element, which no page script can reach: it is in
// no tree and was announced before the page had a single listener. This replaces a window.postMessage
// with a nonce, whose messages every page listener would see.
//
// Dispatching an event is synchronous, so the guard's question "may this body go?" is answered before
// fetch() returns: {hold: false}, or {hold: true} followed later by a release or a cancel event.
//
// After an extension update the orphaned instance says "promptfence-bye" on its channel when it stands
// down (content/lifecycle.js); the guard cancels that instance's holds and handshakes again, and the new
// instance, whose own hello went unanswered, hears it and adopts the new channel.

(function (root) {
  "use strict";
  const ns = (root.promptfence = root.promptfence || {});

  const HELLO = "promptfence-channel-hello";
  const ACK = "promptfence-channel-ack";

  /**
   * The handshake both worlds run (net-guard.js has its own copy: the worlds share no code). Returns
   * cancel(): stop listening for the other side's hello.
   */
  function handshake(document, onReady) {
    const mine = document.createElement("promptfence-channel");
    let done = false;
    function adopt(element) {
      if (done) return;
      done = true;
      document.removeEventListener(HELLO, onHello, { capture: true });
      onReady(element);
    }
    function onHello(event) {
      const theirs = event.relatedTarget;
      if (done || !theirs || theirs === mine) return;
      event.stopImmediatePropagation();
      theirs.dispatchEvent(new CustomEvent(ACK));
      adopt(theirs);
    }
    mine.addEventListener(ACK, () => adopt(mine), { once: true });
    document.addEventListener(HELLO, onHello, { capture: true });
    document.dispatchEvent(new MouseEvent(HELLO, { relatedTarget: mine }));
    return function cancel() {
      done = true;
      document.removeEventListener(HELLO, onHello, { capture: true });
    };
  }

  /**
   * tracker: an UnclearedTexts. scanHeld(keys) is called once per new hold: it scans the held texts and
   * then calls tracker.clear / tracker.flag, and finally settle().
   */
  function openGuardChannel(document, { tracker, scanHeld }) {
    let channel = null;
    let closed = false;
    let armedSent = false;
    let nextHold = 1;

    function send(type, payload) {
      if (channel) channel.dispatchEvent(new CustomEvent(type, { detail: JSON.stringify(payload) }));
    }

    function onQuery(event) {
      let query;
      try {
        query = JSON.parse(event.detail);
      } catch (error) {
        return;
      }
      const keys = tracker.matchBody(query.body);
      if (!keys.length) {
        send("promptfence-answer", { id: query.id, hold: false });
        return;
      }
      const holdId = nextHold++;
      tracker.hold(holdId, keys);
      send("promptfence-answer", { id: query.id, hold: true, holdId });
      scanHeld(keys);
    }

    const api = {
      /** Tell the guard whether it needs to look at bodies at all (cheap for clean pages). */
      updateArmed() {
        const armed = tracker.armed;
        if (armed === armedSent || !channel) return;
        armedSent = armed;
        send("promptfence-armed", { armed });
      },
      /** Release or cancel the holds the tracker has decided. */
      settle() {
        if (closed) return;
        const { release, cancel } = tracker.settle();
        for (const holdId of release) send("promptfence-release", { holdId });
        for (const holdId of cancel) send("promptfence-cancel", { holdId });
        api.updateArmed();
      },
      /** This instance stands down (content/lifecycle.js): the guard cancels its holds and waits for the successor. */
      close() {
        if (closed) return;
        closed = true;
        cancelHandshake(); // never adopt the guard's next hello: that one is for the successor
        if (!channel) return;
        const element = channel;
        element.removeEventListener("promptfence-query", onQuery);
        channel = null;
        element.dispatchEvent(new CustomEvent("promptfence-bye"));
      },
    };
    const cancelHandshake = handshake(document, (element) => {
      channel = element;
      channel.addEventListener("promptfence-query", onQuery);
      armedSent = !tracker.armed; // force the first state out
      api.updateArmed();
    });
    return api;
  }

  ns.openGuardChannel = openGuardChannel;
})(globalThis);
