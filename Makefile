# otokui: `make build` and `make test` are all the set-up a fresh machine needs.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: build test check serve lint bench schema docs clean browser

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

build: $(STAMP)
	$(PY) build.py build

check: $(STAMP)
	$(PY) build.py check

serve: $(STAMP)
	$(PY) build.py serve

test: $(STAMP)
	$(PY) -m pytest -q

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check otokui tests build.py bench
	$(VENV)/bin/mypy otokui

schema: $(STAMP)
	$(PY) build.py schema --output otokui/rules.schema.json

docs: $(STAMP)
	$(PY) -m otokui.lint.docs > docs/rules.md
	$(PY) -m otokui.i18n.docs > docs/wording.md

bench: $(STAMP)
	$(PY) bench/run.py

# Debian's Chromium and a Japanese font for the browser tests (needs root).
browser:
	apt-get update -qq && apt-get install -y -qq chromium fonts-ipaexfont-gothic

clean:
	rm -rf dist .dist-* .pytest_cache .mypy_cache .ruff_cache .otokui-cache
