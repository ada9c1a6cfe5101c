# Two entry points, both self-installing on a fresh machine:
#   make demo   builds the environment and a synthetic council, evaluates it, shows the results, serves the web app
#   make test   builds the environment and runs every test, lint and type check (what .ci/run runs)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# The DfE's CIN census and SSDA903 validators, which tests/exporters runs on what casewatch exports. They pin
# pandas<2, numpy<1.25 and rich<14, so they get an environment of their own (requirements-dfe.lock).
DFE_VENV := .venv-dfe

.PHONY: demo test install lint typecheck browser dfe-validators

$(VENV)/.installed: requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

install: $(VENV)/.installed

$(DFE_VENV)/.installed: requirements-dfe.lock
	$(PYTHON) -m venv $(DFE_VENV)
	$(DFE_VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements-dfe.lock
	touch $@

dfe-validators: $(DFE_VENV)/.installed

# The browser tests drive Debian's chromium (Playwright's own browser download is not used): install it when absent.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
		echo "Installing Debian's chromium for the browser tests"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get install -y -qq chromium >/dev/null 2>&1 || \
		{ $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium; }; }

demo: install
	$(BIN)/casewatch demo

lint: install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: install
	$(BIN)/mypy

test: install dfe-validators browser lint typecheck
	$(BIN)/python -m pytest -n auto
