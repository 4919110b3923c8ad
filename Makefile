# Trader Pro backend — every target a newcomer (or CI) needs.  `make help` lists them.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000
NPM := npm --no-audit --no-fund --loglevel=error
HAVE_NODE := $(shell command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 && echo yes)
# package data (app/site/assets.py): the terminal's Vite build and the docs viewers' npm bundles
ASSETS := app/site/static
VIEWERS := $(ASSETS)/viewers/manifest.json

.PHONY: help install run test lint typecheck pytest generate check-specs node node-tools web web-build viewers web-test browser postgres bench bench-full clean \
	nginx cluster-up cluster-down cluster-status cluster-logs bench-gateway bench-scaling

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

$(STAMP): setup.cfg pyproject.toml clients/python/pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	$(PY) -m pip install --quiet -e ./clients/python
	touch $(STAMP)

install: $(STAMP) ## create .venv and install the package with its dev/test extras

web/node_modules/.stamp: web/package-lock.json
	cd web && $(NPM) ci
	touch $@

contract-ts/node_modules/.stamp: contract-ts/package-lock.json
	cd contract-ts && $(NPM) ci
	touch $@

node-tools: ## npm packages of the contract checks and the offline ReDoc/AsyncAPI viewers (contract-ts/)
ifeq ($(HAVE_NODE),yes)
	@$(MAKE) --no-print-directory contract-ts/node_modules/.stamp
else
	@echo "Node.js/npm not found: ReDoc and the AsyncAPI viewer fall back to plain pages."
endif

run: install node-tools ## build the web terminal and docs viewers (if Node.js is installed) and serve on $(HOST):$(PORT)
ifeq ($(HAVE_NODE),yes)
	$(MAKE) --no-print-directory web-build viewers
else
	@echo "Node.js/npm not found: the API starts, the web terminal at /terminal/ is not built."
endif
	$(PY) -m app server --host $(HOST) --port $(PORT)

web-build: web/node_modules/.stamp ## build the web terminal into the package (app/site/static/terminal)
	cd web && $(NPM) run build

viewers: $(VIEWERS) ## copy the ReDoc/AsyncAPI viewer bundles (npm, pinned in contract-ts/) into app/site/static/viewers

$(VIEWERS): contract-ts/node_modules/.stamp app/site/assets.py
	$(PYTHON) -m app.site.assets contract-ts/node_modules

web: web/node_modules/.stamp ## check the generated TypeScript types are current, type-check and build the terminal
	cd web && $(NPM) run gen:check && $(NPM) run build

web-test: web/node_modules/.stamp ## vitest unit tests of the terminal
	cd web && $(NPM) test

node: ## make sure Node.js and npm are installed (Debian packages) for the web and contract checks
	@command -v npm >/dev/null 2>&1 || { \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; \
		else echo "Node.js/npm are missing: apt-get install nodejs npm" >&2; exit 1; fi; }

browser: ## make sure Chromium is installed (Debian package) for the end-to-end test
	@command -v chromium >/dev/null 2>&1 || { \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
		else echo "chromium is missing: apt-get install chromium" >&2; exit 1; fi; }

postgres: ## make sure PostgreSQL's server binaries are installed (Debian package) for the store tests
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; \
		else echo "PostgreSQL is missing: apt-get install postgresql" >&2; exit 1; fi; }

nginx: ## make sure nginx is installed (Debian package) for the cluster and its tests
	@command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || { \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null; \
		else echo "nginx is missing: apt-get install nginx" >&2; exit 1; fi; }

# -- the cluster (README "Cluster"): processes of $(CLUSTER) behind an nginx gateway, files under .local/
CLUSTER ?= cluster.yaml

cluster-up: install node-tools nginx postgres ## start the gateway, instances, supervisor (and PostgreSQL) of $(CLUSTER)
ifeq ($(HAVE_NODE),yes)
	$(MAKE) --no-print-directory web-build viewers
endif
	$(PY) -m app cluster up --config $(CLUSTER)

cluster-down: install ## stop every process of $(CLUSTER) (SIGTERM, then SIGKILL)
	$(PY) -m app cluster down --config $(CLUSTER)

cluster-status: install ## each process of $(CLUSTER): running or dead, pid, port, health
	$(PY) -m app cluster status --config $(CLUSTER)

cluster-logs: install ## the last lines of every log of $(CLUSTER)
	$(PY) -m app cluster logs --config $(CLUSTER)

lint: install ## flake8
	$(PY) -m flake8 app schemas ws tests bench clients examples

typecheck: install ## mypy --strict on the whole package, the Python client and the example bot that uses it
	$(PY) -m mypy --strict
	$(PY) -m mypy --strict examples/sma_bot.py

pytest: install ## the Python test suite (the end-to-end and packaging tests need `make web-build viewers browser` first)
	$(PY) -m pytest -q

test: install lint typecheck check-specs node contract-ts/node_modules/.stamp viewers web web-test browser postgres nginx ## everything CI checks
	E2E_REQUIRED=1 $(PY) -m pytest -q
	@echo "make test: all checks passed"

generate: install ## write openapi/*.json, asyncapi.yaml and the Python client (clients/python) from the schemas (then regenerate web types)
	$(PY) -m app generate
ifeq ($(HAVE_NODE),yes)
	$(MAKE) --no-print-directory web/node_modules/.stamp && cd web && $(NPM) run gen
endif

check-specs: install ## fail when the committed specs or Python client differ from what the code generates
	$(PY) -m app generate --check

bench: install ## quick side-by-side benchmark against the bare-aiohttp floor (see docs/PERFORMANCE.md)
	$(PY) bench/run_bench.py --quick

bench-full: install ## full benchmark (3 runs, ~25 min): writes docs/PERFORMANCE.md
	$(PY) bench/run_bench.py --full

bench-gateway: install nginx ## the cluster gateway's cost: through nginx vs direct vs the limit server (docs/PERFORMANCE.md)
	PYTHONPATH=. $(PY) -m bench.gateway

bench-scaling: install nginx postgres ## throughput and CPU/op with 1 vs 2 instances behind the gateway: streams, orders (docs/PERFORMANCE.md)
	PYTHONPATH=. $(PY) -m bench.scaling

clean: ## remove the virtualenv and build leftovers
	rm -rf $(VENV) build *.egg-info web/node_modules web/dist contract-ts/node_modules $(ASSETS)
