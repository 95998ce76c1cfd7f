// keaphook inspector: refreshes the live part of the page when the server says something
// changed (Server-Sent Events). No polling, no framework, no build step.
"use strict";
(function () {
  var body = document.body;
  var url = body.getAttribute("data-events");
  var page = body.getAttribute("data-page") || location.href;
  var live = document.getElementById("live");
  var status = document.getElementById("live-status");
  if (!url || !live || !window.EventSource) return;

  var busy = false, again = false;

  function say(text) { if (status) status.textContent = text; }

  // refresh fetches this page's live part and swaps it in, keeping focus where it was.
  function refresh() {
    if (busy) { again = true; return; }
    busy = true;
    var focused = document.activeElement && document.activeElement.id;
    fetch(page, { headers: { "X-Inspector-Fragment": "1" }, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) {
        live.innerHTML = html;
        // The live part is shared by every open page; this page's forms carry its own token.
        var csrf = document.querySelector('meta[name="csrf"]');
        live.querySelectorAll('input[name="csrf"]').forEach(function (i) { i.value = csrf ? csrf.content : ""; });
        if (focused) {
          var el = document.getElementById(focused);
          if (el) el.focus();
        }
        body.setAttribute("data-refreshed", String(Date.now()));
      })
      .catch(function () { say("update failed; reload the page"); })
      .then(function () {
        busy = false;
        if (again) { again = false; refresh(); }
      });
  }

  var source = new EventSource(url, { withCredentials: true });
  source.addEventListener("open", function () { say("live"); body.setAttribute("data-live", "1"); });
  source.addEventListener("error", function () { say("reconnecting…"); body.removeAttribute("data-live"); });
  source.addEventListener("change", refresh);
})();
