/* Musoya: what every page shares. Registers the service worker, shows the connection state, and offers
   Musoya.api() for JSON calls to the REST API (session cookie + CSRF token). */
(function () {
  "use strict";
  var lang = document.documentElement.lang || "fr";

  function cookie(name) {
    var match = document.cookie.match(new RegExp("(?:^|; )" + name + "=([^;]*)"));
    return match ? decodeURIComponent(match[1]) : "";
  }

  /* A refusal from the API, in the reader's language. */
  function errorMessage(body) {
    if (body && body.message) {
      var text = body.message[lang] || body.message.fr;
      if (body.details && typeof body.details === "object" && !Array.isArray(body.details)) {
        var parts = [];
        Object.keys(body.details).forEach(function (key) {
          if (key !== "current" && Array.isArray(body.details[key])) parts.push(key + " : " + body.details[key].join(" "));
        });
        if (parts.length) text += " (" + parts.join(" ; ") + ")";
      }
      return text;
    }
    return gettext("Erreur inattendue du serveur.");
  }

  /* fetch() for the JSON API. Resolves {ok, status, body}; rejects only when the network is unreachable. */
  function api(method, url, body, options) {
    var headers = {"Accept": "application/json", "X-CSRFToken": cookie("csrftoken")};
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (options && options.ifMatch) headers["If-Match"] = options.ifMatch;
    if (options && options.account) headers["X-Musoya-Account"] = options.account;
    return fetch(url, {method: method, headers: headers, credentials: "same-origin",
                       body: body === undefined ? undefined : JSON.stringify(body)})
      .then(function (response) {
        var etag = response.headers.get("ETag");
        return response.text().then(function (text) {
          var parsed = null;
          try { parsed = text ? JSON.parse(text) : null; } catch (e) { parsed = null; }
          return {ok: response.ok, status: response.status, body: parsed, etag: etag};
        });
      });
  }

  function showConnection() {
    var banner = document.getElementById("connection-status");
    if (banner) banner.hidden = navigator.onLine;
  }
  window.addEventListener("online", showConnection);
  window.addEventListener("offline", showConnection);
  showConnection();

  /* Tells the service worker what this page used (its address, then every resource as it loads), so that a page
     opened once opens again offline; the worker fetches only what it does not keep yet. Only for a page the worker
     did not control from the start (a first visit): a controlled page's requests all go through the worker, which
     keeps them itself, so telling it again would only cost work (and a GET after each of the page's POSTs). */
  var controlledFromTheStart = "serviceWorker" in navigator && navigator.serviceWorker.controller !== null;

  function keepThisPageOffline(registration) {
    if (controlledFromTheStart) return;
    function keep(urls) { if (registration.active) registration.active.postMessage({type: "musoya-keep", urls: urls}); }
    keep([location.href]);
    if (!("PerformanceObserver" in window)) return;
    var observer = new PerformanceObserver(function (list) {
      keep(list.getEntries().map(function (entry) { return entry.name; }));
      // Once the worker has claimed the page, it sees the page's next requests itself.
      if (navigator.serviceWorker.controller) observer.disconnect();
    });
    observer.observe({type: "resource", buffered: true});
  }

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js", {scope: "/"}).catch(function () { /* the site works without it */ });
    navigator.serviceWorker.ready.then(keepThisPageOffline);
  }

  /* The signed-in account's id ("" for a visitor), as the page was rendered for it. */
  function account() {
    var meta = document.querySelector('meta[name="musoya-account"]');
    return meta ? meta.content : "";
  }

  window.Musoya = {api: api, errorMessage: errorMessage, lang: lang, cookie: cookie, account: account};
})();
