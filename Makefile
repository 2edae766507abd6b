# One Makefile for local work and CI. It builds its own virtual environment in .venv
# and installs everything the project needs; nothing depends on the host's packages.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export PYTHONHASHSEED := 0

.PHONY: install demo test fuzz lint typecheck bench notebooks clean index fit-language fit-sentiment

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP) ## create .venv and install the package with every extra

demo: $(STAMP) ## multilingual reply suggestions on the sample brand, offline
	$(BIN)/python -m assistant.cli.demo

test: $(STAMP) ## the whole suite, notebooks included
	$(BIN)/pytest tests
	$(BIN)/pytest --nbmake --nbmake-timeout=300 notebooks

fuzz: $(STAMP) ## hostile inputs: FUZZ_SECONDS (default 180), or FUZZ_CASES a surface (e.g. 10000); FUZZ_SEED
	FUZZ_SECONDS=$${FUZZ_SECONDS:-180} $(BIN)/pytest tests/fuzz -q

lint: $(STAMP) ## ruff + mypy --strict
	$(BIN)/ruff check .
	$(BIN)/ruff format --check assistant tests benchmarks
	$(BIN)/mypy

index: $(STAMP) ## rebuild the sample brand's prebuilt embeddings (after editing its guidelines)
	$(BIN)/python -m assistant.understanding.prebuild

bench: $(STAMP) ## speed, accuracy and memory benchmarks (writes benchmarks/results/)
	$(BIN)/python -m benchmarks

fit-language: $(STAMP) ## refit romanised-language and Malay/Indonesian numbers from ../shared
	$(BIN)/python -m benchmarks.fit_romanised
	$(BIN)/python -m benchmarks.fit_msid

fit-sentiment: $(STAMP) ## refit the sentiment head from ../shared/benchmarks/sentiment
	$(BIN)/python -m benchmarks.fit_sentiment

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
