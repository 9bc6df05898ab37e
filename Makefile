# pelican-newsroom: quick start and development tasks.
#   make example   install into .venv and build example_site (output: example_site/output/)
#   make serve     preview the example site on http://localhost:8000/
#   make test      install the test extra and run every test
#   make lint      ruff (format + lint) and mypy
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip --disable-pip-version-check -q
SOURCES := pyproject.toml $(shell find pelican_newsroom pelican theme -type f -not -path '*/__pycache__/*' 2>/dev/null)
EXAMPLE_OUT := example_site/output

.PHONY: install example serve test lint format clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed-base: $(BIN)/python $(SOURCES)
	$(PIP) install .
	@touch $@

$(VENV)/.installed-dev: $(BIN)/python $(SOURCES)
	$(PIP) install ".[dev]"
	@touch $@ $(VENV)/.installed-base

install: $(VENV)/.installed-base

example: $(VENV)/.installed-base
	cd example_site && ../$(BIN)/pelican content -s pelicanconf.py -o output --delete-output-directory
	@echo
	@echo "Example site built in $(CURDIR)/$(EXAMPLE_OUT)/"
	@echo "Preview it with 'make serve', then open http://localhost:8000/"

serve: example
	cd example_site && ../$(BIN)/pelican --listen -s pelicanconf.py -o output

# axe-core (accessibility checks in the browser tests) comes from npm; skipped without npm.
AXE_STAMP := $(VENV)/node/.installed-axe
$(AXE_STAMP): $(BIN)/python
	@if command -v npm >/dev/null 2>&1; then \
	  npm install --silent --no-audit --no-fund --prefix $(VENV)/node axe-core@4 && touch $@; \
	else echo "npm not found: axe-core tests will be skipped"; fi

test: $(VENV)/.installed-dev $(AXE_STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy

format: $(VENV)/.installed-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) $(EXAMPLE_OUT) build dist .pytest_cache .mypy_cache .ruff_cache
