# Veiligheidsbeeld. `make run` and `make test` set up .venv themselves on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DB ?= data/ivp.duckdb
PORT ?= 8501
# The address `make run` listens on. Without login configured only 127.0.0.1 gives full rights
# ("lokaal, zonder inlog"); any other address serves the public view only (README, Toegang).
ADDRESS ?= 127.0.0.1
# Workers of `make test`: two more than the 2 cores CI has, because a browser test waits on
# Chromium and its server much of the time (measured on 2 cores with 1,010 tests, 5 December:
# 10 min 4 s with 3 workers, 8 min 25 s with 4 and the accessibility audit split per page).
TEST_WORKERS ?= 4
DATA_SOURCES := $(shell find data -type f ! -name '*.duckdb*' ! -path 'data/themes/*' 2>/dev/null) $(wildcard ivpdata/*.py ivpdata/*/*.py) ivpdata/schema.sql

.DEFAULT_GOAL := help
.PHONY: help run build check test lint sqlfix bench loadtest lock clean

help:  ## List the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-6s %s\n", $$1, $$2}'

# Installs a pinned requirements file into .venv: with uv (pinned in requirements-bootstrap.txt,
# installed by the venv's own pip), which takes seconds where pip takes a minute or more; with pip
# where uv cannot be installed or fails. Both compile the packages' bytecode up front (about 10 s):
# where PYTHONDONTWRITEBYTECODE is set (as in many containers) Python never writes it, and every
# server start compiled some 1,000 modules from source again: 1.8 s of the first view.
PIP := $(BIN)/pip install --quiet --disable-pip-version-check
install = if $(PIP) -r requirements-bootstrap.txt && \
	$(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python -r $(1); \
	then :; else echo "uv did not install $(1): installing with pip"; $(PIP) -r $(1); fi
# The app's own bytecode, brought up to date before a server starts (only changed files). An
# optimisation only: a file it cannot compile is named (-q prints errors alone) and Python reports
# it properly on import, so its failure never stops the target (the leading '-').
COMPILE_APP := $(BIN)/python -m compileall -q app.py dashboard ivpdata

$(BIN)/.runtime: requirements.txt requirements-bootstrap.txt Makefile  # the Makefile: how it installs
	$(PYTHON) -m venv $(VENV)
	@echo "installing requirements.txt"; $(call install,requirements.txt)
	touch $@

$(BIN)/.dev: $(BIN)/.runtime requirements-dev.txt
	@echo "installing requirements-dev.txt"; $(call install,requirements-dev.txt)
	touch $@

$(DB): $(BIN)/.runtime $(DATA_SOURCES)
	IVP_DB=$(DB) $(BIN)/python -m ivpdata build

build: $(BIN)/.runtime  ## Build the database from data/ (always), and the app's bytecode (deploy/: the replicas cannot write it)
	-$(COMPILE_APP)
	IVP_DB=$(DB) $(BIN)/python -m ivpdata build

run: $(DB)  ## Run the app on the embedded default data (builds the database when stale)
	-$(COMPILE_APP)
	theme="$$($(BIN)/python -m ivpdata theme $(if $(GEMEENTE),--gemeente $(GEMEENTE)))" && set -a && eval "$$theme" && set +a && \
	IVP_DB=$(DB) $(BIN)/python -m dashboard run app.py --server.port $(PORT) --server.address $(ADDRESS)

lint: $(BIN)/.dev  ## ruff (Python), mypy (types of app.py, dashboard/, ivpdata/) and sqlfluff (queries/*.sql)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/sqlfluff lint queries --disable-progress-bar

check: $(BIN)/.dev  ## Fast lane while working: lint, then every test that needs no browser and is not marked slow
	$(MAKE) --no-print-directory lint
	$(BIN)/python -m pytest -n 2 --dist loadgroup -m "not browser and not slow"

test: $(BIN)/.dev  ## Lint and, beside it, every test including the headless-Chromium ones (what CI runs)
	@if [ ! -x /usr/bin/chromium ]; then \
	  echo "########################################################################"; \
	  echo "## Chromium is missing: the browser tests will FAIL.                  ##"; \
	  echo "## Install it with: apt-get install -y chromium  (see README)          ##"; \
	  echo "########################################################################"; \
	fi
	@if [ ! -x /usr/sbin/nginx ]; then \
	  echo "########################################################################"; \
	  echo "## nginx is missing: the replica test (tests/test_deploy_replicas.py) ##"; \
	  echo "## will FAIL. Install it with: apt-get install -y nginx  (see README)  ##"; \
	  echo "########################################################################"; \
	fi
	@-$(COMPILE_APP) tests
	@# Lint beside the tests (the tests leave a core idle much of the time); its report after theirs.
	@log=$$(mktemp); $(MAKE) --no-print-directory lint > $$log 2>&1 & lint=$$!; \
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadgroup --durations=30; tests=$$?; \
	wait $$lint; linted=$$?; cat $$log; rm -f $$log; \
	if [ $$linted -ne 0 ]; then echo "make lint FAILED"; fi; \
	[ $$tests -eq 0 ] && [ $$linted -eq 0 ]

bench: $(BIN)/.dev  ## Benchmarks in tests/bench/ (prints timings against targets; no pass/fail)
	-$(COMPILE_APP) tests
	$(BIN)/python -m tests.bench

loadtest: $(BIN)/.dev $(DB)  ## Load test: 1-200 sessions at the protocol level on 1 and 2 replicas, 3 browsers beside (no pass/fail)
	-$(COMPILE_APP) tests
	IVP_DB=$(DB) $(BIN)/python -m tests.bench.load

lock:  ## Regenerate the pinned requirements*.txt from requirements*.in
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet -r requirements.in
	{ echo "# Fully pinned; generated from requirements.in by 'make lock'. Edit requirements.in instead."; \
	  .lock-venv/bin/pip freeze; } > requirements.txt
	.lock-venv/bin/pip install --quiet -r requirements-dev.in
	{ echo "# Fully pinned; generated from requirements-dev.in by 'make lock'. Edit requirements-dev.in instead."; \
	  echo "-r requirements.txt"; .lock-venv/bin/pip freeze | grep -vxFf requirements.txt; } > requirements-dev.txt
	rm -rf .lock-venv

clean:  ## Remove the virtualenv and the built database
	rm -rf $(VENV) $(DB) $(DB).wal $(DB).lock $(dir $(DB)).snapshots
