/* A campaign's map: Mali's regions as the base (no tile server needed, as on the home map) and the campaign's
   places on top. */
(function () {
  "use strict";
  var element = document.getElementById("campaign-map");
  if (!element || !window.L) return;
  var map = L.map(element, {preferCanvas: true, minZoom: 4, maxZoom: 12}).setView([17.3, -3.5], 5);
  window.musoyaCampaignMap = map;  // for the browser tests and the console
  fetch("/api/v1/areas/?level=1").then(function (r) { return r.json(); }).then(function (regions) {
    L.geoJSON(regions, {style: {color: "#444", weight: 1, fillColor: "#f3efe6", fillOpacity: 0.6}}).addTo(map).bringToBack();
  });
  fetch(element.getAttribute("data-places-url")).then(function (r) { return r.json(); }).then(function (places) {
    var layer = L.geoJSON(places, {
      style: {color: "#7a1f5c", weight: 2, fillColor: "#7a1f5c", fillOpacity: 0.35},
      onEachFeature: function (feature, l) { l.bindTooltip(feature.properties.name, {sticky: true}); }
    }).addTo(map);
    element.dataset.places = String(places.features.length);
    if (places.features.length) map.fitBounds(layer.getBounds(), {maxZoom: 9});
  });
})();
