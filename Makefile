# Autoencoders course kit: everyday commands.
#   make lab        start JupyterLab on notebooks/ (LAB_ARGS=--no-browser on a server)
#   make formgrader open nbgrader's formgrader on the course gradebook (instructors)
#   make test       run the whole test suite (lint first)
#   make lint       ruff: lint and formatting (make format rewrites the files)
#   make check NB=notebooks/<name>/<name>.ipynb     self-check one notebook before submitting
#   make release    regenerate notebooks/ from solutions/ (instructors)
#   make autograde SUBMISSIONS=<dir>         grade a folder of submissions (instructors)
#   make bench      time the training loops
#   make clean      remove caches and build leftovers (keeps .venv; `make distclean` removes it too)
# Only python3 (>= 3.10) and make are needed: the first target you run creates .venv.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV ?= .venv
VPY := $(VENV)/bin/python
# Written after a successful install; pip runs again only when pyproject.toml is newer.
STAMP := $(VENV)/.installed
# -q keeps pip's progress output short; errors are still printed and still fail the build.
PIP_FLAGS ?= -q --disable-pip-version-check
# This machine's pip config names index locations that may not exist, and pip warns
# "Location ... is ignored" for each of them; drop only those lines.
PIP_NOISE := ^(WARNING: )?Location .* is ignored

# Passed through to `jupyter lab`, e.g. LAB_ARGS="--no-browser --port=8899".
LAB_ARGS ?=
# Jupyter refuses to start as root (containers, CI) unless told it may.
LAB_ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root)
# What `make test` collects: the tests, and the solution notebooks under nbval.
PYTEST_PATHS ?= tests solutions
# The solution notebooks run under nbval in fast mode (AUTOENCODERS_FAST=1: fewer steps, same code).
NBVAL_ARGS ?= --nbval-lax --nbval-sanitize-with tests/nbval_sanitize.cfg
# Test processes (pytest-xdist): one per core, at most 4; each test file runs whole on one of them
# (tests/conftest.py). TEST_WORKERS=0 runs everything in this process.
TEST_WORKERS ?= auto
XDIST_ARGS = $(if $(filter 0,$(TEST_WORKERS)),,-n $(TEST_WORKERS) --maxprocesses 4 --dist loadfile)
# Extra pytest options, e.g. PYTEST_ARGS="-x -k lab".
PYTEST_ARGS ?= --durations=15
NB ?=
SUBMISSIONS ?=

.PHONY: help venv lab formgrader lint format test release check autograde bench clean distclean

help:
	@sed -n '2,10p' Makefile | sed 's/^# \{0,1\}//'

$(VPY):
	$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else "Python >= 3.10 is needed, got " + sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(VPY)
	@echo "Installing the course kit and its dependencies into $(VENV) (first time: a few minutes)..."
	$(VPY) -m pip install $(PIP_FLAGS) -e ".[dev]" 2> >(grep -Ev '$(PIP_NOISE)' >&2)
	@touch $@

venv: $(STAMP)

lab: $(STAMP)
	$(VPY) -m jupyter lab --ServerApp.root_dir=notebooks $(LAB_ROOT_FLAG) $(LAB_ARGS)

# The formgrader needs the course root (gradebook.db, autograded/) inside the server's root folder.
formgrader: $(STAMP)
	$(VPY) -m jupyter lab --ServerApp.root_dir=. --ServerApp.default_url=/formgrader $(LAB_ROOT_FLAG) $(LAB_ARGS)

lint: $(STAMP)
	$(VPY) -m ruff check .
	$(VPY) -m ruff format --check .

format: $(STAMP)
	$(VPY) -m ruff check --fix .
	$(VPY) -m ruff format .

test: $(STAMP) lint
	AUTOENCODERS_FAST=1 MPLBACKEND=Agg $(VPY) -m pytest $(PYTEST_PATHS) $(NBVAL_ARGS) $(XDIST_ARGS) $(PYTEST_ARGS)

release: $(STAMP)
	$(VPY) -m autoencoders release

check: $(STAMP)
	@test -n "$(NB)" || { echo "usage: make check NB=notebooks/<name>/<name>.ipynb" >&2; exit 2; }
	@# a failed exercise is part of the report, not a make error; exit 1 stays for scripts that call the CLI
	@$(VPY) -m autoencoders check "$(NB)"; status=$$?; [ $$status -le 1 ] || exit $$status

autograde: $(STAMP)
	@test -n "$(SUBMISSIONS)" || { echo "usage: make autograde SUBMISSIONS=<folder of submissions>" >&2; exit 2; }
	$(VPY) -m autoencoders autograde "$(SUBMISSIONS)"

bench: $(STAMP)
	$(VPY) benchmarks/bench_training.py

clean:
	find . -path ./$(VENV) -prune -o -type d \( -name __pycache__ -o -name .ipynb_checkpoints \) -print0 | xargs -0r rm -rf
	rm -rf .pytest_cache build dist *.egg-info benchmarks/results

distclean: clean
	rm -rf $(VENV)
