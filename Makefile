# The two quick-start commands: `make sample` and `make test`.
# Both create the virtual environment in .venv on first use.
PYTHON ?= python3
VENV   := .venv
STAMP  := $(VENV)/.installed
BENCH_STAMP := $(VENV)/.bench-installed

CHROMIUM := /usr/bin/chromium

.PHONY: sample test bench clean system-tools pdfjs reference preview commands

sample: $(STAMP)  ## build the sample workbook into output/ (site + PDF)
	$(VENV)/bin/mentorbook build

reference: $(STAMP)  ## regenerate docs/worksheets-reference.md from the field-type registry
	$(VENV)/bin/python -m mentorbook.program.reference

commands: $(STAMP)  ## regenerate the usage lines and option tables of docs/commands.md from the commands' --help
	$(VENV)/bin/python tools/command_reference.py

preview: $(STAMP) system-tools  ## redraw the README's picture (content/examples/preview/pdf-pages.png) from the sample's PDF
	$(VENV)/bin/python tools/preview.py

test:  ## lint, then run the whole test suite (installs what the browser and PDF tests drive); prints its wall time
	@start=$$(date +%s); \
	$(MAKE) --no-print-directory -j3 $(STAMP) system-tools pdfjs && $(VENV)/bin/ruff check . \
	  && $(VENV)/bin/python -m pytest; code=$$?; \
	echo "make test: $$(( $$(date +%s) - start )) s of wall time"; exit $$code

# What the tests drive, from Debian's packages (never a downloaded build): Chromium for the
# browser tests, Poppler (pdftoppm, pdftotext, pdffonts) and qpdf for the PDF tests. One
# apt-get for all that are missing, while pip and npm install the rest beside it (make -j).
SYSTEM_TOOLS := $(CHROMIUM):chromium /usr/bin/pdftoppm:poppler-utils /usr/bin/pdftotext:poppler-utils \
                /usr/bin/pdffonts:poppler-utils /usr/bin/qpdf:qpdf
system-tools:
	@missing=$$(for tool in $(SYSTEM_TOOLS); do [ -x "$${tool%%:*}" ] || echo "$${tool#*:}"; done | sort -u | tr '\n' ' '); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; elif command -v sudo >/dev/null 2>&1; then SUDO=sudo; \
	  else echo "The tests need: $$missing; run 'apt-get install $$missing' as root." >&2; exit 1; fi; \
	  echo "Installing $$missing for the browser and PDF tests..."; \
	  $$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  for tool in $(SYSTEM_TOOLS); do [ -x "$${tool%%:*}" ] || { echo "Installing did not provide $${tool%%:*}." >&2; exit 1; }; done; \
	fi

pdfjs: tests/js/node_modules/.installed  ## pdf.js from npm, the PDF reader the form tests fill in (never a CDN)

tests/js/node_modules/.installed: tests/js/package.json tests/js/package-lock.json
	cd tests/js && npm ci --no-audit --no-fund --silent
	touch $@

bench: $(BENCH_STAMP)   ## measure mentorbook against its yardsticks; writes bench/results.md (BENCH_ARGS="--scale 0.1" for a quick one)
	$(VENV)/bin/python bench/run.py $(BENCH_ARGS)

$(BENCH_STAMP): $(STAMP)   # MkDocs, the bench-only yardstick, and Dask for the cluster figures
	$(VENV)/bin/uv pip install --quiet --python $(VENV)/bin/python --compile-bytecode -e '.[test,bench,cluster]' \
	  || $(VENV)/bin/python -m pip install --quiet -e '.[test,bench,cluster]'
	touch $@

# The environment starts without the pip that `venv` bundles (an old one, slow to install and to
# resolve with): this Python's pip puts a current one in, or else the bundled one updates itself.
# pip then installs uv, which installs mentorbook and the test tools in a third of pip's time
# (side by side, and compiling them on every core); should uv not install or not work, pip does it.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv --without-pip $(VENV) && $(PYTHON) -m pip --python $(VENV)/bin/python install --quiet --upgrade pip \
	  || { $(PYTHON) -m venv --clear $(VENV) && $(VENV)/bin/python -m pip install --quiet --upgrade pip; }
	-$(VENV)/bin/python -m pip install --quiet uv
	$(VENV)/bin/uv pip install --quiet --python $(VENV)/bin/python --compile-bytecode -e '.[test]' \
	  || $(VENV)/bin/python -m pip install --quiet -e '.[test]'
	$(VENV)/bin/python -m compileall -q generator  # an editable install is not precompiled; start from bytecode
	touch $@

clean:
	rm -rf $(VENV) build *.egg-info tests/js/node_modules
