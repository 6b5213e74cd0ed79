/* The outbox: writes made without a connection are kept on the device (IndexedDB) and sent, in order, when the
   connection returns. Nothing is dropped: a refusal or a conflict stays in the outbox, shown to the person, until
   they resolve or discard it. Each entry carries the account that made it, and is sent and shown only while that
   account is signed in: on a shared phone, one person's edits are never sent as another's. */
(function () {
  "use strict";
  var DB_NAME = "musoya", STORE = "outbox";
  var listeners = [];

  function open() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () { request.result.createObjectStore(STORE, {keyPath: "id", autoIncrement: true}); };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function withStore(mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode);
        var result = work(tx.objectStore(STORE));
        tx.oncomplete = function () { resolve(result && result.result !== undefined ? result.result : result); };
        tx.onerror = function () { reject(tx.error); };
      });
    });
  }

  function list() {
    return withStore("readonly", function (store) { return store.getAll(); });
  }

  function put(entry) { return withStore("readwrite", function (store) { return store.put(entry); }); }
  function remove(id) { return withStore("readwrite", function (store) { return store.delete(id); }); }

  /* The entries of the account signed in now (none for a visitor). */
  function mine() {
    var account = Musoya.account();
    return list().then(function (entries) {
      return account ? entries.filter(function (entry) { return entry.account === account; }) : [];
    });
  }

  function changed() { mine().then(function (entries) { listeners.forEach(function (f) { f(entries); }); }); }

  /* Sends now, or keeps for later when the network is unreachable. Resolves {queued, response}. */
  function send(method, url, body, options) {
    options = options || {};
    return Musoya.api(method, url, body, options).then(function (response) {
      return {queued: false, response: response};
    }, function () {
      return put({account: Musoya.account(), method: method, url: url, body: body, ifMatch: options.ifMatch || null,
                  label: options.label || url,
                  tempId: options.tempId || null, status: "pending", createdAt: new Date().toISOString()})
        .then(function () { changed(); return {queued: true}; });
    });
  }

  function substitute(value, ids) {
    var text = JSON.stringify(value);
    Object.keys(ids).forEach(function (temp) { text = text.split('"' + temp + '"').join(String(ids[temp])).split(temp).join(String(ids[temp])); });
    return JSON.parse(text);
  }

  var replaying = false;
  /* Sends the pending entries in the order they were made; stops at the first network failure. */
  function replay() {
    if (replaying || !navigator.onLine) return Promise.resolve();
    replaying = true;
    var ids = {};
    return mine().then(function (entries) {
      var chain = Promise.resolve(true);
      entries.forEach(function (entry) {
        chain = chain.then(function (goOn) {
          if (!goOn || entry.status !== "pending") return goOn;
          var url = substitute(entry.url, ids), body = substitute(entry.body, ids);
          var sent = Musoya.api(entry.method, url, body, {ifMatch: entry.ifMatch, account: entry.account});
          return sent.then(function (response) {
            // Someone else is signed in now: keep the entry for its owner, send nothing more.
            if (response.status === 409 && response.body && response.body.code === "account_mismatch") return false;
            if (response.ok) {
              if (entry.tempId && response.body && response.body.id) ids[entry.tempId] = response.body.id;
              return remove(entry.id).then(function () { return true; });
            }
            entry.status = response.status === 412 ? "conflict" : "error";
            entry.response = response.body;
            return put(entry).then(function () { return true; });
          }, function () { return false; });
        });
      });
      return chain;
    }).then(function () { replaying = false; changed(); }, function () { replaying = false; });
  }

  function render(entries) {
    var section = document.getElementById("pending-sync"), listNode = document.getElementById("pending-list");
    if (!section || !listNode) return;
    section.hidden = entries.length === 0;
    listNode.innerHTML = "";
    entries.forEach(function (entry) {
      var item = document.createElement("li");
      var state = {pending: gettext("en attente de connexion"), conflict: gettext("conflit : quelqu'un a enregistré avant vous"),
                   error: gettext("refusé")}[entry.status];
      item.textContent = entry.label + " — " + state +
        (entry.response && entry.response.message ? " : " + Musoya.errorMessage(entry.response) : "");
      item.dataset.status = entry.status;
      if (entry.status !== "pending") {
        var discard = document.createElement("button");
        discard.type = "button";
        discard.textContent = gettext("Retirer");
        discard.addEventListener("click", function () { remove(entry.id).then(changed); });
        item.appendChild(discard);
      }
      listNode.appendChild(item);
    });
  }

  listeners.push(render);
  window.addEventListener("online", replay);
  document.addEventListener("DOMContentLoaded", function () { changed(); replay(); });

  window.MusoyaOutbox = {send: send, replay: replay, list: list, mine: mine,
                         onChange: function (f) { listeners.push(f); }};
})();
