# Two commands on a fresh machine:
#   make run   - set up .venv, run the 2027-vs-2030 comparison into results/, serve the dashboard
#   make test  - set up .venv and run the whole test suite (what .ci/run calls)
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8501

.PHONY: install results run dashboard dashboard-speed test browser bench clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	$(BIN)/python -m pip check
	touch $(STAMP)

# numba compiles each kernel on first use (about a minute for all): do it once here, and again
# whenever the code changes, so that no run or test pays it
WARM := $(VENV)/.warm
$(WARM): $(STAMP) $(shell find sim -name '*.py' -not -path '*/__pycache__/*')
	$(BIN)/iss-deorbit warm
	touch $(WARM)

install: $(WARM)

# the timelines argued about: NASA's 2030 plan, the 2027 proposal, and the 2026 variants
TIMELINES := nasa-2030 musk-2027 nasa-published-sequence roscosmos-2028-start senate-2032 \
  decision-2026-12 russia-exit-2028
results: install
	$(BIN)/iss-deorbit run $(TIMELINES:%=scenarios/%.yaml) --out results

run: results dashboard

# precompute: the opening view's runs and ensembles go to the user cache once (keyed by the
# scenarios and the code), so the dashboard's first visitor does not wait for them.
dashboard: install
	$(BIN)/python -m sim.interfaces.dashboard.precompute
	OPENBLAS_NUM_THREADS=1 $(BIN)/streamlit run dashboards/app.py --server.headless true \
	  --server.address 127.0.0.1 --server.port $(PORT) --browser.gatherUsageStats false

test: install browser
	$(BIN)/python -m pytest

# The dashboard's browser test drives Debian's Chromium (no browser download): install it when
# this machine lets us (root, or password-less sudo, with apt-get); otherwise say loudly that
# the browser test will be skipped.
APT_CHROMIUM = apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
browser:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ] && { $(APT_CHROMIUM); }; then \
	  echo "installed Debian's chromium for the browser test"; \
	elif command -v apt-get >/dev/null 2>&1 && sudo -n true 2>/dev/null && \
	  sudo sh -c '$(APT_CHROMIUM)'; then \
	  echo "installed Debian's chromium for the browser test"; \
	else \
	  echo "######################################################################"; \
	  echo "# WARNING: Debian's chromium is not installed and could not be: the  #"; \
	  echo "# dashboard's browser test (tests/dashboard/test_browser.py) will be #"; \
	  echo "# SKIPPED. Install it with: sudo apt-get install chromium            #"; \
	  echo "######################################################################"; \
	fi

# The dashboard's speed in Debian's Chromium on a warm server (medians of 5 fresh visits against
# the targets), e.g. make dashboard-speed SPEED_ARGS="--phone --json build/speed.json"
SPEED_ARGS ?=
dashboard-speed: install browser
	$(BIN)/python -m dashboards.speed $(SPEED_ARGS)

bench: install
	$(BIN)/iss-deorbit bench

clean:
	rm -rf $(VENV) results report
