# soleus — the two commands the README leads with:
#   make run    set everything up and start the web app (make run PORT=8765: another port)
#   make test   set everything up and run the whole test suite
PYTHON ?= python3
PORT ?= 8000
VENV := .venv
STAMP := $(VENV)/.installed

.PHONY: run test setup setup-test session install bench lint clean

run: setup
	$(VENV)/bin/soleus serve --open --port $(PORT)

session: setup
	$(VENV)/bin/soleus session

# `soleus` on the PATH: a link in ~/.local/bin to this checkout's command.
install: setup
	mkdir -p $(HOME)/.local/bin
	ln -sf $(abspath $(VENV))/bin/soleus $(HOME)/.local/bin/soleus
	@echo "linked $(HOME)/.local/bin/soleus; if the shell does not find it, add ~/.local/bin to PATH"

test: setup-test
	scripts/test.sh

setup: $(STAMP)

$(STAMP): pyproject.toml
	scripts/system-deps.sh run
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -e ".[dev]"
	$(VENV)/bin/python -m soleus.signal.warmup
	touch $(STAMP)

setup-test: setup $(VENV)/.installed-test
	scripts/system-deps.sh test
	@if [ -f package-lock.json ]; then npm ci --silent --no-audit --no-fund; fi

$(VENV)/.installed-test: pyproject.toml
	$(VENV)/bin/pip install -q -e ".[dev,video]"
	touch $@

bench: setup
	for b in bench/bench_*.py; do echo "== $$b"; $(VENV)/bin/python $$b || exit 1; done

lint: setup
	$(VENV)/bin/ruff check src tests bench && $(VENV)/bin/mypy

clean:
	rm -rf $(VENV) node_modules .pytest_cache .mypy_cache .ruff_cache test-output
