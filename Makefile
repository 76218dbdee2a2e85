# `make run` and `make test` set everything up on a fresh machine (Python >= 3.11 needed).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
READY := $(VENV)/.installed

# The window's translations: one catalog per language, extracted from the code by lupdate.
TRANSLATIONS := $(wildcard resources/i18n/alemmonitor_*.ts)

.PHONY: run demo test lint bench translations clean

$(READY): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "AlemMonitor needs Python 3.11 or newer; set PYTHON=python3.11")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(READY)

run: $(READY)
	$(BIN)/alemmonitor

demo: $(READY)
	$(BIN)/alemmonitor --demo

test: $(READY) lint
	$(BIN)/pytest

lint: $(READY)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

bench: $(READY)
	$(BIN)/python bench/store.py
	$(BIN)/python bench/devices.py
	$(BIN)/python bench/alarms.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python bench/ui.py
	$(BIN)/python bench/report.py

translations: $(READY)
	$(BIN)/pyside6-lupdate -extensions py -source-language en -no-obsolete -locations none \
		alemmonitor ui -ts $(TRANSLATIONS)
	$(BIN)/pyside6-lrelease $(TRANSLATIONS)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis *.egg-info
