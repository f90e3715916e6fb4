# lead_funnel: `make run` (set up + main job) and `make test` (set up + every test).
# Both are idempotent and need only Python 3.11 + pip.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
export DBT_PROFILES_DIR := $(CURDIR)/profiles
export DO_NOT_TRACK := 1

.PHONY: setup run test lint lint-sql lint-python test-python chromium report build generate docs bench bench-generate clean \
	ci-slim freshness dbt-docs metrics setup-spark setup-postgres test-spark test-postgres

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

## The main job: demo data (generated if absent) -> dbt build -> summary -> HTML report (prints its path).
run: setup
	$(BIN)/lead-funnel run

## Every test: SQL lint, Python lint, then pytest (which builds the dbt project on fixture data).
test: setup lint test-python

lint: lint-sql lint-python

lint-sql: setup
	$(BIN)/sqlfluff lint models snapshots tests/dbt --processes 2

lint-python: setup
	$(BIN)/ruff check lead_funnel tests scripts
	$(BIN)/ruff format --check lead_funnel tests scripts

## Two pytest workers (pytest-xdist), each test module whole on one of them (--dist loadscope): a
## module's fixtures (its dbt builds) are built once; the session build once per worker.
PYTEST_WORKERS ?= 2

test-python: setup chromium
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadscope

## Other engines (docs/engines.md): the same build on a local Spark session / a throwaway local
## PostgreSQL, and its marts compared row by row with DuckDB's (tests/test_engine_equivalence.py).
## Each installs what it needs once (pip extras spark / postgres; a JDK / PostgreSQL from the OS
## packages when missing) and prints its wall time.
SPARK_STAMP := $(VENV)/.spark-stamp
POSTGRES_STAMP := $(VENV)/.postgres-stamp

setup-spark: $(SPARK_STAMP)

$(SPARK_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[dev,spark]"
	touch $(SPARK_STAMP)

setup-postgres: $(POSTGRES_STAMP)

$(POSTGRES_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[dev,postgres]"
	touch $(POSTGRES_STAMP)

test-spark: setup-spark
	@start=$$(date +%s); \
	bash scripts/install_os_packages.sh java default-jdk-headless && \
	TZ=UTC $(BIN)/pytest -m spark tests/test_engine_equivalence.py; status=$$?; \
	echo "make test-spark: $$(( $$(date +%s) - start )) s wall time"; exit $$status

test-postgres: setup-postgres
	@start=$$(date +%s); \
	bash scripts/install_os_packages.sh '/usr/lib/postgresql/*/bin/initdb' postgresql && \
	$(BIN)/pytest -m postgres tests/test_engine_equivalence.py; status=$$?; \
	echo "make test-postgres: $$(( $$(date +%s) - start )) s wall time"; exit $$status

## Debian's Chromium for the report's browser test (tests/test_report.py): installed once, when missing.
chromium:
	bash scripts/install_chromium.sh

## The HTML funnel report of the served warehouse (docs/report.md).
report: setup
	$(BIN)/lead-funnel report

build: setup
	$(BIN)/lead-funnel build

## Slim CI (docs/operations.md): dbt build --select state:modified+ --defer --state warehouse/build/manifest
## into warehouse/ci/lead_funnel_ci.duckdb, every other ref read from warehouse/build/lead_funnel.duckdb.
## No saved manifest yet: the project as it stands is parsed against that build and saved as the baseline.
ci-slim: setup
	$(BIN)/lead-funnel ci-slim

## dbt source freshness of the raw files (vars raw_freshness_warn_after_hours / _error_after_hours).
freshness: setup
	$(BIN)/dbt source freshness --target raw

## dbt docs (catalog of the served file, read-only: works while BI tools hold it open) -> target/index.html.
dbt-docs: setup
	LEAD_FUNNEL_TARGET=bi $(BIN)/dbt docs generate --no-compile

## The semantic layer's example query (docs/semantic_layer.md) on the served file, read-only.
metrics: setup
	$(BIN)/lead-funnel metrics --metrics mqls,ad_spend,cost_per_mql --group-by metric_time__month,channel

generate: setup
	$(BIN)/lead-funnel generate

## Re-render the files generated from lead_funnel/contract.py.
docs: setup
	$(BIN)/lead-funnel contract-docs

## Pipeline benchmark (BENCHMARKS.md): generate, validate, floor, full and incremental build per size.
## make bench BENCH_SIZES="10000 100000"; DuckDB memory_limit 3GB (the target's; LEAD_FUNNEL_MEMORY_LIMIT wins), threads LEAD_FUNNEL_THREADS.
BENCH_SIZES ?= 10000 100000 1000000
BENCH_MEMORY_LIMIT ?= 3GB
bench: setup
	LEAD_FUNNEL_MEMORY_LIMIT=$${LEAD_FUNNEL_MEMORY_LIMIT:-$(BENCH_MEMORY_LIMIT)} $(BIN)/python scripts/bench.py --sizes $(BENCH_SIZES)

bench-generate: setup
	$(BIN)/python scripts/bench_generate.py --sizes 100000 1000000

clean:
	rm -rf target logs warehouse .pytest_cache .ruff_cache
