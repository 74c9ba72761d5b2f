# The two commands of the README: `make demo` and `make test`.
# Both create .venv when it is missing and install the project pinned by constraints.txt.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt

.PHONY: demo test lint typecheck pytest browser clean lock

$(BIN)/python:
	@bash tools/ensure-venv $(PYTHON) $(VENV)

$(VENV)/.installed: $(BIN)/python pyproject.toml constraints.txt
	$(PIP) -e .
	@touch $@

$(VENV)/.installed-dev: $(BIN)/python pyproject.toml constraints.txt
	$(PIP) -e '.[dev]'
	@touch $@ $(VENV)/.installed

demo: $(VENV)/.installed
	$(BIN)/rai-charts demo

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check rai_charts tests benchmarks
	$(BIN)/ruff format --check rai_charts tests benchmarks

typecheck: $(VENV)/.installed-dev
	$(BIN)/mypy

browser:
	@bash tools/ensure-chromium

pytest: $(VENV)/.installed-dev browser
	$(BIN)/python -m pytest

test: lint typecheck pytest

# Re-pin the development environment from the current pyproject ranges.
lock: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^rai-charts' > constraints.txt

clean:
	rm -rf $(VENV) out .pytest_cache .mypy_cache .ruff_cache
