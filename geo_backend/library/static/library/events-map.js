/* Upcoming events on the home page's map (map.js builds the map and exposes it as window.musoyaMap): one
   marker per event placed at its locality or inside its admin unit, with a link to its page. */
(function () {
  "use strict";
  var map = window.musoyaMap;
  var element = document.getElementById("map");
  if (!map || !element || !window.L) return;
  var prefix = (window.Musoya && Musoya.lang === "en") ? "/en" : "";

  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = text == null ? "" : String(text);
    return div.innerHTML;
  }

  fetch("/api/v1/events/map/").then(function (r) { return r.json(); }).then(function (events) {
    var layer = L.geoJSON(events, {
      pointToLayer: function (feature, latlng) {
        return L.circleMarker(latlng, {radius: 7, color: "#1d1d1f", weight: 2, fillColor: "#fff3cd", fillOpacity: 1});
      },
      onEachFeature: function (feature, marker) {
        var p = feature.properties;
        marker.bindPopup("<strong>" + escapeHtml(p.title) + "</strong><br>" +
          escapeHtml(new Date(p.starts_at).toLocaleDateString(document.documentElement.lang)) + " · " +
          escapeHtml(p.organisation) + '<br><a href="' + prefix + "/evenements/" + feature.id + '/">' +
          gettext("Voir l'événement") + "</a>");
      }
    }).addTo(map);
    element.dataset.events = String(events.features.length);
    window.musoyaEventsLayer = layer;
  });
})();
