/* Builds the dashboard's partial plotly.js (entry.js) with esbuild's API: node build.js OUTFILE
   (run by scripts/build_plotly_bundle.sh). Besides the trace types entry.js registers, it leaves out what the
   dashboard's figures never use:
   - packages stubbed in stubs/ (country names, map projections other than d3-geo's);
   - layout components Plotly's core registers for every plot (src/core.js): menus, sliders, range sliders and
     selectors, layout images, 3D annotations. Each becomes a component without methods: Plotly asks for their
     methods through its registry, which answers "nothing to do" (Registry.getComponentMethod), and a figure's
     layout.updatemenus, sliders, images… would be ignored. */
"use strict";
const path = require("path");
const esbuild = require("esbuild");

const UNUSED_COMPONENTS = ["updatemenus", "sliders", "rangeslider", "rangeselector", "images", "annotations3d"];
const CORE = path.join("plotly.js", "src", "core.js");

const unusedComponents = {
  name: "unused-components",
  setup(build) {
    const filter = new RegExp("^\\./components/(" + UNUSED_COMPONENTS.join("|") + ")$");
    build.onResolve({filter}, (args) => (args.importer.endsWith(CORE)
      ? {path: args.path.split("/").pop(), namespace: "unused-component"} : undefined));
    build.onLoad({filter: /.*/, namespace: "unused-component"}, (args) => ({
      contents: "module.exports = {moduleType: 'component', name: " + JSON.stringify(args.path) + "};",
      loader: "js",
    }));
  },
};

esbuild.build({
  entryPoints: [path.join(__dirname, "entry.js")],
  bundle: true,
  minify: true,
  format: "iife",
  define: {global: "window"},
  alias: {
    "country-iso-search": path.join(__dirname, "stubs", "country-iso-search.js"),
    "d3-geo-projection": path.join(__dirname, "stubs", "d3-geo-projection.js"),
  },
  plugins: [unusedComponents],
  legalComments: "none",
  logLevel: "warning",
  outfile: process.argv[2],
}).catch(() => process.exit(1));
