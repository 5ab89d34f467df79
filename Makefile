# The two commands of the README: `make run` and `make test`.
VENV ?= .venv
PYTHON ?= python3
BIN = $(VENV)/bin
STAMP = $(VENV)/.installed
# `make run PORT=8011` serves on another port of 127.0.0.1.
PORT ?= 8000

.PHONY: run test lint bench load bench-report setup demo clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

## setup: create .venv and install the project with its test tools
## run: install, migrate the SQLite database under var/, load the demo and serve
run: $(STAMP)
	$(BIN)/gongdan migrate --noinput
	$(BIN)/gongdan demo
	$(BIN)/gongdan serve --bind 127.0.0.1:$(PORT)

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

## load: 200 people for 2 minutes against gunicorn on PostgreSQL (127.0.0.1)
load: $(STAMP)
	$(BIN)/python -m bench.load 200 120

## bench-report: the assessment over a year of 1,000,000 orders on PostgreSQL
## (127.0.0.1), against hand-written SQL; REPORT_ARGS=--reuse measures again
bench-report: $(STAMP)
	$(BIN)/python -m bench.report $(REPORT_ARGS)

clean:
	rm -rf var/ .pytest_cache .ruff_cache
