# The few commands people type. `make demo` needs only Python 3.11; `make test` runs the whole suite.
PYTHON ?= python3.11
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PYTEST_ARGS ?=
BENCH_ARGS ?=

.PHONY: demo install test lint bench messages prodcheck fuzz

$(STAMP): requirements.txt requirements-dev.txt
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is required ($(PYTHON) not found; set PYTHON=...)"; exit 1; }
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

# Zero-service demo: SQLite, tasks run eagerly, fresh demo data, server on 127.0.0.1:8000.
demo: export DATABASE_URL = sqlite:///$(CURDIR)/db.sqlite3
demo: export CELERY_BROKER_URL =
demo: export DJANGO_DEBUG = true
demo: $(STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo --reset
	@echo ""
	@echo "ISales KPI demo: http://127.0.0.1:8000/  (logins above; password demo-pass-2026)"
	$(PY) manage.py runserver 127.0.0.1:8000

test: $(STAMP)
	$(VENV)/bin/pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

bench: $(STAMP)
	$(PY) manage.py bench $(BENCH_ARGS)

# Schemathesis against the OpenAPI schema, longer than the suite's run: positive and negative data,
# 100 examples per operation; prints the answers per operation and status (docs/security-input.md).
fuzz: $(STAMP)
	SCHEMATHESIS_EXAMPLES=100 SCHEMATHESIS_MODES=positive,negative $(VENV)/bin/pytest -q -s -p no:randomly \
		tests/security/test_schemathesis_api.py

messages: $(STAMP)
	$(PY) manage.py compilemessages --ignore=$(VENV)

# What production runs, without Docker: the image's build steps (scripts/build.sh, also run by the
# Dockerfile), `check --deploy` failing on any warning, gunicorn serving a login and pages.
prodcheck: $(STAMP)
	PYTHON=$(PY) sh scripts/build.sh deps
	PYTHON=$(PY) sh scripts/build.sh static
	PYTHON=$(PY) $(PY) scripts/prodcheck.py
