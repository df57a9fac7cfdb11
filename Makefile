# Two commands do everything (see README): `make run` and `make test`.
# Both create .venv and install the pinned dependencies first, and are safe to run again.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501

.PHONY: run test lint bench lock

$(BIN)/python:
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer is needed"'
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.lock | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	touch $@

run: $(VENV)/.installed
	@echo "Open http://localhost:$(PORT) (demo logins are on the sign-in page)"
	$(BIN)/streamlit run streamlit_app.py --server.port $(PORT)

test: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(BIN)/ruff check .

bench: $(VENV)/.installed
	for script in benchmarks/bench_*.py; do $(BIN)/python $$script || exit 1; done

lock: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -r requirements.in
	( echo "# Pinned from a tested install: make lock regenerates it from requirements.in."; \
	  $(BIN)/python -m pip freeze --exclude-editable ) > requirements.lock
