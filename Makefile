# Two commands on a fresh machine: `make demo` and `make test`.
# Both bootstrap .venv with pip from python3 and install the package first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
OUT    ?= reports/colossus

.PHONY: install demo test lint typecheck pytest bench bench-scale bench-sweep bench-site bench-flicker bench-timedomain clean

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	$(BIN)/python -m gridimpact.dynamics.timedomain.engine  # ANDES code generation, once (~1 min)
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/gridimpact compare cases/colossus_100k.toml cases/colossus_1m.toml --out $(OUT)

lint: $(STAMP)
	$(BIN)/ruff check gridimpact tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy gridimpact

pytest: $(STAMP)
	MPLBACKEND=Agg $(BIN)/pytest -q

test: lint typecheck pytest

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_solvers.py

bench-scale: $(STAMP)
	$(BIN)/python benchmarks/bench_network_scale.py

bench-sweep: $(STAMP)
	$(BIN)/python benchmarks/bench_sweep.py

bench-site: $(STAMP)
	$(BIN)/python benchmarks/bench_site.py

bench-flicker: $(STAMP)
	$(BIN)/python benchmarks/bench_flicker.py

bench-timedomain: $(STAMP)
	$(BIN)/python benchmarks/bench_timedomain.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache
