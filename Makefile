# One command to set up and preview, one to set up and test (see README "Quick start").
# Everything installs into .venv from the pinned requirements files. Previewing and
# building need only requirements.txt; the test tools (requirements-dev.txt, and the npm
# checkers when npm is there) install with `make test` alone.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip install --quiet --disable-pip-version-check
PORT   ?= 8000

.PHONY: setup setup-test build check test lint serve import bench scale lighthouse clean

$(VENV)/.runtime: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) -r requirements.txt
	touch $@

$(VENV)/.testing: $(VENV)/.runtime requirements-dev.txt
	$(PIP) -r requirements-dev.txt
	touch $@

# The checkers (vnu, axe-core, Lighthouse) come from npm; without npm their tests skip
# locally and fail under CI.
ifneq ($(shell command -v npm 2>/dev/null),)
CHECKERS := node_modules/.installed
endif

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

setup: $(VENV)/.runtime

setup-test: $(VENV)/.testing $(CHECKERS)

build: setup
	$(PY) build.py

check: build
	$(PY) build.py check

# Live preview on http://127.0.0.1:$(PORT)/ — rebuilds and reloads the browser on every save.
serve: setup
	$(PY) build.py serve --port $(PORT)

import: setup
	$(PY) build.py import content/raw/*.txt

# The test command: lint (undefined names, unused imports), unit, golden, end-to-end and
# browser tests (headless system Chromium; without it browser tests are skipped, or fail
# when CI is set), then a real build verified by check. pytest runs one worker per core
# (pytest-xdist; tests/conftest.py says how tests are grouped).
test: setup-test lint
	$(PY) -m compileall -q duizhao >/dev/null  # the suite's hundreds of build processes load these, not the source (even under PYTHONDONTWRITEBYTECODE)
	$(PY) -m pytest -q -n logical --dist loadgroup
	$(PY) build.py -q
	$(PY) build.py check

lint: setup-test
	$(PY) -m ruff check --quiet --select F,E9 duizhao build.py tests benchmarks

bench: setup-test
	$(PY) benchmarks/run.py

# duizhao against MkDocs (Material) and Hugo at 10, 100 and 1,000 reports (about 10 minutes).
scale: setup-test
	$(PIP) -r benchmarks/requirements.txt
	$(PY) benchmarks/scale.py

lighthouse: setup-test
	$(PY) benchmarks/lighthouse.py

clean:
	rm -rf site .pytest_cache
