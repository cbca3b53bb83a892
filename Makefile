# One command each for a new user: `make demo` (set up, then reconcile the seed article)
# and `make test` (set up, then run the test suite). Everything installs into .venv.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: setup extras demo test bench fuzz clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,notebook]'
	rm -f $(VENV)/.installed-*
	touch $@

# The optional parts the full test run covers: the peer libraries the tests and benchmarks
# compare against (never runtime dependencies; truthdiscovery pins ~30 exact versions, so it
# is installed without its own requirements) and the Dask engine.
extras: setup
	$(PY) -m pip install --quiet -e '.[peers,dask]'
	$(PY) -m pip install --quiet --no-deps truthdiscovery==1.0.4

demo: setup
	$(VENV)/bin/reconcile run data/seed.txt --published 2020-07-14 --out out/seed --graph
	$(VENV)/bin/reconcile run data/seed.txt --published 2020-07-14 --format text

test: setup
	$(PY) -m pytest

bench: setup
	$(PY) -m benchmarks.scale --claims 1000000

# the long fuzz campaign: 15,000 generated inputs for each of seven targets (about an hour)
fuzz: setup
	$(PY) -m benchmarks.fuzz --examples 15000

clean:
	rm -rf out .pytest_cache
