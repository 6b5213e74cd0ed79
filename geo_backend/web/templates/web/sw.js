/* Musoya service worker. Its install is light (the shell every page needs and the offline page): a first visit
   costs little on a slow link. Each page then tells it what it used (app.js and dashboard.js post "musoya-keep"
   with the page's own address and the resources it loaded); those are kept, mostly from the browser's HTTP cache
   since the page has just fetched them, so a page opened once opens again offline, the home map with its
   boundaries and zone tiles included. Pages and API answers are fetched from the network first and kept, so the
   last data seen stays available offline. Writes are never handled here: the page's outbox (offline-queue.js)
   keeps them until the connection returns.

   The dashboard (/tableau-de-bord/, a Dash app): its scripts and geometries are kept like the boundaries, its
   pages like the site's, and the answers of its callbacks (POSTs, read-only) network first, kept under an address
   made of the request's body; an answer served from here is announced to the page with the time it was stored,
   which web/dashboard.js shows as "Données du …".

   Shared phones: answers made for a signed-in person (the server marks them Cache-Control: private) go to a
   private cache, apart from public answers, and that cache is emptied whenever someone signs in or out. Every
   kept answer carries the time it was stored and is not served past its maximum age. */
"use strict";
var SHELL = {{ shell|safe }};
var SIGN_IN_AND_OUT = {{ sign_in_and_out|safe }};
var VERSION = "musoya-" + hash(SHELL.join("|"));
var SHELL_CACHE = VERSION + "-shell", PUBLIC_CACHE = "musoya-public", PRIVATE_CACHE = "musoya-private";
var MAX_AGE = {};
MAX_AGE[PUBLIC_CACHE] = 14 * 24 * 3600 * 1000;
MAX_AGE[PRIVATE_CACHE] = 12 * 3600 * 1000;
var STORED_AT = "X-Musoya-Stored-At";
var FIRST_PAGES = ["/hors-ligne/"];

function hash(text) {
  var h = 0;
  for (var i = 0; i < text.length; i++) h = (h * 31 + text.charCodeAt(i)) | 0;
  return (h >>> 0).toString(36);
}

function isPrivate(response) { return /\bprivate\b/i.test(response.headers.get("Cache-Control") || ""); }

/* Sign-ins and sign-outs seen so far: an answer fetched before one of them and arriving after it belonged to the
   previous person and is not kept in the private cache (its purge must not be undone by a late answer). */
var accountChanges = 0;

/* Keeps a copy of an answer, in the private or the public cache as the server marked it, with the time.
   `askedAt` is the value of accountChanges when the request was sent. */
function store(request, response, askedAt) {
  if (!response.ok || /\bno-store\b/i.test(response.headers.get("Cache-Control") || "")) return Promise.resolve();
  var name = isPrivate(response) ? PRIVATE_CACHE : PUBLIC_CACHE;
  return response.blob().then(function (body) {
    if (name === PRIVATE_CACHE && askedAt !== accountChanges) return undefined;
    var headers = new Headers(response.headers);
    headers.set(STORED_AT, String(Date.now()));
    var stamped = new Response(body, {status: response.status, statusText: response.statusText, headers: headers});
    return caches.open(name).then(function (cache) { return cache.put(request, stamped); });
  });
}

function fetchAndStore(url) {
  var askedAt = accountChanges;
  return fetch(url, {credentials: "same-origin"}).then(function (response) { return store(url, response, askedAt); });
}

/* The kept answer still young enough to serve: the private one first (it is the signed-in person's), then the
   public one. */
function lookup(request) {
  function from(name) {
    return caches.open(name).then(function (cache) { return cache.match(request, {ignoreVary: true}); })
      .then(function (found) {
        if (!found) return null;
        var age = Date.now() - Number(found.headers.get(STORED_AT) || 0);
        return age <= MAX_AGE[name] ? found : null;
      });
  }
  return from(PRIVATE_CACHE).then(function (found) { return found || from(PUBLIC_CACHE); });
}

function purgePrivate() {
  accountChanges++;
  return caches.delete(PRIVATE_CACHE);
}

self.addEventListener("install", function (event) {
  event.waitUntil(Promise.all([
    caches.open(SHELL_CACHE).then(function (cache) { return cache.addAll(SHELL); }),
    Promise.all(FIRST_PAGES.map(fetchAndStore))
  ]).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  // Older shells, and the caches of earlier workers that kept signed-in answers with public ones.
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return [SHELL_CACHE, PUBLIC_CACHE, PRIVATE_CACHE].indexOf(name) < 0;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("message", function (event) {
  if (event.data && event.data.type === "purge-private") event.waitUntil(purgePrivate());
});

/* "musoya-keep": a page lists what it used (its own address and its resources); what is not kept yet is fetched
   (from the HTTP cache when the page has just loaded it) and kept like an answer seen through the fetch handler.
   Never kept from here: the worker itself, the dashboard's callbacks (POSTs), sign-in pages, the administration
   and the library's files (library.js asks for those, see the end of this file). */
var NOT_KEPT = [/^\/sw\.js$/, /^\/fichiers\//, /_dash-update-component$/, /^\/(en\/)?comptes\//, /^\/(en\/)?admin\//];
var KEEP_AT_MOST = 300;  // addresses per message: a page cannot make the worker fetch without bound

function keepOne(address) {
  var url;
  try { url = new URL(address, self.location.origin); } catch (error) { return Promise.resolve(); }
  url.hash = "";
  if (url.origin !== self.location.origin) return Promise.resolve();
  if (NOT_KEPT.some(function (pattern) { return pattern.test(url.pathname); })) return Promise.resolve();
  return caches.match(url.href, {ignoreVary: true}).then(function (found) {
    if (found) return undefined;
    if (url.pathname.startsWith("/static/")) {
      return caches.open(SHELL_CACHE).then(function (cache) { return cache.add(url.href); });
    }
    return fetchAndStore(url.href);
  }).catch(function () { /* offline or refused: it will be kept when seen again */ });
}

self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type !== "musoya-keep" || !Array.isArray(data.urls)) return;
  event.waitUntil(Promise.all(data.urls.slice(0, KEEP_AT_MOST).filter(function (url) {
    return typeof url === "string";
  }).map(keepOne)));
});

var OFFLINE_ANSWER = JSON.stringify({code: "offline", message: {fr: "Hors ligne.", en: "Offline."}});
var OFFLINE_PAGE = '<!doctype html><html lang="fr"><meta charset="utf-8"><title>Musoya</title>' +
  '<p>Hors ligne : cette page n\'est pas disponible sur cet appareil. / Offline: this page is not on this device.</p>';

function networkFirst(request, fallbackUrl) {
  var askedAt = accountChanges;
  return fetch(request).then(function (response) {
    var copy = response.clone();
    store(request, copy, askedAt);
    return response;
  }).catch(function () {
    return lookup(request).then(function (cached) {
      if (cached) return cached;
      if (!fallbackUrl) {
        return new Response(OFFLINE_ANSWER, {status: 503, headers: {"Content-Type": "application/json"}});
      }
      return lookup(new Request(fallbackUrl)).then(function (fallback) {
        return fallback || new Response(OFFLINE_PAGE, {status: 503, headers: {"Content-Type": "text/html; charset=utf-8"}});
      });
    });
  });
}

var DASHBOARD = "/tableau-de-bord/";
var DASHBOARD_CALLBACK = DASHBOARD + "_dash-update-component";

function hex(buffer) {
  return Array.prototype.map.call(new Uint8Array(buffer), function (b) { return ("0" + b.toString(16)).slice(-2); })
    .join("");
}

/* A callback's answer depends only on its body (and on who asks: private answers are kept apart, see store). */
function callbackKey(request) {
  return request.clone().text().then(function (body) {
    return crypto.subtle.digest("SHA-256", new TextEncoder().encode(body));
  }).then(function (digest) {
    return new Request(DASHBOARD_CALLBACK + "?body=" + hex(digest));
  });
}

/* The dashboard's layout holds the view of the page that asked for it, with its first answer drawn (its referrer,
   dashboards/app.py): kept per asking address, and announced like a callback's answer when served from here.
   Offline, an address without one gets the layout kept under the plain address (fetched by this worker, so holding
   no view: the page then asks the route callback, whose answer is kept by its body). */
function layoutKey(request) {
  var asking;
  try { asking = new URL(request.referrer); } catch (error) { return request; }
  if (asking.origin !== self.location.origin || !asking.pathname.startsWith(DASHBOARD)) return request;
  return new Request(DASHBOARD + "_dash-layout?for=" + encodeURIComponent(asking.pathname + asking.search));
}

function dashboardLayout(event) {
  return dashboardAnswer(event, layoutKey(event.request), DASHBOARD + "_dash-layout", accountChanges);
}

/* A dashboard answer, network first, kept under `key`; offline, the kept one (or the one kept under `fallback`),
   announced to the page with the time it was stored. */
function dashboardAnswer(event, key, fallback, askedAt) {
  return fetch(event.request).then(function (response) {
    store(key, response.clone(), askedAt);
    return response;
  }).catch(function () {
    return lookup(key).then(function (cached) { return cached || (fallback ? lookup(new Request(fallback)) : null); })
      .then(function (cached) {
        if (!cached) return new Response(OFFLINE_ANSWER, {status: 503, headers: {"Content-Type": "application/json"}});
        return tellFromCache(event.clientId, cached).then(function () { return cached; });
      });
  });
}

function tellFromCache(clientId, cached) {
  if (!clientId) return Promise.resolve();
  return self.clients.get(clientId).then(function (client) {
    if (client) client.postMessage({type: "dashboard-from-cache", storedAt: Number(cached.headers.get(STORED_AT))});
  });
}

function dashboardCallback(event) {
  var askedAt = accountChanges;
  return callbackKey(event.request).then(function (key) { return dashboardAnswer(event, key, null, askedAt); });
}

function cacheFirst(request) {
  return caches.match(request).then(function (cached) {
    return cached || fetch(request).then(function (response) {
      if (response.ok) {
        var copy = response.clone();
        caches.open(SHELL_CACHE).then(function (cache) { cache.put(request, copy); });
      }
      return response;
    });
  });
}

function staleWhileRevalidate(request) {
  var askedAt = accountChanges;
  return lookup(request).then(function (cached) {
    var fresh = fetch(request).then(function (response) {
      store(request, response.clone(), askedAt);
      return response;
    }).catch(function () { return cached; });
    return cached || fresh;
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === "POST" && SIGN_IN_AND_OUT.indexOf(url.pathname) >= 0) {
    // Someone signs in or out: nothing kept for the previous person may be shown to the next.
    event.waitUntil(purgePrivate());
    return;
  }
  if (request.method === "POST" && url.pathname === DASHBOARD_CALLBACK) {
    event.respondWith(dashboardCallback(event)); return;
  }
  if (request.method !== "GET") return;
  if (url.pathname.startsWith("/static/")) { event.respondWith(cacheFirst(request)); return; }
  if (url.pathname.startsWith(DASHBOARD + "_dash-component-suites/") || url.pathname.startsWith(DASHBOARD + "geo/") ||
      url.pathname.startsWith(DASHBOARD + "topojson/")) {
    event.respondWith(staleWhileRevalidate(request)); return;
  }
  if (url.pathname === DASHBOARD + "_dash-layout") { event.respondWith(dashboardLayout(event)); return; }
  if (url.pathname === DASHBOARD + "_dash-dependencies") { event.respondWith(networkFirst(request)); return; }
  if (url.pathname.startsWith("/api/v1/areas/") || url.pathname.startsWith("/tiles/")) {
    event.respondWith(staleWhileRevalidate(request)); return;
  }
  if (url.pathname.startsWith("/api/") || url.pathname.startsWith("/jsi18n/")) {
    event.respondWith(networkFirst(request)); return;
  }
  if (request.mode === "navigate") { event.respondWith(networkFirst(request, "/hors-ligne/")); }
});

/* --- The library (geo_backend/library): files of documents a person opened or chose to keep offline. ---------
   Self-contained: its own cache, one message handler (library.js asks to keep a page's URLs), and the answer
   to requests for /fichiers/ (served from that cache when present, in ranges for the audio player). Pages kept
   here are also found offline by the navigation handler above, which searches every cache. */
var LIBRARY_CACHE = "musoya-library-v1";

self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type !== "musoya-library-keep" || !Array.isArray(data.urls)) return;
  var reply = event.ports && event.ports[0];
  var urls = data.urls.filter(function (url) { return new URL(url, self.location.origin).origin === self.location.origin; });
  event.waitUntil(caches.open(LIBRARY_CACHE).then(function (cache) {
    return Promise.all(urls.map(function (url) {
      return fetch(url, {credentials: "same-origin"}).then(function (response) {
        if (!response.ok || response.status !== 200) throw new Error(url + ": " + response.status);
        return cache.put(url, response);
      });
    }));
  }).then(function () { if (reply) reply.postMessage({ok: true, urls: urls}); },
          function (error) { if (reply) reply.postMessage({ok: false, error: String(error)}); }));
});

function libraryRange(request, cached) {
  var match = /^bytes=(\d*)-(\d*)$/.exec(request.headers.get("Range") || "");
  if (!match) return cached;
  return cached.arrayBuffer().then(function (buffer) {
    var size = buffer.byteLength;
    var first = match[1] === "" ? Math.max(size - Number(match[2]), 0) : Number(match[1]);
    var last = match[1] === "" || match[2] === "" ? size - 1 : Math.min(Number(match[2]), size - 1);
    if (first >= size || last < first) {
      return new Response("", {status: 416, headers: {"Content-Range": "bytes */" + size}});
    }
    return new Response(buffer.slice(first, last + 1), {status: 206, headers: {
      "Content-Type": cached.headers.get("Content-Type") || "application/octet-stream",
      "Content-Range": "bytes " + first + "-" + last + "/" + size, "Content-Length": String(last - first + 1),
      "Accept-Ranges": "bytes"}});
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin || request.mode === "navigate" ||
      !url.pathname.startsWith("/fichiers/")) return;
  event.respondWith(caches.open(LIBRARY_CACHE).then(function (cache) {
    return cache.match(url.pathname).then(function (cached) {
      return cached ? libraryRange(request, cached) : fetch(request);
    });
  }));
});
