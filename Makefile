# The portal's entry points. A newcomer needs two: `make run` and `make test`.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.DEFAULT_GOAL := help
.PHONY: help venv run test lint format demo check-deploy assets assets-check lock messages messages-check clean

help:  ## List the targets.
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | expand -t 16

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (set PYTHON=...).")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstalled whenever a requirements file changes.
$(VENV)/.installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	@touch $@

venv: $(VENV)/.installed  ## Create or update the virtual environment.

run: venv  ## Start the portal with demo data: web, Celery worker and beat (Ctrl-C stops all).
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py seed_demo
	@echo
	@echo "  The portal is at http://$(HOST):$(PORT)/  (Ctrl-C stops web, worker and beat)"
	@echo
	@# Links in e-mail follow the address the portal was started on, unless
	@# PORTAL_BASE_URL says otherwise (honcho gives each process its own PORT).
	PATH="$(CURDIR)/$(BIN):$$PATH" HOST=$(HOST) \
	PORTAL_BASE_URL="$${PORTAL_BASE_URL:-http://$(HOST):$(PORT)}" \
	$(BIN)/honcho start --procfile Procfile.dev --port $(PORT)

# The suite runs in TEST_WORKERS processes (pytest-xdist; "auto": one per core, at most
# 4; 0 runs it in this process). Each has its own test database and Redis database
# (conftest.py). worksteal: a worker that runs out takes tests from a busy one, so the
# slow browser and fault tests do not all wait at the end of one worker's share.
TEST_WORKERS ?= auto

test: venv lint  ## Lint, check for missing migrations, run the whole test suite.
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest -n $(TEST_WORKERS) --maxprocesses 4 --dist worksteal

lint: venv  ## ruff: lint and formatting check; bandit: security checks; import-linter: the layers.
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/bandit -c pyproject.toml -r -q .
	$(BIN)/lint-imports --no-cache

format: venv  ## ruff: fix what can be fixed, format the code.
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

demo: venv  ## Migrate and (re)load demo data without starting anything.
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py seed_demo

check-deploy: venv  ## Django's deployment checklist, with production-like variables.
	DJANGO_DEBUG=false DJANGO_ALLOWED_HOSTS=portal.example.org DJANGO_SECURE_HSTS_PRELOAD=true \
	PORTAL_BASE_URL=https://portal.example.org \
	DJANGO_SECRET_KEY="$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
	$(BIN)/python manage.py check --deploy --fail-level WARNING

assets:  ## Refresh static/vendor from the pinned npm packages (needs node).
	npm ci --ignore-scripts --no-audit --no-fund
	$(PYTHON) scripts/vendor_assets.py

assets-check:  ## Fail if static/vendor differs from the pinned npm packages (needs node).
	npm ci --ignore-scripts --no-audit --no-fund
	$(PYTHON) scripts/vendor_assets.py --check

lock: venv  ## Re-pin requirements*.txt from requirements*.in.
	$(BIN)/python -m pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links --output-file requirements.txt requirements.in
	$(BIN)/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links --output-file requirements-dev.txt requirements-dev.in

messages: venv  ## Update the Swedish catalogue (locale/sv) from the code and compile it.
	$(BIN)/python manage.py makemessages -l sv --ignore=.venv --ignore=node_modules --ignore=var --ignore=static --no-obsolete --add-location=file
	$(BIN)/python manage.py compilemessages --ignore=.venv

messages-check: messages  ## Fail if the code has strings the Swedish catalogue lacks.
	@# Not --stat: with -I, git 2.39 exits 0 whatever the difference.
	@git diff --quiet -I 'POT-Creation-Date' -- locale \
		|| { git diff --stat -- locale; echo "locale/ is out of date: run 'make messages', translate, commit."; exit 1; }

clean:  ## Remove local state: the demo database, the embedded broker's queue.
	rm -rf var
