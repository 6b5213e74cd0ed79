/* Musoya service worker. The app shell and the boundaries are cached at install; pages and API answers are
   fetched from the network first and kept, so the last data seen stays available offline. Writes are never
   handled here: the page's outbox (offline-queue.js) keeps them until the connection returns. */
"use strict";
var SHELL = {{ shell|safe }};
var VERSION = "musoya-" + hash(SHELL.join("|"));
var SHELL_CACHE = VERSION + "-shell", DATA_CACHE = "musoya-data", PAGE_CACHE = "musoya-pages";
var FIRST_PAGES = ["/", "/organisations/", "/hors-ligne/"];
var BASE_LAYERS = ["/api/v1/areas/?level=1", "/api/v1/areas/?level=2"];

function hash(text) {
  var h = 0;
  for (var i = 0; i < text.length; i++) h = (h * 31 + text.charCodeAt(i)) | 0;
  return (h >>> 0).toString(36);
}

self.addEventListener("install", function (event) {
  event.waitUntil(Promise.all([
    caches.open(SHELL_CACHE).then(function (cache) { return cache.addAll(SHELL); }),
    caches.open(PAGE_CACHE).then(function (cache) { return cache.addAll(FIRST_PAGES); }),
    caches.open(DATA_CACHE).then(function (cache) { return cache.addAll(BASE_LAYERS); })
  ]).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.endsWith("-shell") && name !== SHELL_CACHE;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

function networkFirst(request, cacheName, fallbackUrl) {
  return fetch(request).then(function (response) {
    if (response.ok) {
      var copy = response.clone();
      caches.open(cacheName).then(function (cache) { cache.put(request, copy); });
    }
    return response;
  }).catch(function () {
    return caches.match(request, {ignoreVary: true}).then(function (cached) {
      return cached || (fallbackUrl ? caches.match(fallbackUrl) : undefined) ||
        new Response(JSON.stringify({code: "offline", message: {fr: "Hors ligne.", en: "Offline."}}),
                     {status: 503, headers: {"Content-Type": "application/json"}});
    });
  });
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
  return caches.open(DATA_CACHE).then(function (cache) {
    return cache.match(request).then(function (cached) {
      var fresh = fetch(request).then(function (response) {
        if (response.ok) cache.put(request, response.clone());
        return response;
      }).catch(function () { return cached; });
      return cached || fresh;
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/static/")) { event.respondWith(cacheFirst(request)); return; }
  if (url.pathname.startsWith("/api/v1/areas/") || url.pathname.startsWith("/tiles/")) {
    event.respondWith(staleWhileRevalidate(request)); return;
  }
  if (url.pathname.startsWith("/api/") || url.pathname.startsWith("/jsi18n/")) {
    event.respondWith(networkFirst(request, DATA_CACHE)); return;
  }
  if (request.mode === "navigate") { event.respondWith(networkFirst(request, PAGE_CACHE, "/hors-ligne/")); }
});
