/* The dashboard's partial plotly.js: only what its figures use, instead of the full 4.8 MB build Dash would
   otherwise load. dcc.Graph uses window.Plotly when it is already there (dash/dcc:
   Promise.resolve(window.Plotly || <load plotly.min.js>)). Built by scripts/build_plotly_bundle.sh (make).

   plotly.js/src/core.js, minus the layout components no dashboard figure has (annotations, shapes, selections,
   images, menus, sliders, range sliders and selectors, error bars: some 180 KB minified). Plotly calls every
   component through its registry (Registry.getComponentMethod), which answers a no-op for one not registered; a
   figure that sets one of them draws without it. Keep in step with src/core.js when plotly.js is upgraded
   (tests/dashboards/test_plotly_bundle.py compares the two lists). Traces: the maps' choropleth, bar, heatmap;
   the French locale. */
"use strict";
require("native-promise-only");
require("plotly.js/build/plotcss");

var Registry = require("plotly.js/src/registry");
var plotApi = require("plotly.js/src/plot_api");
var Plotly = {version: require("plotly.js/src/version").version, register: Registry.register};

Object.keys(plotApi).forEach(function (name) {
  if (name.charAt(0) !== "_") Plotly[name] = plotApi[name];
  Registry.register({moduleType: "apiMethod", name: name, fn: plotApi[name]});
});
Registry.register(require("plotly.js/src/traces/scatter"));
Registry.register([
  require("plotly.js/src/components/grid"),
  require("plotly.js/src/components/colorscale"),
  require("plotly.js/src/components/colorbar"),
  require("plotly.js/src/components/legend"),
  require("plotly.js/src/components/fx"),
  require("plotly.js/src/components/modebar"),
]);
Registry.register([require("plotly.js/src/locale-en"), require("plotly.js/src/locale-en-us")]);
Plotly.Icons = require("plotly.js/src/fonts/ploticon");
var Fx = require("plotly.js/src/components/fx");
var Plots = require("plotly.js/src/plots/plots");
Plotly.Plots = {resize: Plots.resize, graphJson: Plots.graphJson, sendDataToCloud: Plots.sendDataToCloud};
Plotly.Fx = {hover: Fx.hover, unhover: Fx.unhover, loneHover: Fx.loneHover, loneUnhover: Fx.loneUnhover};
Plotly.Snapshot = require("plotly.js/src/snapshot");
Plotly.PlotSchema = require("plotly.js/src/plot_api/plot_schema");

Plotly.register([
  require("plotly.js/lib/choropleth"),
  require("plotly.js/lib/bar"),
  require("plotly.js/lib/heatmap"),
  require("plotly.js/lib/locales/fr"),
]);

window.Plotly = Plotly;
