# The two commands of the README: `make run` and `make test`.
VENV ?= .venv
PYTHON ?= python3
BIN = $(VENV)/bin
STAMP = $(VENV)/.installed

.PHONY: run test lint bench setup demo clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

## run: install, migrate the SQLite database under var/, load the demo and serve
run: $(STAMP)
	$(BIN)/gongdan migrate --noinput
	$(BIN)/gongdan demo
	$(BIN)/gongdan serve

demo: $(STAMP)
	$(BIN)/gongdan demo

## test: every test (set DATABASE_URL to run them on PostgreSQL)
test: $(STAMP)
	$(BIN)/pytest -p no:cacheprovider

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: $(STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf var/ .pytest_cache .ruff_cache
