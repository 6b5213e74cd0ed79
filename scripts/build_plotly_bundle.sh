#!/usr/bin/env bash
# Builds the dashboard's partial plotly.js (dashboards/plotly_bundle/entry.js) with esbuild, from the packages
# pinned by dashboards/plotly_bundle/package-lock.json (npm ci: exactly the locked versions, from the registry,
# at set-up only; nothing is fetched when the site runs). Output: var/build/plotly/dashboards/plotly-musoya.min.js
# with its .gz and .br beside it (whitenoise serves those as they are; collectstatic fingerprints the file).
# Uses only what Debian 12's node 18 / npm 9 support. Without node the dashboard still works: it then loads Dash's
# full plotly.js (dashboards/app.py).
set -euo pipefail
cd "$(dirname "$0")/.."
SOURCE=dashboards/plotly_bundle
OUT=var/build/plotly/dashboards
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "WARNING: node/npm missing (apt-get install -y nodejs npm): the dashboard will load Dash's full plotly.js" >&2
  exit 0
fi
echo "==> Dashboard plotly.js partial bundle (npm ci + esbuild)"
(cd "$SOURCE" && npm ci --no-audit --no-fund --loglevel=error)
mkdir -p "$OUT"
# esbuild through its API (dashboards/plotly_bundle/build.js: the stubs and the unused components left out). The
# maplibre stylesheet esbuild would emit beside the script is for map traces the bundle does not include: written to
# a scratch file and dropped.
node "$SOURCE/build.js" "$OUT/plotly-musoya.tmp.js"
rm -f "$OUT/plotly-musoya.tmp.css"
mv "$OUT/plotly-musoya.tmp.js" "$OUT/plotly-musoya.min.js"
gzip -9 -k -f -n "$OUT/plotly-musoya.min.js"
node -e '
const fs = require("fs"), zlib = require("zlib"), file = process.argv[1];
fs.writeFileSync(file + ".br", zlib.brotliCompressSync(fs.readFileSync(file), {params: {
  [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT}}));
' "$OUT/plotly-musoya.min.js"
ls -l "$OUT" | awk 'NR>1 {printf "    %s %d bytes\n", $9, $5}'
