/* What every map page shares: the zones as vector tiles (/tiles/zones/, built by the server for whoever asks, so
   the first visit does not grow with the number of zones), labels of places and units from our own data (they
   work offline), and numbers written the way the page's language writes them. */
(function () {
  "use strict";
  if (!window.L) return;

  var numberFormat = new Intl.NumberFormat(Musoya.lang, {maximumFractionDigits: 1});
  function formatNumber(value) { return value == null || value === "" ? "" : numberFormat.format(Number(value)); }
  function formatDate(iso) {
    if (!iso) return "";
    var parts = String(iso).split("-");
    return new Intl.DateTimeFormat(Musoya.lang, {year: "numeric", month: "long", day: "numeric", timeZone: "UTC"})
      .format(new Date(Date.UTC(Number(parts[0]), Number(parts[1]) - 1, Number(parts[2]))));
  }

  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = text == null ? "" : String(text);
    return div.innerHTML;
  }

  /* The zones tile layer. colourOf maps a theme code to its colour; params are the map's filters. */
  function zoneTiles(options) {
    var colourOf = options.colourOf || {};
    function url(params) {
      var query = params && params.toString();
      return "/tiles/zones/{z}/{x}/{y}.pbf" + (query ? "?" + query : "");
    }
    var layer = L.vectorGrid.protobuf(url(options.params), {
      // SVG, not canvas: a click beside a zone then reaches the admin units below (a canvas tile would take it);
      // VectorGrid 1.3.0's canvas clicks also call L.DomEvent.fakeStop, gone since Leaflet 1.8.
      rendererFactory: L.svg.tile,
      pane: options.pane || "tilePane",
      interactive: options.interactive !== false,
      maxNativeZoom: 14,
      fetchOptions: {credentials: "same-origin"},
      // Up to z7 a feature is a theme's merged zones (zones/tiles.py), with no zone id.
      getFeatureId: function (feature) { return feature.properties.zone; },
      vectorTileLayerStyles: {
        zones: function (properties) {
          var colour = options.colour || colourOf[properties.theme] || "#333";
          return {color: colour, weight: options.weight || 1.5, fill: true, fillColor: colour,
                  fillOpacity: options.fillOpacity == null ? 0.35 : options.fillOpacity,
                  dashArray: properties.precision === "communes" ? "4 3" : null};
        }
      }
    });
    layer.setFilters = function (params) {  // only a real change reloads the tiles
      if (url(params) !== layer._url) layer.setUrl(url(params));
    };
    return layer;
  }

  /* Labels drawn as small, non-interactive markers, only those inside the view and at or past their zoom, so
     a map of 18,769 places stays light. Each item: {lat, lon, text, minZoom, kind}. */
  function labelLayer(map) {
    var group = L.layerGroup().addTo(map);
    var items = [];
    var shown = {};
    function refresh() {
      var zoom = map.getZoom(), bounds = map.getBounds().pad(0.1);
      var keep = {};
      items.forEach(function (item) {
        if (zoom < item.minZoom || !bounds.contains([item.lat, item.lon])) return;
        keep[item.key] = true;
        if (shown[item.key]) return;
        shown[item.key] = L.marker([item.lat, item.lon], {
          interactive: false, keyboard: false,
          icon: L.divIcon({className: "map-label map-label-" + item.kind, html: "<span>" + escapeHtml(item.text) + "</span>",
                           iconSize: null})
        }).addTo(group);
      });
      Object.keys(shown).forEach(function (key) {
        if (!keep[key]) { group.removeLayer(shown[key]); delete shown[key]; }
      });
    }
    map.on("moveend zoomend", refresh);
    return {
      add: function (newItems) {
        var known = {};
        items.forEach(function (item) { known[item.key] = true; });
        newItems.forEach(function (item) { if (!known[item.key]) items.push(item); });
        refresh();
      },
      refresh: refresh
    };
  }

  // Towns first, villages as one comes closer: place_class 1 (Bamako) to 5 (villages).
  var PLACE_MIN_ZOOM = {1: 5, 2: 6, 3: 7, 4: 9, 5: 11};
  var VILLAGE_GRID = 0.25;  // villages are asked by cells of 0.25°, so the same address is asked (and cached) again

  /* The places of the reference data as labels: the towns at once, the villages of the view from zoom 11. */
  function placeLabels(map) {
    var labels = labelLayer(map);
    var asked = {};
    function add(collection) {
      labels.add(collection.features.map(function (f) {
        return {key: "p" + f.properties.pcode, lon: f.geometry.coordinates[0], lat: f.geometry.coordinates[1],
                text: f.properties.name, minZoom: PLACE_MIN_ZOOM[f.properties.place_class] || 11,
                kind: "place-" + f.properties.place_class};
      }));
    }
    function get(url) {
      if (asked[url]) return;
      asked[url] = true;
      fetch(url).then(function (r) { return r.ok ? r.json() : {features: []}; }).then(add)
        .catch(function () { delete asked[url]; });
    }
    get("/api/v1/localities/labels/?max_class=4");
    map.on("moveend", function () {
      if (map.getZoom() < PLACE_MIN_ZOOM[5]) return;
      var b = map.getBounds();
      for (var x = Math.floor(b.getWest() / VILLAGE_GRID); x * VILLAGE_GRID < b.getEast(); x++) {
        for (var y = Math.floor(b.getSouth() / VILLAGE_GRID); y * VILLAGE_GRID < b.getNorth(); y++) {
          var box = [x * VILLAGE_GRID, y * VILLAGE_GRID, (x + 1) * VILLAGE_GRID, (y + 1) * VILLAGE_GRID]
            .map(function (v) { return v.toFixed(2); }).join(",");
          get("/api/v1/localities/labels/?max_class=5&bbox=" + box);
        }
      }
    });
    return labels;
  }

  /* Unit names on the outlines: regions below zoom 6, cercles from 6, communes from 8 (as the outlines show). */
  var UNIT_ZOOMS = {1: [0, 6], 2: [6, 8], 3: [8, 99]};
  function unitLabels(map) {
    var labels = labelLayer(map);
    var byLevel = {};
    function zoomChanged() {
      var zoom = map.getZoom();
      Object.keys(byLevel).forEach(function (level) {
        var range = UNIT_ZOOMS[level];
        byLevel[level].forEach(function (item) { item.minZoom = zoom >= range[0] && zoom < range[1] ? 0 : 99; });
      });
      labels.refresh();
    }
    map.on("zoomend", zoomChanged);
    return {
      addGeoJSON: function (level, geojsonLayer) {
        if (byLevel[level]) return;
        byLevel[level] = [];
        geojsonLayer.eachLayer(function (l) {
          var centre = l.getBounds().getCenter();
          byLevel[level].push({key: "u" + l.feature.properties.pcode, lat: centre.lat, lon: centre.lng,
                               text: l.feature.properties.name, minZoom: 99, kind: "unit-" + level});
        });
        labels.add(byLevel[level]);
        zoomChanged();
      }
    };
  }

  window.MusoyaMap = {zoneTiles: zoneTiles, placeLabels: placeLabels, unitLabels: unitLabels,
                      formatNumber: formatNumber, formatDate: formatDate, escapeHtml: escapeHtml};
})();
