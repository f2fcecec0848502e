# Two commands for a newcomer:  `make explore`  and  `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: explore test fuzz data lint clean

$(PY): requirements.txt
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -r requirements.txt
	touch $(PY)

data: $(PY)  ## fetch the corpus into data/cache, parse it, build the search index
	$(PY) -m kb fetch
	$(PY) -m kb ingest
	$(PY) -m kb build

explore: data  ## start the explorer on the local corpus
	$(VENV)/bin/streamlit run app.py

lint: $(PY)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

test: lint  ## lint + the whole test suite (real corpus, real model)
	$(PY) -m pytest -q

fuzz: $(PY)  ## loader fuzzing: 2,000 examples per loader and property (marker fuzz)
	HYPOTHESIS_PROFILE=fuzz $(PY) -m pytest -q -m fuzz -n 2 --durations=5

clean:
	rm -rf data .pytest_cache
