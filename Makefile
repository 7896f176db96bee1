# 科普鄂州 — `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_FILE ?= demo/demo.jsonl

.DEFAULT_GOAL := help
.PHONY: help install install-test translations run serve migrate demo admin test lint typecheck format check-migrations clean \
	search-engine search-engine-stop search-cluster search-cluster-stop search-cluster-status \
	search-cluster-node-stop search-cluster-node-start search-reindex bench-relevance bench-speed bench-screens bench-portal \
	prod-rehearsal prod-rehearsal-stop bench-faults

help: ## Show this help
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[36m%-26s\033[0m %s\n", $$1, $$2}'

$(VENV)/.runtime: requirements.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

$(VENV)/.ops: requirements.txt requirements-ops.txt $(VENV)/.runtime
	$(PIP) install --quiet --disable-pip-version-check -r requirements-ops.txt
	@touch $@

$(VENV)/.test: requirements.txt requirements-test.txt $(VENV)/.runtime
	$(PIP) install --quiet --disable-pip-version-check -r requirements-test.txt
	@touch $@

# The admin's Chinese strings that Wagtail lacks (locale/, docs/admin.md): .po → .mo with polib,
# no gettext tools and no network; recompiled when a .po changes. The .mo files are not committed.
LOCALE_MO := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/*.po))

locale/%.mo: locale/%.po admin_site/locale_compile.py $(VENV)/.runtime
	$(PY) admin_site/locale_compile.py $< $@

translations: $(LOCALE_MO) ## Compile the admin translations in locale/ (run by install, install-test)

install: $(VENV)/.runtime $(LOCALE_MO) ## Create the virtualenv and install runtime dependencies

# axe-core for the portal's accessibility tests, pinned in package-lock.json; reinstalled when the lock changes.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

install-test: $(VENV)/.test node_modules/.installed $(LOCALE_MO) ## Install test and lint dependencies too (Python, and axe-core from npm)

migrate: install ## Apply database migrations (and add lexicon groups shipped since the last run)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py search_lexicon_load

demo: migrate ## Import the demo content, its current warnings dated around today (idempotent)
	$(PY) demo/dated.py $(DEMO_FILE) .var/demo
	$(PY) manage.py import_content .var/demo/$(notdir $(DEMO_FILE))

admin: migrate ## Create the local admin account and print its credentials
	$(PY) manage.py ensure_admin

run: demo admin ## Fresh machine → running site on http://127.0.0.1:8000 with demo content
	@echo "科普鄂州 is starting on http://$(HOST):$(PORT)/  (admin: http://$(HOST):$(PORT)/admin/)"
	@$(MAKE) --no-print-directory serve

# The scheduler (scheduled go-live and expiry) runs beside the dev server and stops with it.
serve: install ## Start the dev server and the scheduler without touching data
	@trap 'kill $$scheduler 2>/dev/null; wait $$scheduler 2>/dev/null' EXIT; \
	$(PY) manage.py run_scheduler & scheduler=$$!; \
	$(PY) manage.py runserver $(HOST):$(PORT)

lint: install-test ## ruff lint and format check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install-test ## Apply ruff fixes and formatting
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

check-migrations: install-test ## Fail if models changed without a migration
	DJANGO_SETTINGS_MODULE=cms.settings.test $(PY) manage.py makemigrations --check --dry-run

typecheck: install-test ## mypy (django-stubs) over selectors, services, builders and clients ([tool.mypy] in pyproject.toml)
	$(VENV)/bin/mypy

test: install-test lint typecheck check-migrations ## The whole suite, with a real Elasticsearch node (started and stopped if not running)
	bash tools/elasticsearch/with-engine.sh $(PY) -m pytest -n auto --dist loadgroup --no-loadscope-reorder $(PYTEST_ARGS)

search-engine: ## Start the local Elasticsearch 8 node on 127.0.0.1:$${ES_PORT:-9200} and wait until healthy
	bash tools/elasticsearch/run.sh start

search-engine-stop: ## Stop the local Elasticsearch node
	bash tools/elasticsearch/run.sh stop

# The secured local cluster (tools/elasticsearch/cluster.sh, docs/search.md): 3 nodes on 9401-9403,
# TLS, an API key for the site in .var/es-cluster.env. N picks the node for node-stop/node-start.
N ?= 2

search-cluster: ## Start the local secured Elasticsearch cluster (TLS, API key) and write .var/es-cluster.env
	bash tools/elasticsearch/cluster.sh start

search-cluster-stop: ## Stop every node of the local cluster
	bash tools/elasticsearch/cluster.sh stop

search-cluster-status: ## Nodes of the local cluster and its health (read with the API key)
	bash tools/elasticsearch/cluster.sh status

search-cluster-node-stop: ## Stop one node of the local cluster (N=2, a data node): rehearse a node loss
	bash tools/elasticsearch/cluster.sh node-stop $(N)

search-cluster-node-start: ## Start node N of the local cluster again and wait until it is back (green)
	bash tools/elasticsearch/cluster.sh node-start $(N)

search-reindex: install ## Rebuild search documents and indexes (atomic alias swap on Elasticsearch)
	$(PY) manage.py search_reindex

bench-relevance: install-test ## Relevance benchmark (ours vs stock, both backends); see docs/benchmarks.md
	bash bench/relevance/run.sh

bench-speed: install-test ## Speed benchmark at 1k and 50k items (slow: generates content); see docs/benchmarks.md
	bash bench/speed/run.sh

bench-screens: install-test ## Screen feed API benchmark: 1,000 screens, Redis, gunicorn, wrk (≈8 min); see docs/benchmarks.md
	bash bench/screens/run.sh

bench-portal: install-test ## Portal under a surge at 50k items: Redis, gunicorn, wrk, a warning published mid-surge (≈10 min); see docs/benchmarks.md
	bash bench/portal/run.sh

prod-rehearsal: $(VENV)/.ops $(LOCALE_MO) ## Production stack on this machine (PostgreSQL, Redis, Elasticsearch, honcho, nginx) on http://127.0.0.1:8040; needs root
	bash deploy/rehearsal.sh start

prod-rehearsal-stop: ## Stop the rehearsal stack (its data stays in .var/rehearsal/)
	bash deploy/rehearsal.sh stop

bench-faults: $(VENV)/.ops ## Fault tests on the rehearsal stack: Elasticsearch, Redis, worker, PostgreSQL (≈6 min); see docs/benchmarks.md
	bash bench/faults/run.sh

clean: ## Remove the virtualenv, local database and test media
	rm -rf $(VENV) node_modules db.sqlite3 .var .pytest_cache .ruff_cache
