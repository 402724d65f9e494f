# The README's two commands: `make book` builds the book, `make test` runs every test.
# Each sets itself up on a fresh machine (Python venv from the lock file, npm packages,
# and for the tests Debian's chromium).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.8

.PHONY: book pdf test lint bench lab setup browser fonts data-hashes lock clean

# The build graph: src/scs_book/build/graph.py (notebooks executed when their inputs changed,
# cores + 1 at a time, then Jupyter Book).
book: setup fonts
	$(BIN)/python -m scs_book.build
	@if command -v chromium >/dev/null; then \
		$(BIN)/python -m scs_book.build.pdf; \
	else echo "pdf: skipped (no chromium here; \`make pdf\` installs it and prints the PDFs)"; fi

# The PDF of every page and of the whole book (_build/html/pdf/), printed by Debian's chromium.
pdf: setup browser
	$(BIN)/python -m scs_book.build.pdf

test: setup browser fonts lint
	$(BIN)/python -m pytest

# ruff's lint and format checks (config in pyproject.toml; .pre-commit-config.yaml runs the same).
lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# The build's performance beside its baselines (README, "Performance"); about 10 minutes.
bench: setup browser
	$(BIN)/python benchmarks/bench_build.py --repeat 5 --clone

# JupyterLab on the chapters, from the same lock as the book and Binder (README, "How to run the
# notebooks"). It fetches nothing from other hosts: no news feed, no update check, no PyPI
# extension manager (tests/test_jupyterlab.py starts JupyterLab with these same options).
LAB_OPTIONS := --LabApp.news_url=None \
	--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate \
	--LabApp.extension_manager=readonly
lab: setup
	$(BIN)/jupyter lab $(LAB_OPTIONS) $(if $(filter 0,$(shell id -u)),--allow-root) \
		--ServerApp.root_dir=. --LabApp.default_url=/lab/tree/notebooks/01_general_framework.ipynb

setup: $(VENV)/.installed node_modules/.package-lock.json

$(BIN)/uv:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

# --compile-bytecode: every build starts a dozen Python processes (kernels, Jupyter Book);
# compiled once here, their imports need no compiling even where PYTHONDONTWRITEBYTECODE is set.
$(VENV)/.installed: requirements.lock pyproject.toml | $(BIN)/uv
	$(BIN)/uv pip install --quiet --python $(BIN)/python --require-hashes --compile-bytecode \
		-r requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	touch $@

node_modules/.package-lock.json: package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund

# Debian's chromium for the browser checks and the PDFs (Playwright's own browser download cannot
# work here), and poppler-utils (the PDF tests read the PDFs with pdftotext and pdftoppm).
browser:
	@command -v chromium >/dev/null && command -v pdftotext >/dev/null || \
		{ apt-get update -qq && apt-get install -y -qq chromium poppler-utils; }

# Debian's Noto Sans CJK, from which the build cuts the book's Chinese font (src/scs_book/sphinx/cjk.py).
CJK_FONT := /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc
fonts:
	@test -f $(CJK_FONT) || { apt-get update -qq && apt-get install -y -qq fonts-noto-cjk; }

# After an intended change to a file in data/: record its new sha256 in data/datapackage.json.
data-hashes: setup
	$(BIN)/python -c "from scs_book.datapackage import update_hashes; print(update_hashes() or 'no change')"

# After changing a pin in pyproject.toml: regenerate the lock file.
lock: $(BIN)/uv
	$(BIN)/uv pip compile pyproject.toml --all-extras --generate-hashes --python-version 3.11 -o requirements.lock

clean:
	rm -rf _build
