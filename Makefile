# The README's two commands are `make build` and `make test`; everything
# else here serves them. Python packages go into a local virtual environment.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
BENCH_STAMP := $(VENV)/.bench-stamp

.PHONY: build test check-system schemas fonts deck-master deck-fonts bench clean

build: check-system $(STAMP)
	$(BIN)/publisher build

test: check-system $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

check-system:
	@$(PYTHON) tools/check_system.py

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --editable '.[test,dask]'
	@touch $@

# Benchmarks (not part of the tests): tables on stdout, JSON in bench/results/.
# `make bench BENCH_ARGS="--sizes 20,50,100 --formats all"`; see bench/README.md.
bench: check-system $(BENCH_STAMP)
	$(BIN)/python bench/run.py $(BENCH_ARGS)

$(BENCH_STAMP): $(STAMP) pyproject.toml
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --editable '.[test,bench]'
	@touch $@

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
