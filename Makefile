# The two quick-start commands: `make sample` and `make test`.
# Both create the virtual environment in .venv on first use.
PYTHON ?= python3
VENV   := .venv
STAMP  := $(VENV)/.installed
BENCH_STAMP := $(VENV)/.bench-installed

CHROMIUM := /usr/bin/chromium

.PHONY: sample test bench clean chromium pdftools pdfjs reference

sample: $(STAMP)  ## build the sample workbook into output/ (site + PDF)
	$(VENV)/bin/mentorbook build

reference: $(STAMP)  ## regenerate docs/worksheets-reference.md from the field-type registry
	$(VENV)/bin/python -m mentorbook.program.reference

test: $(STAMP) chromium pdftools pdfjs  ## run the whole test suite (installs what the browser and PDF tests drive)
	$(VENV)/bin/python -m pytest

chromium:         ## Debian's Chromium, which the browser tests drive (never a downloaded build)
	@if [ ! -x $(CHROMIUM) ]; then \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; elif command -v sudo >/dev/null 2>&1; then SUDO=sudo; \
	  else echo "The browser tests need Chromium: run 'apt-get install chromium' as root." >&2; exit 1; fi; \
	  echo "Installing Chromium for the browser tests..."; \
	  $$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  [ -x $(CHROMIUM) ] || { echo "Installing Chromium did not provide $(CHROMIUM)." >&2; exit 1; }; \
	fi

pdftools:         ## Poppler (pdftoppm, pdftotext, pdffonts) and qpdf: the PDF tests render and flatten with them
	@if ! command -v pdftoppm >/dev/null 2>&1 || ! command -v qpdf >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; elif command -v sudo >/dev/null 2>&1; then SUDO=sudo; \
	  else echo "The PDF tests need Poppler and qpdf: run 'apt-get install poppler-utils qpdf' as root." >&2; exit 1; fi; \
	  echo "Installing Poppler and qpdf for the PDF tests..."; \
	  $$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils qpdf >/dev/null; \
	fi

pdfjs: tests/js/node_modules/.installed  ## pdf.js from npm, the PDF reader the form tests fill in (never a CDN)

tests/js/node_modules/.installed: tests/js/package.json tests/js/package-lock.json
	cd tests/js && npm ci --no-audit --no-fund --silent
	touch $@

bench: $(BENCH_STAMP)   ## measure mentorbook against its yardsticks; writes bench/results.md (BENCH_ARGS="--scale 0.1" for a quick one)
	$(VENV)/bin/python bench/run.py $(BENCH_ARGS)

$(BENCH_STAMP): $(STAMP)   # MkDocs, the bench-only yardstick, and Dask for the cluster figures
	$(VENV)/bin/python -m pip install --quiet -e '.[test,bench,cluster]'
	touch $@

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --upgrade pip
	$(VENV)/bin/python -m pip install --quiet -e '.[test]'
	$(VENV)/bin/python -m compileall -q generator  # an editable install is not precompiled; start from bytecode
	touch $@

clean:
	rm -rf $(VENV) build *.egg-info tests/js/node_modules
