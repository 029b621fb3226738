# Two commands on a fresh machine:
#   make run   - set up .venv, run the 2027-vs-2030 comparison into results/, serve the dashboard
#   make test  - set up .venv and run the whole test suite (what .ci/run calls)
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8501

.PHONY: install results run dashboard test bench clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	$(BIN)/python -m pip check
	touch $(STAMP)

install: $(STAMP)

results: install
	$(BIN)/iss-deorbit run scenarios/nasa-2030.yaml scenarios/musk-2027.yaml --out results

run: results dashboard

dashboard: install
	$(BIN)/streamlit run dashboards/app.py --server.headless true \
	  --server.address 127.0.0.1 --server.port $(PORT) --browser.gatherUsageStats false

test: install
	$(BIN)/python -m pytest

bench: install
	$(BIN)/iss-deorbit bench

clean:
	rm -rf $(VENV) results report
