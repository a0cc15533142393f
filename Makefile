# Peernet: `make run` for the embedded product, `make test` for the whole suite.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
# The first Python 3.12+ on this machine: versioned commands, then pyenv's installs.
FIND_PYTHON := for c in python3.14 python3.13 python3.12 python3 \
	$$(ls -d $${PYENV_ROOT:-$$HOME/.pyenv}/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV); do \
	"$$c" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1 && { command -v "$$c"; break; }; \
	done

# The suite's services. Override to point elsewhere.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/peernet
TEST_REDIS_URL ?= redis://127.0.0.1:6379/14
# Test processes (pytest-xdist): two per core, at most 4 (each starts its own Chromium). A
# test spends much of its time waiting on PostgreSQL, Redis or a browser, so two per core
# keep the cores busy: on 2 cores, 4 processes take the suite from about 6 minutes to 5.
TEST_WORKERS ?= $(shell n=$$(nproc 2>/dev/null || echo 2); echo $$(( 2 * n > 4 ? 4 : 2 * n )))
export PEERNET_TEST_ENV = DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) \
	CELERY_TASK_ALWAYS_EAGER=true DEBUG=true

MESSAGES_IGNORE := -i '.venv/*' -i 'var/*' -i 'staticfiles/*' -i 'tests/*'

.PHONY: help run test lint bench audit screenshots install messages provision clean

help:
	@echo "make run    the whole product on SQLite at http://127.0.0.1:8000 (demo data, emails in this terminal)"
	@echo "make test   lint and the whole suite on PostgreSQL, Redis and Chromium"
	@echo "make bench  the benchmarks under tests/bench/ (the board under wrk: requests/s, latency, CPU ms per request)"
	@echo "make audit  Lighthouse scores (mobile) of the main pages and a board page's weight"
	@echo "make screenshots  the README's phone screenshots, from the demo data"

$(VENV)/.installed: requirements.lock
	@py="$$($(FIND_PYTHON))"; \
	if [ -z "$$py" ]; then echo "ERROR: Peernet needs Python 3.12 or newer; none was found (tried python3.14..python3, pyenv versions)." >&2; exit 1; fi; \
	echo "Installing the locked dependencies into $(VENV) with $$py ($$($$py --version))..."; \
	[ -x $(PY) ] || "$$py" -m venv $(VENV)
	@# -qq: errors only, so a fresh `make run` stays short; a failure still says why.
	@$(PY) -m pip install -qq --upgrade pip
	@$(PY) -m pip install -qq --require-hashes -r requirements.lock
	@touch $@

install: $(VENV)/.installed

# Quiet until it serves: serve_demo ends the output with the address, a demo login and where
# login codes show (one line per email). tests/test_run_output.py counts these lines.
run: install
	@echo "Preparing Peernet (database and demo data)..."
	@$(PY) manage.py migrate --no-input -v0
	@$(PY) manage.py seed_demo
	@trap 'kill 0' EXIT; \
	$(PY) manage.py run_periodic & \
	$(PY) manage.py serve_demo 127.0.0.1:8000

provision:
	@bash scripts/provision_test_env.sh "$(TEST_DATABASE_URL)" "$(TEST_REDIS_URL)"

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	env $(PEERNET_TEST_ENV) $(PY) manage.py makemigrations --check --dry-run

test: install provision lint
	@set +e; env $(PEERNET_TEST_ENV) CHROMIUM_PATH="$$(command -v chromium || command -v chromium-browser)" \
		$(PY) -m pytest -n $(TEST_WORKERS) --dist loadgroup --cov --cov-report=term:skip-covered $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "ERROR: pytest collected no tests." >&2; exit 1; fi; exit $$rc

# make bench provisions wrk too (tests/bench/bench_board.py's load generator).
bench: export PROVISION_WRK := 1
bench: install provision
	@for script in tests/bench/bench_*.py; do \
		echo "== $$script"; env $(PEERNET_TEST_ENV) $(PY) "$$script" || exit 1; \
	done

# Both serve the demo data as production does (gunicorn, DEBUG off) on a free port, then stop it.
audit: install provision
	@CHROME_PATH="$${CHROME_PATH:-$$(command -v chromium || command -v chromium-browser)}" \
		$(PY) scripts/audit.py $(AUDIT_ARGS)

screenshots: install provision
	@CHROMIUM_PATH="$${CHROMIUM_PATH:-$$(command -v chromium || command -v chromium-browser)}" \
		$(PY) scripts/screenshots.py

messages: install
	$(PY) manage.py makemessages -l es -e html,txt,py,md --no-obsolete --no-location $(MESSAGES_IGNORE)
	$(PY) manage.py compilemessages -l es -i .venv -i var -i staticfiles

clean:
	rm -rf $(VENV) var staticfiles .coverage .pytest_cache .ruff_cache
