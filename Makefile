# The README's two commands are `make build` and `make test`; everything
# else here serves them. Python packages go into a local virtual environment.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
BENCH_STAMP := $(VENV)/.bench-stamp
# Every Python package, publisher's build backend included, comes from a lock
# file with hashes, so two machines render with the same libraries and bytes.
LOCK := requirements.lock
BENCH_LOCK := requirements-bench.lock
PIP := $(BIN)/python -m pip install --quiet --disable-pip-version-check

.PHONY: build test check-system schemas fonts deck-master deck-fonts bench clean lock

# `make build BUILD_ARGS="--lang en ar"` passes options on to `publisher build`.
build: check-system $(STAMP)
	$(BIN)/publisher build $(BUILD_ARGS)

# One test process per core (pytest-xdist); a module's tests stay in one process,
# so the builds its fixtures share are made once.
test: check-system $(STAMP)
	$(BIN)/python -m pytest -n auto --dist loadfile $(PYTEST_ARGS)

check-system:
	@$(PYTHON) tools/check_system.py

$(STAMP): $(LOCK) pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) --require-hashes --requirement $(LOCK)
	$(PIP) --no-deps --no-build-isolation --editable .
	@touch $@

# Benchmarks (not part of the tests): tables on stdout, JSON in bench/results/.
# `make bench BENCH_ARGS="--sizes 20,50,100 --formats all"`; see bench/README.md.
bench: check-system $(BENCH_STAMP)
	$(BIN)/python bench/run.py $(BENCH_ARGS)

$(BENCH_STAMP): $(STAMP) $(BENCH_LOCK)
	$(PIP) --require-hashes --requirement $(BENCH_LOCK)
	@touch $@

# Refresh the lock files after changing the dependencies in pyproject.toml:
# `make lock` keeps every pin it can; `make lock LOCK_ARGS=--upgrade` moves all
# to their newest allowed versions (then check that renders still pass).
# uv resolves for every platform and Python 3.11+ at once (--universal).
UV_VERSION := 0.13.9
UV := .venv-lock/bin/uv
LOCK_ARGS ?=
BUILD_REQUIRES := $(PYTHON) -c 'import tomllib; print(*tomllib.load(open("pyproject.toml", "rb"))["build-system"]["requires"], sep="\n")'
COMPILE := $(UV) pip compile --quiet --universal --python-version 3.11 --generate-hashes \
	--custom-compile-command 'make lock' $(LOCK_ARGS) pyproject.toml -

lock: $(UV)
	$(BUILD_REQUIRES) | $(COMPILE) --extra test --extra dask --output-file $(LOCK)
	$(BUILD_REQUIRES) | $(COMPILE) --extra test --extra dask --extra bench --constraint $(LOCK) --output-file $(BENCH_LOCK)

$(UV):
	$(PYTHON) -m venv .venv-lock
	.venv-lock/bin/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

# Regenerate the JSON Schemas editors use (committed; a test compares them).
schemas: $(STAMP)
	$(BIN)/publisher schema article > schemas/article.schema.json
	$(BIN)/publisher schema clinic > schemas/clinic.schema.json

# Regenerate the subset fonts from Debian's fonts-noto-core / fonts-noto-cjk.
fonts: $(STAMP)
	$(BIN)/python tools/make_fonts.py

# Regenerate the deck's slide master (templates/deck/master.pptx) from its recipe.
deck-master: $(STAMP)
	$(BIN)/python tools/make_deck_master.py

# Regenerate the fonts that measure deck text, from fonts-crosextra-carlito / fonts-liberation2.
deck-fonts: $(STAMP)
	$(BIN)/python tools/make_deck_fonts.py

clean:
	rm -rf output .pytest_cache
