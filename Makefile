# One command to set up and run, one to set up and test (see README "Quick start").
# Everything installs into .venv from the pinned requirements files.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PORT   ?= 8000

.PHONY: setup build check test serve import bench scale lighthouse clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

# The checkers (vnu, axe-core, Lighthouse) come from npm; without npm their tests skip
# locally and fail under CI.
ifneq ($(shell command -v npm 2>/dev/null),)
CHECKERS := node_modules/.installed
endif

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

setup: $(VENV)/.installed $(CHECKERS)

build: setup
	$(PY) build.py

check: build
	$(PY) build.py check

# The test command: unit, golden, end-to-end and browser tests (headless system Chromium;
# without it browser tests are skipped, or fail when CI is set), then a real build
# verified by check.
test: setup
	$(PY) -m pytest -q
	$(PY) build.py -q
	$(PY) build.py check

# Live preview on http://127.0.0.1:$(PORT)/ — rebuilds and reloads the browser on every save.
serve: setup
	$(PY) build.py serve --port $(PORT)

import: setup
	$(PY) build.py import content/raw/*.txt

bench: setup
	$(PY) benchmarks/run.py

# duizhao against MkDocs (Material) and Hugo at 10, 100 and 1,000 reports (about 10 minutes).
scale: setup
	$(PY) -m pip install --quiet --disable-pip-version-check -r benchmarks/requirements.txt
	$(PY) benchmarks/scale.py

lighthouse: setup
	$(PY) benchmarks/lighthouse.py

clean:
	rm -rf site .pytest_cache
