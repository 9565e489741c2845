# Two commands set up a fresh machine and do the work: `make run` and `make test`.
# Both start with `make setup`, which is idempotent: each step re-runs only when its inputs changed.

VENV      := .venv
PY        := $(VENV)/bin/python
PIP       := $(VENV)/bin/pip
STAMP     := $(VENV)/.promptfence-setup
NODE_STAMP := node_modules/.promptfence-setup
SUDO      := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Debian packages the tests need: the browser for the end-to-end tests.
DEBIAN_PACKAGES := chromium

.PHONY: setup run test bench eval lint clean system-packages

setup: system-packages $(STAMP) $(NODE_STAMP)
	node extension/build.mjs

system-packages:
	@missing=""; for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

$(STAMP): pyproject.toml constraints.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -c constraints.txt -e '.[dev]'
	touch $@

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# The sample paste holds a secret on purpose: exit 3 (block) is the expected outcome, 2 and 4 are failures.
run: setup
	$(VENV)/bin/promptfence scan --site chatgpt.com examples/paste.txt; rc=$$?; [ $$rc -le 1 ] || [ $$rc -eq 3 ]

test: setup
	$(PY) -m pytest -q
	node --test extension/tests/

bench: setup
	$(PY) -m bench
	$(PY) -m bench.native
	$(PY) -m bench.browser

eval: setup
	$(PY) -m eval

clean:
	rm -rf $(VENV) node_modules
