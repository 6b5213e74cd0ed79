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
