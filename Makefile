# Two commands do everything: `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STORE  ?= .marketgraph/store
HOST   ?= 127.0.0.1
PORT   ?= 8000
PYTEST_ARGS ?=

.PHONY: install run build serve test lint format bench clean

# The stamp makes the install step a no-op until pyproject.toml changes.
$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

# YASGUI (the SPARQL query page) comes from the npm registry at install time
# and is served by marketgraph itself; without npm the page is a plain form.
YASGUI_VERSION ?= 4.6.2
YASGUI := api/static/yasgui/yasgui.min.js
$(YASGUI):
	@mkdir -p $(@D)
	@tmp=$$(mktemp -d) && \
	  if (cd $$tmp && npm pack --silent @zazuko/yasgui@$(YASGUI_VERSION) >/dev/null 2>&1) && \
	     tar xzf $$tmp/*.tgz -C $$tmp package/build/yasgui.min.js package/build/yasgui.min.css; then \
	    cp $$tmp/package/build/yasgui.min.* $(@D)/; \
	  else echo "npm could not fetch YASGUI: the SPARQL query page falls back to a plain form"; fi; \
	  rm -rf $$tmp

install: $(VENV)/.installed $(YASGUI)

build: install
	$(BIN)/marketgraph build examples/reports --store $(STORE)

run: build
	$(BIN)/marketgraph serve --store $(STORE) --host $(HOST) --port $(PORT)

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install
	$(BIN)/python bench/build_throughput.py --out bench/results/build_throughput.json

clean:
	rm -rf $(VENV) .marketgraph .pytest_cache
