# The two commands a newcomer needs:   make run    and    make test
# Everything else is a step they use, or a tool for developers.

SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV        := .venv
PY          := $(VENV)/bin/python
# The Rasa server's command line with the project's speed-ups switched on (rasa_server/__init__.py):
# every target that runs or tests the assistant goes through it.
RASA        := $(PY) -m rasa_server
REQS        := requirements/base.txt requirements/dev.txt requirements/constraints.txt
INSTALLED   := $(VENV)/.installed-$(shell cat $(REQS) 2>/dev/null | sha256sum | cut -c1-12)

# Embedded defaults: SQLite files under var/, everything on localhost. Override from the environment.
export RASA_TELEMETRY_ENABLED   := false
export TF_CPP_MIN_LOG_LEVEL     ?= 2
export PYTHONHASHSEED           ?= 0
# oneDNN picks TensorFlow's kernels by the CPU's instruction set, so the same model could read a message
# differently on another machine; without it the reading is the same (and no slower here). Training
# adds more (scripts/train_if_changed.py, REPRODUCIBLE_TRAINING).
export TF_ENABLE_ONEDNN_OPTS    ?= 0
export TRACKER_DATABASE_URL     ?= sqlite:///var/tracker.db
export CLINIC_DATABASE_URL      ?= sqlite:///var/clinic.db
export RASA_PORT                ?= 5005
export CORS_ORIGINS             ?= http://localhost:$(RASA_PORT) http://127.0.0.1:$(RASA_PORT)
# Channel secrets (credentials.yml): empty keeps a messaging channel switched off; the web chat
# generates its secret into var/ when WEBCHAT_SECRET is empty. See docs/channels.md.
CHANNEL_VARIABLES := WEBCHAT_SECRET WEBCHAT_SESSIONS_PER_MINUTE \
  TWILIO_ACCOUNT_SID TWILIO_AUTH_TOKEN TWILIO_WEBHOOK_URL TWILIO_API_URL \
  TELEGRAM_TOKEN TELEGRAM_SECRET_TOKEN TELEGRAM_API_URL \
  MESSENGER_VERIFY_TOKEN MESSENGER_APP_SECRET MESSENGER_PAGE_TOKEN MESSENGER_API_URL
$(foreach variable,$(CHANNEL_VARIABLES),$(eval export $(variable) ?=))

.PHONY: help run test shell train pipeline validate lint pytest story-test nlu-test lock clean

help:
	@echo "make run    - install what is needed, train if anything changed, start the assistant on localhost"
	@echo "make test   - install what is needed, then validate data, run pytest, train and run the test stories"
	@echo "make shell  - chat with the assistant in the terminal"

# --- setup -----------------------------------------------------------------------------------------

$(INSTALLED):
	@py=$$(scripts/find-python310.sh) || exit 1; \
	 [ -x $(PY) ] || { echo "creating $(VENV) with $$py"; "$$py" -m venv $(VENV); }
	$(PY) -m pip install --quiet --upgrade "pip<24.1"
	$(PY) -m pip install --quiet -r requirements/dev.txt -c requirements/constraints.txt
	@rm -f $(VENV)/.installed-* && touch $@

venv: $(INSTALLED)

pipeline: $(INSTALLED)
	$(PY) -m spacy_pipeline.build

train: pipeline
	@$(PY) scripts/train_if_changed.py

var:
	@mkdir -p var

# --- running ---------------------------------------------------------------------------------------

run: train var
	@scripts/run.sh

shell: train var
	@scripts/run.sh --shell

# --- checks ----------------------------------------------------------------------------------------

validate: pipeline
	$(PY) -m spacy_pipeline.build --check
	$(RASA) data validate --fail-on-warnings

# The code's own checks, before anything is trained: ruff formats and lints (pyproject.toml), mypy checks
# the types of the clinic core and the conversation layer.
lint: $(INSTALLED)
	$(PY) -m ruff format --check --quiet .
	$(PY) -m ruff check --quiet .
	$(PY) -m mypy

# Database tests run against SQLite and a real PostgreSQL (a throwaway cluster on loopback, installed
# from Debian's packages if missing). Channel and browser tests talk to a trained model, so train first.
# The production topology's live tests (marked `live`) belong to `make prod-test`, not here.
pytest: train var
	@url=$$(scripts/ensure-postgres.sh) || { echo "PostgreSQL for the tests could not be started" >&2; exit 1; }; \
	 TEST_POSTGRES_URL="$$url" $(PY) -m pytest -q -m "not live"

# --e2e makes Rasa run the NLU model on the stories' texts, so intents and entities are tested too.
story-test: train
	$(RASA) test core --e2e --stories tests/stories --fail-on-prediction-errors --out results/core \
	  --model $$($(PY) scripts/train_if_changed.py 2>/dev/null)

test: validate lint train pytest story-test
	@echo "make test: all checks passed"

# --- maintenance -----------------------------------------------------------------------------------

lock: $(INSTALLED)
	@{ sed -n '1,3p' requirements/constraints.txt; $(PY) -m pip freeze | grep -v '^-e'; } > requirements/constraints.tmp
	@mv requirements/constraints.tmp requirements/constraints.txt && echo "requirements/constraints.txt updated"

clean:
	rm -rf models/*.tar.gz spacy_pipeline/build results .rasa

# === quality and speed (issue 8; README "Quality and speed") ==============================================
# make eval:   held-out intents and entities, NLU cross-validation (EVAL_FOLDS, default 3; 0 skips it)
#              and the test stories, our pipeline beside the stock one -> results/eval/report.md
# make bench:  message latency, peak memory, training and start-up time, as ratios to the Rasa starter
#              bot trained and served in the same run (loopback only) -> results/bench/report.md
# make profile: each NLU and policy component's time per message (no servers)
# Both are heavy on a small machine (they train models); results/ is not committed.
.PHONY: eval bench profile
EVAL_ARGS  ?=
BENCH_ARGS ?=

eval: train
	$(PY) -m evaluation.evaluate --model $$($(PY) scripts/train_if_changed.py 2>/dev/null) $(EVAL_ARGS)

bench: venv
	$(PY) -m evaluation.bench $(BENCH_ARGS)

# Each NLU and policy component's time per message, in-process (where an answer's time goes).
profile: train
	$(PY) -m evaluation.profile_pipeline --model $$($(PY) scripts/train_if_changed.py 2>/dev/null)

# === production topology (issue 7; README "Deploying") ==============================================
# make prod-up:    PostgreSQL, Redis, 2 Rasa servers, 2 action servers, the worker and nginx on this
#                  machine (loopback only; Debian packages installed if missing; settings: .env.example)
# make prod-down:  stop them (data, secrets and logs stay in var/prod)
# make prod-test:  prod-up, the load, fault, concurrency and data-protection tests (tests/production)
#                  against it, then prod-down. Heavy: about 30 min here (README "Deploying").
.PHONY: prod-up prod-down prod-test
# The top of this file gives CORS_ORIGINS a default for `make run`; the production topology has its own.
PROD_ENV       := env $(if $(filter file,$(origin CORS_ORIGINS)),-u CORS_ORIGINS)
PROD_TEST_ARGS ?=

prod-up: train var
	@$(PROD_ENV) scripts/prod-up.sh

prod-down:
	@scripts/prod-down.sh

# The tests run on whatever else the machine is doing (under nice): on a busy 2-core machine 200
# visitors at once queue for the CPU for minutes, so the test topology waits longer than production
# (.env.example) before calling a message failed.
prod-test: export RASA_TIMEOUT_SECONDS ?= 300
prod-test: export SANIC_RESPONSE_TIMEOUT ?= 290
prod-test: prod-up
	@status=0; $(PROD_ENV) PROD_TEST=1 $(PY) -m pytest tests/production -q -p no:cacheprovider $(PROD_TEST_ARGS) || status=$$?; \
	 scripts/prod-down.sh; exit $$status
