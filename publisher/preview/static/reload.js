// Added by `publisher serve` to the pages it sends (never to the built files):
// reload this page when a build has changed the output or its problems.
(function () {
  "use strict";
  var script = document.currentScript;
  var since = script ? script.getAttribute("data-build") : "0";
  var events = new EventSource("/__publisher/events?since=" + encodeURIComponent(since));
  events.addEventListener("reload", function () {
    events.close();
    window.location.reload();
  });
})();
