/* Stands in for d3-geo-projection (65 KB of map projections) in the dashboard's plotly.js: Plotly's geo looks a
   projection up in d3-geo first, then here (plots/geo/geo.js: geo[name] || geoProjection[name]), and the
   dashboard's maps use only "mercator", which d3-geo has. Another projection would not draw: remove this stub
   (scripts/build_plotly_bundle.sh) before using one. */
module.exports = {};
