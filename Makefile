# Both commands set themselves up: a .venv is created when missing and the project is
# (re)installed into it only when pyproject.toml changed; `make test` also installs
# Debian's chromium (browser tests), npm (axe-core for their accessibility checks) and docker-compose
# (checks docker-compose.yml) when missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test faults lint demo clean system-deps

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/inspections run

# Reset the local stack's data and start again with fresh demo data.
demo: $(STAMP)
	rm -rf .data
	$(BIN)/inspections run

system-deps:
	@missing=; command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v docker-compose >/dev/null 2>&1 || missing="$$missing docker-compose"; \
	command -v npm >/dev/null 2>&1 || missing="$$missing npm"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages for the tests:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

# axe-core for the browser tests' accessibility checks, from the npm registry (pinned by its lock file).
AXE := tests/e2e/axe/node_modules/axe-core/axe.min.js
$(AXE): tests/e2e/axe/package.json tests/e2e/axe/package-lock.json
	npm ci --prefix tests/e2e/axe --no-audit --no-fund --ignore-scripts
	touch $(AXE)

test: $(STAMP) system-deps lint $(AXE)
	$(BIN)/python -m pytest -q

# The whole fault suite (tests/faults, RELIABILITY.md): every part of a running stack killed with SIGKILL under
# load, then every case, event and letter checked; measurements in test-artifacts/faults.jsonl. `make test`
# runs its short part only.
faults: $(STAMP)
	INSPECTIONS_FAULTS=all $(BIN)/python -m pytest -q tests/faults

# The formatter, the linter and the layer contracts (import-linter, see pyproject.toml).
lint: $(STAMP)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache

clean:
	rm -rf $(VENV) .data .pytest_cache test-artifacts
