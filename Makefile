# Jalon: `make run` (demo on the embedded database) and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test quality format install bench screens system-deps-run system-deps-test

$(STAMP): requirements.txt requirements-dev.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $(STAMP)

install: $(STAMP)

system-deps-run:
	@bash scripts/system-deps.sh run

system-deps-test:
	@bash scripts/system-deps.sh test

run: system-deps-run install
	$(PY) -m jalon.dev

# Two processes (pytest-xdist), one per core: the suite takes about half the time.
# pytest-randomly shuffles the order on every run (tests must not depend on each other);
# the seed is printed at the end: PYTEST_ARGS="-n 2 --randomly-seed=N" replays an order,
# "-p no:randomly" keeps the file order.
PYTEST_ARGS ?= -n 2

test: system-deps-test install
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(PY) -m pytest $(PYTEST_ARGS)

# Benchmarks need a PostgreSQL server (DATABASE_URL, default: the machine's on 127.0.0.1)
# and wrk (scripts/system-deps.sh test). BENCH_SCALE=national measures identity and pages
# under load on the kept database jalon_national (generated first if empty: about 11
# minutes on a quiet machine); small builds and drops throwaway ones in seconds. Pages under
# load take about 10 minutes (gunicorn with production settings, a 5-minute mixed run), the API under the
# same harness about 8 (a 2-minute mixed run; its bookings are real and stay in the data).
BENCH_SCALE ?= small
bench: system-deps-test install
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(PY) bench/registration_flow.py --runs 10
	$(PY) bench/sms_dispatch.py --count 100000
	$(PY) bench/sms_chaos.py --count 10000
	$(PY) bench/natinf.py
	$(PY) bench/imports.py
	$(PY) bench/identity.py --scale $(BENCH_SCALE)
	$(PY) bench/pages.py --scale $(BENCH_SCALE)
	$(PY) bench/api.py --scale $(BENCH_SCALE)
	$(PY) bench/stats.py --scale $(BENCH_SCALE)
	$(PY) bench/public.py
	$(PY) bench/space.py
	$(PY) bench/infocentre.py --scale $(BENCH_SCALE)

# Screenshots of each role's home page on the demo data into docs/screens/ (a PostgreSQL
# server: DATABASE_URL, default the machine's on 127.0.0.1; Chromium from Debian).
screens: system-deps-test install
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(PY) scripts/screens.py

quality: install
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy jalon
	$(VENV)/bin/lint-imports --no-cache
	$(VENV)/bin/djlint jalon/templates jalon/*/templates --lint
	$(PY) manage.py makemigrations --check --dry-run

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

