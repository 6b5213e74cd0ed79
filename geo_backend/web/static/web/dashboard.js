/* The dashboard's part of the installable app (loaded by dashboards/app.py, a same-origin file: the dashboard's
   Content-Security-Policy allows no inline script). web/app.js, loaded before it, registers the site's service
   worker (web/sw.js) and tells it what the dashboard used, so the worker keeps the dashboard's shell and the last answers of its callbacks; when an answer comes from that cache (the
   network failed), the worker says when it was stored and the page shows "Données du …" above the views. */
(function () {
  "use strict";
  var english = function () { return (document.documentElement.lang || "fr").slice(0, 2) === "en"; };

  /* Accessibility repairs of Dash's own components (dcc 4.x), which axe-core finds wanting and which no component
     property fixes: radio items drawn as a listbox of options wrapping native radios (nested controls, no name),
     the dropdown's focus target both hidden from assistive technology and focusable, the range slider's number
     inputs without a name. Idempotent, run again whenever React redraws. (The tables are plain HTML drawn by the
     server, dashboards/pages/tables.py: nothing to repair.) */
  function filterName(element) {
    var filter = element.closest(".filter");
    var label = filter && filter.querySelector(".filter-label");
    return label ? label.textContent.trim() : "";
  }
  function set(element, name, value) {
    if (element.getAttribute(name) !== value) element.setAttribute(name, value);
  }
  function repair(root) {
    root.querySelectorAll(".dash-radioitems[role=listbox]").forEach(function (group) {
      set(group, "role", "radiogroup");
      if (filterName(group)) set(group, "aria-label", filterName(group));
    });
    // Check lists (the overlaps' "only uncoordinated" filter): a group of native checkboxes, not a listbox.
    root.querySelectorAll(".dash-checklist[role=listbox]").forEach(function (group) {
      set(group, "role", "group");
      var label = group.getAttribute("aria-label") || filterName(group) || group.textContent.trim();
      if (label) set(group, "aria-label", label);
    });
    root.querySelectorAll(".dash-radioitems [role=option], .dash-checklist [role=option]").forEach(function (option) {
      option.removeAttribute("role");
      option.removeAttribute("aria-selected");
    });
    root.querySelectorAll(".dash-dropdown-focus-target[aria-hidden]").forEach(function (target) {
      target.removeAttribute("aria-hidden");
      set(target, "aria-label", filterName(target) || (english() ? "Choose" : "Choisir"));
    });
    root.querySelectorAll(".dash-range-slider-min-input, .dash-range-slider-max-input").forEach(function (input) {
      var first = input.classList.contains("dash-range-slider-min-input");
      var name = english() ? (first ? "From year" : "To year") : (first ? "Année de début" : "Année de fin");
      set(input, "aria-label", name);
    });
  }
  /* The tables are drawn anew by the server at each page or sort change, and React puts new buttons in place of
     the one just pressed: the keyboard focus would fall back to the start of the page. It goes to the new button
     of the same id, only when the focused element was taken out of the page (not when the person moved on). */
  var focused = null;
  document.addEventListener("focusin", function (event) { focused = event.target; });
  function keepFocus() {
    if (!focused || focused.isConnected || !focused.id) return;
    var active = document.activeElement;
    if (active && active !== document.body) return;
    var again = document.getElementById(focused.id);
    if (again && !again.disabled && again.closest(".table-block")) again.focus();
  }
  var scheduled = false;  // once per frame, however many changes React (or a hovered map) makes
  new MutationObserver(function () {
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(function () { scheduled = false; repair(document); keepFocus(); });
  }).observe(document.documentElement, {
    childList: true, subtree: true, attributes: true, attributeFilter: ["role", "aria-selected", "aria-hidden"]});
  document.addEventListener("DOMContentLoaded", function () { repair(document); });

  /* The maps draw only the boundaries they are given (geo.visible is false): Plotly's base map (world_110m, the
     one its default scope and resolution name) is an empty topology, handed over here so that Plotly does not ask
     for it, a round trip on the way to the first map (the same empty one is served at /topojson/, app.py). */
  if (window.PlotlyGeoAssets) {
    var nothing = {type: "GeometryCollection", geometries: []};
    window.PlotlyGeoAssets.topojson.world_110m = {type: "Topology", arcs: [], objects: {
      coastlines: nothing, land: nothing, ocean: nothing, lakes: nothing, rivers: nothing, countries: nothing,
      subunits: nothing}};
  }

  // The service worker is registered by web/app.js, loaded before this file as on every page of the site.
  if (!("serviceWorker" in navigator)) return;

  function language() { return english() ? "en" : "fr"; }

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
