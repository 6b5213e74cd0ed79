/* The dashboard's part of the installable app (loaded by dashboards/app.py, a same-origin file: the dashboard's
   Content-Security-Policy allows no inline script). It registers the site's service worker (web/sw.js), which
   keeps the dashboard's shell and the last answers of its callbacks; when an answer comes from that cache (the
   network failed), the worker says when it was stored and the page shows "Données du …" above the views. */
(function () {
  "use strict";
  if (!("serviceWorker" in navigator)) return;
  navigator.serviceWorker.register("/sw.js", {scope: "/"}).catch(function () { /* works without it */ });

  function language() { return (document.documentElement.lang || "fr").slice(0, 2) === "en" ? "en" : "fr"; }

  function banner() {
    var found = document.getElementById("data-date");
    if (found) return found;
    found = document.createElement("p");
    found.id = "data-date";
    found.className = "data-date";
    found.setAttribute("role", "status");
    document.body.insertBefore(found, document.body.firstChild);
    return found;
  }

  var oldest = null;  // several answers may come from the cache: the page shows the oldest one's date
  navigator.serviceWorker.addEventListener("message", function (event) {
    var message = event.data || {};
    if (message.type === "dashboard-from-cache") {
      oldest = oldest === null ? message.storedAt : Math.min(oldest, message.storedAt);
      var when = new Intl.DateTimeFormat(language() === "en" ? "en-GB" : "fr-FR",
                                         {dateStyle: "long", timeStyle: "short"}).format(new Date(oldest));
      var element = banner();
      element.setAttribute("data-stored-at", String(oldest));
      element.textContent = language() === "en" ? "Offline: data from " + when + "."
                                                : "Hors ligne : données du " + when + ".";
    }
  });
})();
