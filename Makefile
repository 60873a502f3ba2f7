# jctui: two commands do all the set-up. `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
# Python caches compiled modules and pytest its rewritten tests (in __pycache__, ignored by
# git) even where the environment turns that off: `make test` collects in ~5 s instead of
# ~13 s of CPU per worker, and every `jctui` the tests start skips compiling.
export PYTHONDONTWRITEBYTECODE :=

.PHONY: run test test-slow lint format check bench soak test-ssh test-browser test-serve test-e2e clean demo-data

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	@touch $@

$(VENV)/.dev-installed: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@ $(VENV)/.installed

## Start the dashboard on the bundled demo data (or your config, see README).
run: $(VENV)/.installed
	$(BIN)/jctui

## Install the dev extras and run the whole test suite (lint, import contracts, types, pytest).
test: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/pytest -n 2 --dist loadfile --no-loadscope-reorder

## The full runs of the slow checks whose quick runs are in `make test` (marker `slow`):
## the differential attacks, the shared-refresh races, the folder-rename race.
test-slow: $(VENV)/.dev-installed
	$(BIN)/pytest -o addopts="" -ra --strict-markers -m slow -n 2 --dist loadfile

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy

format: $(VENV)/.dev-installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## Regenerate the bundled demo data (deterministic; the result is committed).
demo-data: $(VENV)/.installed
	$(PY) -m jctui.demo.generate
	$(PY) -m jctui.demo.generate_targets

## Benchmarks (see bench/RESULTS.md).
bench: $(VENV)/.dev-installed
	$(PY) bench/run_all.py

## Soak: thousands of refresh cycles against a local HTTP server.
soak: $(VENV)/.dev-installed
	$(BIN)/pytest -o addopts="" -m soak -s tests/functional/test_soak.py

## Terminal end-to-end in tmux (marker `tmux`, not in `make test`; installs tmux if missing).
test-e2e: $(VENV)/.dev-installed
	command -v tmux >/dev/null || (apt-get update -q && apt-get install -y -q tmux)
	$(BIN)/pytest -o addopts="" -ra --strict-markers -m tmux -n 2 --dist loadfile

## SSH end-to-end: installs openssh-server and tmux (Debian, needs root).
test-ssh: $(VENV)/.dev-installed
	command -v sshd >/dev/null || (apt-get update -q && apt-get install -y -q openssh-server tmux)
	$(BIN)/pytest -o addopts="" -m ssh

## Browser end-to-end: installs chromium and chromium-driver (Debian, needs root).
test-browser: $(VENV)/.dev-installed
	command -v chromium >/dev/null || (apt-get update -q && apt-get install -y -q chromium chromium-driver)
	$(BIN)/pytest -o addopts="" -m browser

## Several concurrent browser sessions on one `jctui serve` (websocket clients, no browser).
test-serve: $(VENV)/.dev-installed
	$(BIN)/pytest -o addopts="" -m serve_sessions tests/functional/test_serve_sessions.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache build dist *.egg-info
