# dlresources: `make run` serves the seed lists, `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1:8000
# Run the suite on the embedded SQLite database too (set to 0 to skip it).
TEST_SQLITE ?= 1
PYTEST_ARGS ?=

.PHONY: install install-dev install-browser install-gettext run seed test lint format \
	migrations-check collectstatic compilemessages messages bench bench-import bench-web \
	bench-load bench-relevance quality ci clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/activate requirements.txt
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev install-browser

# Browser tests drive Debian's Chromium (never a downloaded browser build).
install-browser:
	@if [ ! -x /usr/bin/chromium ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
				chromium fonts-noto-cjk >/dev/null; \
		else \
			echo "Browser tests need Debian's chromium: sudo apt-get install chromium fonts-noto-cjk"; \
		fi; \
	fi

# The interface's translations (README, "Languages"): each locale/*/django.po
# compiled to its .mo by Babel, pure Python, so running and testing the site
# need no GNU gettext; `make messages` (which does) regenerates the .po files.
PO_FILES := $(wildcard locale/*/LC_MESSAGES/django.po)
MO_FILES := $(PO_FILES:.po=.mo)

locale/%.mo: locale/%.po $(VENV)/.installed
	$(BIN)/pybabel compile --statistics -i $< -o $@

compilemessages: $(MO_FILES)

# Extracts every marked string (templates: *.html, the *.jinja rows; Python)
# into locale/zh_Hans/LC_MESSAGES/django.po, keeping its translations; then
# translate the new entries (tests/test_i18n.py fails while any is empty).
MAKEMESSAGES := $(MANAGE) makemessages --extension html,txt,py,jinja \
	--add-location file --ignore .venv --ignore var --ignore bench --ignore tests \
	--ignore 'static/*' --no-obsolete

messages: install install-gettext
	$(MAKEMESSAGES) --locale zh_Hans
	$(MAKE) compilemessages

# makemessages needs GNU gettext's xgettext and msgmerge (Debian's gettext).
install-gettext:
	@if ! command -v xgettext >/dev/null; then \
		if [ "$$(id -u)" = 0 ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
				gettext >/dev/null; \
		else \
			echo "make messages needs GNU gettext: sudo apt-get install gettext"; exit 1; \
		fi; \
	fi

run: install compilemessages seed
	DJANGO_DEBUG=1 $(MANAGE) runserver $(HOST)

seed: install
	$(MANAGE) migrate --noinput
	$(MANAGE) import_lists fixtures/lists/

test: install-dev compilemessages
	@set -e; \
	if [ "$(TEST_SQLITE)" = 1 ]; then \
		echo "== tests on SQLite (embedded)"; \
		env -u DATABASE_URL $(BIN)/pytest $(PYTEST_ARGS); \
	fi; \
	case "$$DATABASE_URL" in \
		postgres://*|postgresql://*) \
			echo "== tests on PostgreSQL ($$DATABASE_URL)"; \
			$(BIN)/pytest $(PYTEST_ARGS);; \
	esac

# Blocks radon grades C or worse in catalog/ (migrations excluded) allowed.
MAX_COMPLEX_BLOCKS ?= 10

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	@n=$$($(BIN)/radon cc -n C -s catalog -e "catalog/migrations/*" | grep -c ' - [C-F] ('); \
	echo "radon: $$n blocks graded C or worse in catalog/ (at most $(MAX_COMPLEX_BLOCKS))"; \
	[ "$$n" -le "$(MAX_COMPLEX_BLOCKS)" ] || { $(BIN)/radon cc -n C -s catalog -e "catalog/migrations/*"; exit 1; }

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrations-check: install
	$(MANAGE) makemigrations --check --dry-run

collectstatic: install
	$(MANAGE) collectstatic --noinput -v0

bench: bench-import bench-web bench-load

bench-import: install-dev
	$(PY) bench/bench_import.py

# Field precision on the hand-labelled corpus sample (../shared/expected).
quality: install-dev
	$(PY) bench/quality.py --misses

# A scratch PostgreSQL database: the benchmark replaces the catalog it finds.
BENCH_WEB_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/dlr_benchweb

bench-web: install-dev
	DATABASE_URL=$(BENCH_WEB_DATABASE_URL) $(PY) bench/bench_web.py

# The search's relevance on the corpus catalog (../shared/corpus, imported into
# an empty database) against a BM25 baseline: nDCG@10, MRR, recall@25 per
# language group over bench/relevance/'s judged queries.
BENCH_RELEVANCE_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/dlr_relevance

bench-relevance: install-dev
	DATABASE_URL=$(BENCH_RELEVANCE_DATABASE_URL) $(PY) bench/bench_relevance.py

# 8 clients per page against gunicorn (2 workers) on bench-web's catalog (built
# if missing, else reused), then again while lists are imported (into a copy
# of the catalog, dropped after). The page cache is in this Redis database,
# which the benchmark empties.
BENCH_LOAD_REDIS_URL ?= redis://127.0.0.1:6379/7

bench-load: install-dev
	BENCH_WEB_DATABASE_URL=$(BENCH_WEB_DATABASE_URL) \
		BENCH_LOAD_REDIS_URL=$(BENCH_LOAD_REDIS_URL) $(PY) bench/bench_load.py

ci:
	bash .ci/run

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache test-artifacts $(MO_FILES)
