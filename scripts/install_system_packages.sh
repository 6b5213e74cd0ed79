#!/usr/bin/env bash
# Installs the Debian packages Musoya needs, only those that are missing.
# Run by `make run` and `make test`; safe to run again (it does nothing when all are present).
set -euo pipefail

# What each package is for:
#   postgresql, postgresql-15-postgis-3  the database (PostGIS 3.3 on PostgreSQL 15)
#   gdal-bin (libgdal, libgeos, libproj)  GeoDjango's geometry libraries; ogr2ogr for GIS users
#   python3, python3-venv                 Debian's Python 3.11 and its virtualenv module
#   gettext                               msgfmt, to compile the French/English translations
#   chromium                              the browser the browser tests drive (never downloaded by Playwright)
#   ffmpeg                                the library's compact voice copy of audio recordings (Opus, ~24 kbit/s)
#   poppler-utils                         pdftoppm: the first-page thumbnail of the library's PDFs
#   espeak-ng                             a synthetic voice for the demo's fictitious audio testimony
#   nodejs, npm                           build the dashboard's partial plotly.js at set-up (never at run time)
PACKAGES=(postgresql postgresql-15-postgis-3 gdal-bin python3 python3-venv gettext chromium ffmpeg poppler-utils
          espeak-ng nodejs npm)
#   wrk                                   HTTP load generator of the benchmarks only (`make bench`: --bench)
if [ "${1:-}" = "--bench" ]; then
  PACKAGES=(wrk)
fi

missing=()
for package in "${PACKAGES[@]}"; do
  # A node installed otherwise (e.g. NodeSource's nodejs, which carries npm and conflicts with Debian's npm) will do.
  if [ "$package" = nodejs ] && command -v node >/dev/null 2>&1; then continue; fi
  if [ "$package" = npm ] && command -v npm >/dev/null 2>&1; then continue; fi
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "==> System packages: all present"
  exit 0
fi

echo "==> Installing missing system packages: ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
  SUDO=""
elif command -v sudo >/dev/null 2>&1; then
  SUDO="sudo"
else
  echo "ERROR: these Debian packages are missing: ${missing[*]}" >&2
  echo "       Install them as root:  apt-get install -y ${missing[*]}" >&2
  exit 1
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "ERROR: apt-get not found. This set-up supports Debian 12 / Ubuntu." >&2
  echo "       On macOS or Windows use environment.yml (conda), see README." >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
if ! $SUDO apt-get install -y -qq "${missing[@]}"; then
  echo "ERROR: could not install ${missing[*]}." >&2
  echo "       Try by hand:  sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "==> System packages installed"
