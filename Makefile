# Musoya: `make run` serves the site, `make test` runs the suite. Both do all the set-up first.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON_SYSTEM ?= /usr/bin/python3.11
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
STAMPS := var/stamps

.PHONY: help setup system venv venv-dev db migrate messages static plotly-bundle bootstrap run dev test bench lint lock stop-db

help:
	@echo "make run    set everything up and serve http://$(HOST):$(PORT)"
	@echo "make test   set everything up and run the whole test suite"
	@echo "make bench  run the benchmarks (bench/), results in bench/results/"
	@echo "make dev    Django's auto-reloading server (development settings)"
	@echo "make lint   ruff"

# 1. Debian packages (PostGIS, GDAL, Python venv, gettext, Chromium); installs only what is missing.
system:
	@scripts/install_system_packages.sh

# 2. The virtualenv with the pinned Python dependencies (reinstalled when a lock changes). `venv` is what serving
#    needs (requirements.lock); `venv-dev` adds the test and development tools (requirements-dev.lock).
venv: $(VENV)/.installed
$(VENV)/.installed: requirements.lock | system
	@echo "==> Python virtualenv in $(VENV) (pinned: requirements.lock)"
	@test -x $(PY) || $(PYTHON_SYSTEM) -m venv $(VENV) || { echo "ERROR: could not create the virtualenv; install python3-venv: sudo apt-get install -y python3-venv" >&2; exit 1; }
	@$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	@$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	@touch $@

venv-dev: $(VENV)/.installed-dev
$(VENV)/.installed-dev: requirements-dev.lock $(VENV)/.installed
	@echo "==> Test and development tools (pinned: requirements-dev.lock)"
	@$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock -r requirements-dev.lock
	@touch $@

# 3. The database: DATABASE_URL when set, otherwise the embedded PostGIS cluster under var/.
db: system
	@if [ -n "$$DATABASE_URL" ]; then echo "==> Database: DATABASE_URL"; \
	else echo "==> Database: embedded PostGIS cluster ($$(scripts/embedded_db.sh start))"; fi

# 4. Compiled translations (French is the default language, English the second).
messages: venv
	@$(PY) manage.py compilemessages --ignore=.venv -v 0

migrate: venv db messages
	@echo "==> Migrating"
	@$(PY) manage.py migrate --noinput -v 0
	@$(PY) manage.py createcachetable

# The dashboard's partial plotly.js (choropleth, bar, heatmap), built with npm + esbuild from the pinned lock; rebuilt
# only when the lock, the entry or the build script change. Without node the dashboard loads Dash's full plotly.js.
PLOTLY_BUNDLE := var/build/plotly/dashboards/plotly-musoya.min.js
plotly-bundle: $(PLOTLY_BUNDLE)
$(PLOTLY_BUNDLE): dashboards/plotly_bundle/package-lock.json dashboards/plotly_bundle/entry.js \
		dashboards/plotly_bundle/build.js \
		$(wildcard dashboards/plotly_bundle/stubs/*.js) scripts/build_plotly_bundle.sh | system
	@scripts/build_plotly_bundle.sh

static: venv plotly-bundle
	@$(PY) manage.py collectstatic --noinput -v 0

# 5. Reference data (boundaries, population, localities) and demo data, loaded when the database is empty.
bootstrap: migrate
	@$(PY) manage.py bootstrap

setup: system venv db migrate bootstrap

run: setup static
	@echo "==> Musoya is serving on http://$(HOST):$(PORT)/  (API: /api/docs/, dashboard: /tableau-de-bord/)"
	@$(PY) manage.py procrastinate worker --queues library & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	  $(VENV)/bin/gunicorn geo_backend.wsgi:application --bind $(HOST):$(PORT) --workers 3 --threads 2 \
	  --access-logfile - --timeout 120 --no-control-socket

dev: setup plotly-bundle
	@DJANGO_SETTINGS_MODULE=geo_backend.settings.development $(PY) manage.py runserver $(HOST):$(PORT)

test: system venv-dev db messages plotly-bundle
	@echo "==> Lint (ruff)"
	@$(VENV)/bin/ruff check .
	@echo "==> Tests (pytest, real PostGIS)"
	@$(VENV)/bin/pytest
	@echo "==> Browser tests (Playwright driving /usr/bin/chromium against gunicorn)"
	@$(VENV)/bin/pytest -m browser tests/browser

# The benchmarks also need wrk (their load generator), never needed by `make run`.
bench: setup venv-dev static
	@scripts/install_system_packages.sh --bench
	@$(PY) -m bench.run $(BENCH_ARGS)

lint: venv-dev
	@$(VENV)/bin/ruff check .

# Regenerate the pinned locks from requirements.in and requirements-dev.in (then commit both locks and keep
# environment.yml in step: tests/test_foundation.py checks it).
lock:
	@rm -rf var/lockenv && $(PYTHON_SYSTEM) -m venv var/lockenv
	@var/lockenv/bin/pip install --quiet -r requirements.in
	@var/lockenv/bin/pip freeze --exclude-editable > requirements.lock
	@var/lockenv/bin/pip install --quiet -c requirements.lock -r requirements-dev.in
	@var/lockenv/bin/pip freeze --exclude-editable | grep -vxFf requirements.lock > requirements-dev.lock

stop-db:
	@scripts/embedded_db.sh stop
