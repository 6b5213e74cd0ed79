/* A document's page: keeps what was opened available offline, and offers "keep offline" for the full files.
   It asks the service worker (sw.js, the musoya-library-v1 cache) to store the files; nothing is stored when
   there is no service worker. No inline script: this file is loaded by the page (Content-Security-Policy). */
(function () {
  "use strict";
  var article = document.getElementById("library-document");
  if (!article || !("serviceWorker" in navigator)) return;
  var button = document.getElementById("keep-offline");
  var state = document.getElementById("offline-state");

  function light() {  /* the page itself, the thumbnails and the compact audio: small, kept for every opened page */
    var urls = [location.pathname];
    document.querySelectorAll("[data-keep]").forEach(function (node) { urls.push(node.getAttribute("data-keep")); });
    return urls;
  }

  function full() {  /* the original files too, when the person asks */
    var urls = light();
    document.querySelectorAll("[data-keep-full]").forEach(function (node) {
      urls.push(node.getAttribute("data-keep-full"));
    });
    return urls;
  }

  function keep(urls) {
    return navigator.serviceWorker.ready.then(function (registration) {
      return new Promise(function (resolve, reject) {
        var channel = new MessageChannel();
        channel.port1.onmessage = function (event) { (event.data && event.data.ok ? resolve : reject)(event.data); };
        registration.active.postMessage({type: "musoya-library-keep", urls: urls}, [channel.port2]);
      });
    });
  }

  keep(light()).then(function () {
    article.dataset.offline = "light";
    state.textContent = gettext("Cette page est disponible hors ligne sur cet appareil.");
  }).catch(function () { /* offline already, or storage full: the page still works online */ });

  button.hidden = false;
  button.addEventListener("click", function () {
    button.disabled = true;
    state.textContent = gettext("Enregistrement sur cet appareil…");
    keep(full()).then(function () {
      article.dataset.offline = "full";
      state.textContent = gettext("Document et fichiers gardés hors ligne sur cet appareil.");
    }).catch(function () {
      state.textContent = gettext("Impossible de garder ce document hors ligne (connexion ou espace insuffisant).");
    }).then(function () { button.disabled = false; });
  });
})();
