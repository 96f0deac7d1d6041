# The two commands a newcomer needs: `make dev` runs the product locally, `make test` runs every test.
# Both create .venv and install what is missing; nothing has to be installed by hand.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

CHROMIUM := /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_INSTALL := DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y --no-install-recommends

.PHONY: dev test lint typecheck unit bench clean chromium web-test

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

dev: $(STAMP)
	$(BIN)/eoffice dev $(ARGS)

test: $(STAMP) lint typecheck
	$(BIN)/python -m pytest -n 2 --dist loadfile $(PYTEST_ARGS)
	$(if $(PYTEST_ARGS),,$(MAKE) --no-print-directory web-test)

# The web app's tests (vitest, then Playwright in Debian's chromium), once web/ exists. Installs
# and builds web/ only when its lock or sources changed (eoffice_local/web_build.py).
web-test: $(STAMP)
	@if [ -f web/package.json ]; then \
	  $(MAKE) --no-print-directory chromium && \
	  $(BIN)/python -m eoffice_local.web_build && \
	  npm --prefix web run test && \
	  npm --prefix web run test:e2e; \
	else echo "web/package.json not there yet: no web app tests"; fi

# Playwright cannot download its own browser here: Debian's chromium, installed when missing
# (the package lists are refreshed only when the install fails without).
chromium:
	@test -x $(CHROMIUM) || $(APT_INSTALL) chromium || \
	  { $(SUDO) apt-get update && $(APT_INSTALL) chromium; }

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy layers/eoffice/eoffice infra/local/eoffice_local
	for f in functions/*/; do $(BIN)/mypy $$f || exit 1; done
	$(BIN)/mypy infra/deploy/publish_web.py infra/deploy/vapid_keys.py

bench: $(STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .eoffice
