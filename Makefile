# queuehall — the two commands: `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PG_VERSION ?= 15
export QUEUEHALL_TEST_PG_URL ?= postgresql+psycopg://queuehall:queuehall@127.0.0.1:5432/queuehall_test

.PHONY: run test install test-deps pg-up bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

## make run: venv, install, migrate, seed the demo hall and accounts, serve on 127.0.0.1:8000
run: install
	$(BIN)/queuehall demo
	@echo "queuehall demo hall on http://127.0.0.1:8000 (credentials above, also in data/demo-credentials.txt)"
	$(BIN)/queuehall serve --host 127.0.0.1 --port 8000

## make test: everything the tests need (Debian packages too), then the whole suite
test: install test-deps pg-up
	$(BIN)/pytest

test-deps:
	@missing=""; \
	for pkg in postgresql redis-server haproxy chromium fonts-noto-cjk espeak-ng; do \
	  dpkg -s $$pkg >/dev/null 2>&1 || missing="$$missing $$pkg"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

## pg-up: start the local PostgreSQL on 127.0.0.1 and create the test role and database
pg-up:
	@pg_lsclusters -h | grep -q "^$(PG_VERSION) *main .*online" || pg_ctlcluster $(PG_VERSION) main start
	@su postgres -c "psql -qtAc \"SELECT 1 FROM pg_roles WHERE rolname='queuehall'\"" | grep -q 1 || \
	  su postgres -c "psql -qc \"CREATE ROLE queuehall LOGIN PASSWORD 'queuehall' CREATEDB\""
	@su postgres -c "psql -qtAc \"SELECT 1 FROM pg_database WHERE datname='queuehall_test'\"" | grep -q 1 || \
	  su postgres -c "createdb -O queuehall queuehall_test"

bench: install test-deps pg-up
	$(BIN)/python bench/bench_api.py
	$(BIN)/python bench/bench_screens.py
	$(BIN)/python bench/bench_printers.py
	$(BIN)/python bench/bench_failover.py
	$(BIN)/python bench/bench_scale_out.py
	$(BIN)/python bench/bench_policy.py
	$(BIN)/python bench/bench_forecast.py
	$(BIN)/python bench/bench_voice.py

clean:
	rm -rf $(VENV) data .pytest_cache
