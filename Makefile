# Every target bootstraps .venv with pip when it is missing, so a fresh clone needs only python3.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

# pytest-xdist workers; every session fixture (temp folders, random ports, the PostgreSQL server)
# is per worker, so the suite is safe in parallel. `make test PYTEST_WORKERS=0` runs it serially.
PYTEST_WORKERS ?= 2

.PHONY: run test lint bench eval clean constraints

# Versions pinned by constraints.txt (regenerate with `make constraints` after changing deps).
$(STAMP): pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e '.[dev,postgres]'
	touch $(STAMP)

run: $(STAMP)
	$(PY) -m bot

# ruff (lint and format) and mypy, configured in pyproject.toml; `make test` runs them first.
lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy

# The suite includes the answer evaluation with its thresholds (tests/test_eval_thresholds.py runs
# every set of bench/eval through `bot ask`, like `make eval`, and fails under
# bench/eval/thresholds.json), so a change that breaks ranking fails `make test` and CI.
test: lint
	$(PY) -m pytest -n $(PYTEST_WORKERS)

eval: $(STAMP)
	$(PY) bench/eval_qa.py

bench: $(STAMP)
	$(PY) bench/run_all.py

# pip freeze of a fresh venv holding the declared dependencies (not the project itself).
constraints:
	rm -rf .constraints-venv
	$(PYTHON) -m venv .constraints-venv
	.constraints-venv/bin/python -m pip install --quiet --upgrade pip
	.constraints-venv/bin/python -m pip install --quiet '.[dev,postgres]'
	{ sed -n '/^#/p' constraints.txt; \
	  .constraints-venv/bin/python -m pip freeze --all --exclude tro-ly-cchc --exclude pip \
	  | sort -f; } > constraints.txt.new
	mv constraints.txt.new constraints.txt
	rm -rf .constraints-venv build

clean:
	rm -rf $(VENV) data/*.db data/*.db-wal data/*.db-shm
