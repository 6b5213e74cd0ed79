/* A small Leaflet map of one GeoJSON layer (accepted partnerships, training venues): the element's data-source
   gives the address; the regions are the base map, so it works without a tile server. No inline script (CSP). */
(function () {
  "use strict";
  var element = document.getElementById("partnerships-map") || document.getElementById("trainings-map");
  if (!element || !window.L) return;
  var map = L.map(element, {minZoom: 4, maxZoom: 13}).setView([14.5, -5.5], 5);
  window.musoyaCollaborationMap = map;  // for the browser tests and the console
  var langPrefix = document.documentElement.lang === "en" ? "/en" : "";

  function text(value) { var span = document.createElement("span"); span.textContent = value == null ? "" : value; return span.innerHTML; }

  fetch("/api/v1/areas/?level=1").then(function (r) { return r.json(); }).then(function (regions) {
    L.geoJSON(regions, {style: {color: "#888", weight: 1, fillColor: "#f3efe6", fillOpacity: 0.6}, interactive: false})
      .addTo(map).bringToBack();
  });
  fetch(element.dataset.source, {credentials: "same-origin"}).then(function (r) { return r.json(); }).then(function (data) {
    var layer = L.geoJSON(data, {
      style: {color: "#7a1f5c", weight: 2, fillColor: "#7a1f5c", fillOpacity: 0.3},
      pointToLayer: function (feature, latlng) {
        return L.circleMarker(latlng, {radius: 7, color: "#7a1f5c", weight: 2, fillColor: "#d95f02", fillOpacity: 0.8});
      },
      onEachFeature: function (feature, layer) {
        var p = feature.properties;
        var html = p.organisations
          ? "<b>" + text(p.organisations.join(" ↔ ")) + "</b>"
          : "<b><a href=\"" + langPrefix + text(p.url) + "\">" + text(p.title) + "</a></b><br>" + text(p.organisation) +
            "<br>" + text(p.place) + " · " + text(p.start_date) + " → " + text(p.end_date);
        layer.bindPopup(html);
      }
    }).addTo(map);
    element.dataset.features = String(data.features.length);
    if (data.features.length) map.fitBounds(layer.getBounds(), {maxZoom: 8, padding: [20, 20]});
  });
})();
