/* The dashboard's partial plotly.js: only the trace types it draws (choropleth maps, bars, heatmaps) and the
   French locale, instead of the full 4.8 MB build Dash would otherwise load. dcc.Graph uses window.Plotly when it
   is already there (dash/dcc: Promise.resolve(window.Plotly || <load plotly.min.js>)). Built by
   scripts/build_plotly_bundle.sh (make plotly-bundle). A figure with another trace type would not draw: add its
   module here.

   It also carries regenerator-runtime (2 KB on the wire), the one part of Babel's 30 KB polyfill that Dash's
   renderer and dcc still use (the global regeneratorRuntime, when they load a component lazily): the dashboard
   leaves that polyfill out whenever this bundle is there (dashboards/app.py). */
require("regenerator-runtime/runtime");

var Plotly = require("plotly.js/lib/core");

Plotly.register([
  require("plotly.js/lib/choropleth"),
  require("plotly.js/lib/bar"),
  require("plotly.js/lib/heatmap"),
  require("plotly.js/lib/locales/fr"),
]);

window.Plotly = Plotly;
