# The two quick-start commands: `make sample` and `make test`.
# Both create the virtual environment in .venv on first use.
PYTHON ?= python3
VENV   := .venv
STAMP  := $(VENV)/.installed

.PHONY: sample test bench clean

sample: $(STAMP)  ## build the sample workbook into output/ (site + PDF)
	$(VENV)/bin/mentorbook build

test: $(STAMP)    ## run the whole test suite
	$(VENV)/bin/python -m pytest

bench: $(STAMP)   ## measure mentorbook against its yardsticks; writes bench/results.md
	$(VENV)/bin/python -m pip install --quiet -e '.[test,bench]'
	$(VENV)/bin/python bench/run.py

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --upgrade pip
	$(VENV)/bin/python -m pip install --quiet -e '.[test]'
	touch $@

clean:
	rm -rf $(VENV) build *.egg-info
