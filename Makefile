# The two commands of the README: `make demo` and `make test`.
# Both create .venv when it is missing and install the project pinned by constraints.txt.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt

NBVAL := --nbval --nbval-sanitize-with notebooks/nbval_sanitize.cfg

.PHONY: demo lab test lint typecheck pytest browser clean lock

$(BIN)/python:
	@bash tools/ensure-venv $(PYTHON) $(VENV)

$(VENV)/.installed: $(BIN)/python pyproject.toml constraints.txt
	$(PIP) -e '.[demo]'
	@touch $@

$(VENV)/.installed-dev: $(BIN)/python pyproject.toml constraints.txt
	$(PIP) -e '.[dev]'
	@touch $@ $(VENV)/.installed

# The sample analysis as wire JSON, out/demo.html and out/demo.png, then the quick start notebook
# executed headless against its own local API server, written to out/quickstart.html with the
# charts inlined (plotly.js included) so the page works offline.
demo: $(VENV)/.installed browser
	$(BIN)/rai-charts demo --out out
	PLOTLY_RENDERER=plotly_mimetype+notebook $(BIN)/jupyter nbconvert --log-level=WARN \
		--to html --execute notebooks/01-quickstart.ipynb --output-dir out --output quickstart
	@echo
	@echo "Open these in a browser:"
	@echo "  $(CURDIR)/out/quickstart.html  the quick start notebook, executed"
	@echo "  $(CURDIR)/out/demo.html        the sample analysis, interactive"
	@echo "  $(CURDIR)/out/demo.png         the sample analysis as an image"

# JupyterLab on notebooks/ beside a local API server; the notebooks find the server through
# the RAI_* variables.
lab: $(VENV)/.installed-dev
	@bash tools/lab $(BIN)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check rai_charts tests benchmarks
	$(BIN)/ruff format --check rai_charts tests benchmarks

typecheck: $(VENV)/.installed-dev
	$(BIN)/mypy

browser:
	@bash tools/ensure-chromium

pytest: $(VENV)/.installed-dev browser
	$(BIN)/python -m pytest $(NBVAL) tests notebooks

test: lint typecheck pytest

# Re-pin the development environment from the current pyproject ranges.
lock: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^rai-charts' > constraints.txt

clean:
	rm -rf $(VENV) out .pytest_cache .mypy_cache .ruff_cache
