/* The public map (home page) and an organisation's zones (profile page). The administrative boundaries and the
   place names are the base map, so the page works with no tile server; OpenStreetMap can be switched on when
   online. Zones come as vector tiles (map-layers.js). */
(function () {
  "use strict";
  var element = document.getElementById("map");
  if (!element || !window.L) return;
  var vocabularyNode = document.getElementById("map-vocabulary");
  var vocabulary = vocabularyNode ? JSON.parse(vocabularyNode.textContent) : {themes: []};
  var profileNode = document.getElementById("profile-organisation");
  var organisationId = profileNode ? JSON.parse(profileNode.textContent) : null;
  var langPrefix = Musoya.lang === "en" ? "/en" : "";

  var colourOf = {}, labelOf = {};
  vocabulary.themes.forEach(function (theme) {
    colourOf[theme.code] = theme.colour;
    labelOf[theme.code] = theme.label;
    theme.children.forEach(function (child) { colourOf[child] = theme.colour; labelOf[child] = theme.label; });
  });

  var map = L.map(element, {preferCanvas: true, minZoom: 4, maxZoom: 14}).setView([17.3, -3.5], 5);
  window.musoyaMap = map;  // for the browser tests and the console
  var osm = L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", {
    maxZoom: 19, attribution: "© " + gettext("contributeurs OpenStreetMap") + " (ODbL)"});

  var layers = {};
  var selected = null;
  var gapPcodes = {};

  function unitStyle(level) {
    return function (feature) {
      var gap = gapPcodes[feature.properties.pcode];
      return {color: level === 1 ? "#444" : "#888", weight: level === 1 ? 1.5 : 0.6,
              fillColor: gap ? "#d7301f" : "#f3efe6", fillOpacity: gap ? 0.55 : (level === 1 ? 0.6 : 0)};
    };
  }

  var unitsAsked = {};  // level -> the promise of its layer: asked once, however many callers want it meanwhile
  function loadUnits(level) {
    if (unitsAsked[level]) return unitsAsked[level];
    unitsAsked[level] = fetch("/api/v1/areas/?level=" + level).then(function (r) { return r.json(); })
      .then(function (data) {
        layers[level] = L.geoJSON(data, {style: unitStyle(level), onEachFeature: function (feature, layer) {
          layer.on("click", function () { showUnit(feature.properties, layer); });
          layer.bindTooltip(feature.properties.name, {sticky: true});
        }});
        unitLabels.addGeoJSON(level, layers[level]);
        return layers[level];
      });
    unitsAsked[level].catch(function () { delete unitsAsked[level]; });  // asked again next time
    return unitsAsked[level];
  }

  function showLevels() {
    var zoom = map.getZoom();
    [[1, true], [2, zoom >= 6], [3, zoom >= 8]].forEach(function (pair) {
      var level = pair[0], wanted = pair[1];
      if (wanted) loadUnits(level).then(function (layer) { if (!map.hasLayer(layer)) layer.addTo(map).bringToBack(); });
      else if (layers[level] && map.hasLayer(layers[level])) map.removeLayer(layers[level]);
    });
  }

  /* The zones, as vector tiles made for whoever asks; a click asks the API for the one zone clicked. */
  // Above the admin units (overlay pane), below the labels: a click on a zone opens the zone, beside it the unit.
  map.createPane("zones").style.zIndex = 450;
  var zonesLayer = MusoyaMap.zoneTiles({colourOf: colourOf, params: filterQuery(), pane: "zones"}).addTo(map);
  zonesLayer.on("click", function (event) {
    var zoneId = event.layer.properties.zone, zonesHere = event.layer.properties.zones || 1;
    if (zoneId === undefined) return showMergedZones(event.latlng, event.layer.properties);
    var popup = L.popup().setLatLng(event.latlng).setContent(gettext("Chargement…")).openOn(map);
    fetch("/api/v1/zones/" + zoneId + "/", {credentials: "same-origin"}).then(function (r) { return r.json(); })
      .then(function (feature) {
        var p = feature.properties;
        popup.setContent("<strong>" + escapeHtml(p.title) + "</strong><br>" + escapeHtml(p.organisation.name) +
          (p.precision === "communes" ? "<br><em>" + gettext("Zone approximative (communes entières)") + "</em>" : "") +
          (p.start_date ? "<br>" + interpolate(gettext("depuis le %s"), [MusoyaMap.formatDate(p.start_date)]) : "") +
          (p.area_km2 != null ? "<br>" + MusoyaMap.formatNumber(p.area_km2) + " km²" : "") +
          (p.is_demo ? "<br><em>" + gettext("exemple fictif") + "</em>" : "") +
          // One feature of the tile stands for every zone drawn as the same shape there (zone_tile).
          (zonesHere > 1 ? "<br>" + interpolate(ngettext("et %s autre zone au même endroit",
                                                         "et %s autres zones au même endroit", zonesHere - 1),
                                                [MusoyaMap.formatNumber(zonesHere - 1)]) : "") +
          '<br><a href="' + langPrefix + vocabulary.profile_url.replace("__slug__", p.organisation.slug) + '">' +
          gettext("Voir le profil") + "</a>");
        element.dataset.popupZone = String(zoneId);
      });
  });
  /* Up to zoom 7 a tile draws each theme's touching zones as one shape (zones/tiles.py): its popup says how many
     zones it stands for and brings the map close enough to show them one by one. */
  var ZONE_BY_ZONE_ZOOM = 8;
  function showMergedZones(latlng, properties) {
    var content = document.createElement("div");
    var text = document.createElement("p");
    text.innerHTML = "<strong>" + escapeHtml(labelOf[properties.theme] || "") + "</strong><br>" +
      escapeHtml(interpolate(ngettext("%s zone à cet endroit", "%s zones à cet endroit", properties.zones),
                             [MusoyaMap.formatNumber(properties.zones)])) +
      (properties.precision === "communes" ? "<br><em>" + escapeHtml(gettext("Zones approximatives (communes entières)")) +
       "</em>" : "");
    var closer = document.createElement("button");
    closer.type = "button";
    closer.className = "link-button";
    closer.textContent = gettext("Voir les zones une à une");
    closer.addEventListener("click", function () {
      map.closePopup();
      map.setView(latlng, Math.max(map.getZoom() + 1, ZONE_BY_ZONE_ZOOM));
    });
    content.appendChild(text);
    content.appendChild(closer);
    L.popup().setLatLng(latlng).setContent(content).openOn(map);
    element.dataset.popupMerged = String(properties.zones);
  }

  var unitLabels = MusoyaMap.unitLabels(map);
  // The place names come once the first zones are drawn (or after 3 s, should a tile never come): at the national
  // view they name only Bamako, and on a slow link their 14 KB would otherwise come before the map.
  var placesAsked = false;
  function askPlaces() {
    if (placesAsked) return;
    placesAsked = true;
    MusoyaMap.placeLabels(map);
  }
  zonesLayer.once("load", askPlaces);
  setTimeout(askPlaces, 3000);

  var escapeHtml = MusoyaMap.escapeHtml;

  function filterQuery() {
    var params = new URLSearchParams();
    var form = document.getElementById("map-filters");
    if (form) {
      new FormData(form).forEach(function (value, key) {
        if (value && key !== "gaps" && key !== "osm") params.set(key, value);
      });
    }
    if (organisationId) params.set("organisation", organisationId);
    return params;
  }

  /* The tiles draw the zones; the count (and, on a profile, the extent) come from one small answer. */
  function loadZones() {
    var params = filterQuery();
    zonesLayer.setFilters(params);
    params.set("limit", organisationId ? "1000" : "1");
    params.set("geometry", "web");
    return fetch("/api/v1/zones/?" + params.toString()).then(function (r) { return r.json(); }).then(function (data) {
      var counter = document.getElementById("zone-count");
      if (counter) counter.textContent = interpolate(ngettext("%s zone affichée", "%s zones affichées", data.count),
                                                     [MusoyaMap.formatNumber(data.count)]);
      element.dataset.zones = String(data.count);
      if (organisationId && data.features.length) map.fitBounds(L.geoJSON(data).getBounds(), {maxZoom: 9});
    });
  }

  function loadGaps() {
    var box = document.getElementById("show-gaps");
    gapPcodes = {};
    var theme = document.getElementById("filter-theme");
    if (!box || !box.checked) return restyle();
    var params = filterQuery();
    params.set("level", "3");
    params.set("format", "json");
    return fetch("/api/v1/analytics/gaps/?" + params.toString()).then(function (r) { return r.json(); })
      .then(function (data) {
        data.results.forEach(function (row) { gapPcodes[row.pcode] = true; });
        loadUnits(3).then(function (layer) { if (!map.hasLayer(layer)) layer.addTo(map).bringToBack(); restyle(); });
        var counter = document.getElementById("zone-count");
        if (counter) counter.textContent += " · " + interpolate(
          gettext("%s communes sans intervention pour ce thème"), [MusoyaMap.formatNumber(data.count)]);
        element.dataset.gaps = String(data.count);
      });
  }

  function restyle() {
    Object.keys(layers).forEach(function (level) { layers[level].setStyle(unitStyle(Number(level))); });
  }

  function showUnit(properties, layer) {
    var panel = document.getElementById("unit-panel");
    if (!panel) return;
    if (selected) selected.setStyle({weight: selected.options.weight});
    selected = layer;
    var params = filterQuery();
    params.set("area", properties.pcode);
    params.set("limit", "50");
    panel.innerHTML = "<h2>" + escapeHtml(properties.name) + "</h2><p>" + gettext("Chargement…") + "</p>";
    fetch("/api/v1/interventions/?" + params.toString()).then(function (r) { return r.json(); }).then(function (data) {
      var women = properties.women_2017 ? interpolate(gettext("%s femmes (2017)"), [MusoyaMap.formatNumber(properties.women_2017)]) : "";
      var items = data.results.map(function (i) {
        return "<li><strong>" + escapeHtml(i.organisation.name) + "</strong> : " + escapeHtml(i.title) +
          (i.start_date ? " (" + interpolate(gettext("depuis le %s"), [MusoyaMap.formatDate(i.start_date)]) + ")" : "") + "</li>";
      });
      panel.innerHTML = "<h2>" + escapeHtml(properties.name) + "</h2><p>" + women + "</p>" +
        (items.length ? "<ul>" + items.join("") + "</ul>" : "<p>" + gettext("Aucune intervention connue ici.") + "</p>");
    });
  }

  function refresh() {
    loadZones();
    loadGaps();
    var form = document.getElementById("map-filters");
    if (form) {  // keep the view in the address, so it can be shared or reloaded
      var params = new URLSearchParams(new FormData(form));
      Array.from(params.keys()).forEach(function (k) { if (!params.get(k)) params.delete(k); });
      history.replaceState(null, "", location.pathname + (params.toString() ? "?" + params : ""));
    }
  }

  var form = document.getElementById("map-filters");
  if (form) {
    var initial = new URLSearchParams(location.search);
    initial.forEach(function (value, key) {
      var field = form.elements[key];
      if (!field) return;
      if (field.type === "checkbox") field.checked = value === "1"; else field.value = value;
    });
    form.addEventListener("change", function (event) {
      if (event.target.id === "show-osm") {
        if (event.target.checked) osm.addTo(map); else map.removeLayer(osm);
        return;
      }
      if (event.target.id === "filter-region" && event.target.value) {
        loadUnits(1).then(function (layer) {
          layer.eachLayer(function (l) { if (l.feature.properties.pcode === event.target.value) map.fitBounds(l.getBounds()); });
        });
      }
      refresh();
    });
    form.addEventListener("submit", function (event) { event.preventDefault(); refresh(); });
    if (form.elements.osm && form.elements.osm.checked) osm.addTo(map);
  }

  map.on("zoomend", showLevels);
  loadUnits(1).then(function (layer) { if (!organisationId) map.fitBounds(layer.getBounds()); });
  showLevels();
  refresh();
})();
