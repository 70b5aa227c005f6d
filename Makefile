# Hotline — the two commands a newcomer needs: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: demo test lint typecheck imports unit bench bench-webrtc clean system-deps vendor

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

## demo: install into .venv and run the example 95598 hotline live at http://127.0.0.1:8000
##       (another port: make demo PORT=8101)
demo: $(STAMP) vendor
	$(BIN)/hotline demo $(if $(PORT),--port $(PORT))

## test: install into .venv, then lint, type-check, check layering and run every test
test: lint typecheck imports unit

## system-deps: Debian's PostgreSQL, Chromium, CJK fonts, Kamailio, rtpengine … for the tests (apt-get, once)
system-deps:
	./scripts/system-deps.sh

## vendor: Apache ECharts and JsSIP from the npm registry into the console's static files (once)
vendor:
	./scripts/vendor-js.sh || echo "make: charts or the browser softphone unavailable (no npm); the console works without them"

lint: $(STAMP)
	$(BIN)/ruff check --no-cache src tests benchmarks
	$(BIN)/ruff format --check --no-cache src tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy

imports: $(STAMP)
	$(BIN)/lint-imports

unit: $(STAMP) system-deps vendor
	$(BIN)/pytest -n 2 --timeout 900

## bench: the speed benchmarks (results go to docs/performance.md by hand)
bench: $(STAMP)
	$(BIN)/python benchmarks/routing_latency.py
	$(BIN)/python benchmarks/busiest_day.py

## bench-webrtc: 100 WebRTC agents taking calls on one node (installs the optional `.[bench]`:
##       aiortc; rtpengine and Kamailio's websocket module from system-deps; about 4 minutes)
bench-webrtc: $(STAMP)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev,bench]'
	$(BIN)/python benchmarks/webrtc_load.py $(if $(AGENTS),--agents $(AGENTS)) $(if $(CALLS),--calls $(CALLS))

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis src/hotline/web/static/vendor/echarts.min.js src/hotline/web/static/vendor/jssip.js
