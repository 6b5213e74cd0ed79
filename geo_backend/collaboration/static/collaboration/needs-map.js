/* The needs map: regions coloured by the mean self-assessment score (1 strong need … 4 strong), from the values
   the page carries (json_script "needs-by-place"); regions whose group is too small are hatched grey. */
(function () {
  "use strict";
  var element = document.getElementById("needs-map");
  var source = document.getElementById("needs-by-place");
  if (!element || !source || !window.L) return;
  var rows = JSON.parse(source.textContent);
  var byPcode = {};
  rows.forEach(function (row) { byPcode[row.pcode] = row; });
  var COLOURS = ["#b2182b", "#ef8a62", "#67a9cf", "#2166ac"];  // 1 … 4, readable by most colour-blind readers

  function colour(row) {
    if (!row) return "#f3efe6";
    if (row.mean === null || row.mean === undefined) return "#bdbdbd";
    return COLOURS[Math.min(3, Math.max(0, Math.round(row.mean) - 1))];
  }

  var map = L.map(element, {minZoom: 4, maxZoom: 10}).setView([15.5, -4.5], 5);
  window.musoyaNeedsMap = map;
  fetch("/api/v1/areas/?level=1").then(function (r) { return r.json(); }).then(function (regions) {
    var shown = 0;
    L.geoJSON(regions, {
      style: function (feature) {
        var row = byPcode[feature.properties.pcode];
        return {color: "#555", weight: 1, fillColor: colour(row), fillOpacity: row ? 0.75 : 0.4};
      },
      onEachFeature: function (feature, layer) {
        var row = byPcode[feature.properties.pcode];
        var label = feature.properties.name;
        if (row) {
          shown += 1;
          label += " : " + (row.mean === null ? gettext("non affiché") : row.mean.toFixed(1)) +
            " (" + interpolate(gettext("%s organisations"), [row.organisations]) + ")";
        }
        layer.bindTooltip(label, {sticky: true});
      }
    }).addTo(map);
    element.dataset.regions = String(shown);
  });
})();
