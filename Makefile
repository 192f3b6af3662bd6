# Two entry points from a fresh clone: `make chat` and `make test`. Each creates .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Chatting needs only the runtime dependencies; the tests, linters and browser tests add the `dev` extra.
RUN_STAMP := $(VENV)/.installed-run
STAMP := $(VENV)/.installed-dev

.PHONY: chat test lint bench eval kb image

$(VENV)/bin/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "faqbot needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(RUN_STAMP): pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $(RUN_STAMP)

# The tests and benchmarks import the design card's adapters/ folder as `adapters`, which the package installs only
# as `faqbot_adapters`; so the dev venv also gets this checkout on its path (faqbot-checkout.pth).
$(STAMP): pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -c 'import os, sysconfig; open(os.path.join(sysconfig.get_path("purelib"), "faqbot-checkout.pth"), "w").write(os.getcwd() + "\n")'
	@touch $(STAMP) $(RUN_STAMP)

chat: $(RUN_STAMP)
	$(BIN)/faqbot chat

test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check faqbot adapters tests bench
	$(BIN)/mypy

# Every case file but the blind ones (*_blind.jsonl), which are run only for reported runs.
eval: $(STAMP)
	$(BIN)/faqbot eval eval/dev.jsonl
	$(BIN)/faqbot eval eval/check.jsonl
	$(BIN)/faqbot eval eval/holdout.jsonl
	$(BIN)/faqbot eval eval/blind2.jsonl
	$(BIN)/faqbot eval eval/blind3.jsonl
	$(BIN)/faqbot eval eval/real.jsonl
	$(BIN)/faqbot eval eval/real3.jsonl
	$(BIN)/faqbot eval eval/real5.jsonl
	$(BIN)/faqbot eval eval/safety.jsonl
	$(BIN)/faqbot eval eval/safety2.jsonl
	$(BIN)/faqbot eval eval/safety3.jsonl
	$(BIN)/faqbot eval eval/safety5.jsonl
	$(BIN)/faqbot eval eval/safety6.jsonl

bench: $(STAMP)
	$(BIN)/python bench/engine_bench.py

kb: $(STAMP)
	$(BIN)/faqbot kb

# The container image of `faqbot serve` (Dockerfile). IMAGE_BASE can name another Debian-like image with Python 3.11+,
# e.g. one built locally where Docker Hub can't be reached (README.md, "Deploying").
IMAGE ?= faqbot:latest
IMAGE_BASE ?= python:3.11-slim
image:
	docker build --build-arg BASE=$(IMAGE_BASE) -t $(IMAGE) .
