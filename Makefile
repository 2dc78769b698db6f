# The two commands: `make run` (set up everything, seed the demo zone, serve) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP_FLAGS := --quiet --disable-pip-version-check

.PHONY: run test lint format messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install $(PIP_FLAGS) --upgrade pip

$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/pip install $(PIP_FLAGS) -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install $(PIP_FLAGS) -e ".[test]"
	touch $@ $(VENV)/.installed-run

run: $(VENV)/.installed-run
	$(BIN)/ftzsafety demo

test: $(VENV)/.installed-test
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	FTZSAFETY_DATABASE_URL= $(BIN)/pytest
	@if [ -n "$$FTZSAFETY_TEST_DATABASE_URL" ]; then \
		echo "== the suite again on $$FTZSAFETY_TEST_DATABASE_URL"; \
		FTZSAFETY_DATABASE_URL="$$FTZSAFETY_TEST_DATABASE_URL" $(BIN)/pytest; \
	fi

lint: $(VENV)/.installed-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Rebuild the translation catalogues after changing user-facing strings (needs GNU gettext).
messages: $(VENV)/.installed-run
	cd ftzsafety && ../$(BIN)/django-admin makemessages -l zh_Hans -l en --no-obsolete --no-location \
		--ignore 'static/vendor/*' --settings ftzsafety.settings
	cd ftzsafety && ../$(BIN)/django-admin compilemessages --settings ftzsafety.settings

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
