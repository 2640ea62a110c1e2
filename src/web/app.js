// The live page: when the server says an incident changed, fetch the
// re-rendered (server-escaped) fragment and put it in place, without a
// reload. With scripts off the page refreshes itself every 15 s instead.
"use strict";

// Set once per load, so a test (or a curious reader) can tell that the
// page was updated in place rather than reloaded.
window.incidentPageLoadedAt = Date.now();

(function () {
  const body = document.body;
  const content = document.getElementById("content");
  const live = document.getElementById("live");
  const eventsUrl = body.dataset.events;
  const fragmentUrl = body.dataset.fragment;
  if (!content || !live || !eventsUrl || !fragmentUrl) return;

  function say(text, cls) {
    live.textContent = text;
    live.className = "live " + cls;
  }

  let fetching = false;
  let again = false;
  function refresh() {
    if (fetching) { again = true; return; }
    fetching = true;
    fetch(fragmentUrl, { cache: "no-store", credentials: "same-origin" })
      .then(function (r) {
        if (!r.ok) throw new Error("HTTP " + r.status);
        return r.text();
      })
      .then(function (html) {
        // The server's own output: every piece of text in it is escaped.
        content.innerHTML = html;
        say("Live: updates appear here as they are written. Read-only.", "on");
      })
      .catch(function () {
        say("Cannot reach the listener: showing what was last seen. Retrying.", "off");
      })
      .finally(function () {
        fetching = false;
        if (again) { again = false; refresh(); }
      });
  }

  const events = new EventSource(eventsUrl);
  // Whatever was written between the page load and the stream opening.
  events.addEventListener("open", refresh);
  events.addEventListener("change", refresh);
  events.addEventListener("error", function () {
    say("Connection lost: reconnecting…", "off");
  });
  // Ages move with the clock, not with writes.
  setInterval(refresh, 30000);
})();
