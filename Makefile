# Two commands for a fresh machine (Python 3.11+ and make): `make lab` and `make test`.
# `make lab` (and `make app`) create .venv from requirements.txt, the learner's runtime, on first use;
# `make test`, `make bench` and `make venv` add the pinned test and benchmark tools of requirements-dev.txt.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
READY := $(VENV)/.ready
DEV_READY := $(VENV)/.dev-ready
# The offline site's build tools live in a venv of their own: jupyterlite-pyodide-kernel installs a JupyterLab
# extension that would load into make lab's JupyterLab and Voila and fail there ("@jupyterlite/server").
LITE_VENV ?= $(VENV)-lite
LITE_READY := $(LITE_VENV)/.ready
# `make lite STUDENT=1` (and lite-serve): the student build, without the worked solutions, in its own folder.
STUDENT_FLAG := $(if $(filter 1,$(STUDENT)),--student)
LITE_OUT := build/lite$(if $(STUDENT_FLAG),-student)
LITE_SITE := $(LITE_OUT)/lite-manifest.json
LITE_PORT ?= 8000
# What the offline site is built from: a change to any of them rebuilds it.
LITE_INPUTS = $(shell find lite helpers notebooks tests/reference -type f -not -path '*/__pycache__/*' -not -name 'progress-*.csv' \
	-not -path '*/.ipynb_checkpoints/*' 2>/dev/null) pyproject.toml requirements-lite.txt
NOTEBOOKS = $(sort $(wildcard notebooks/*.ipynb notebooks/solutions/*.ipynb notebooks/app/*.ipynb \
	notebooks/zh/*.ipynb notebooks/zh/solutions/*.ipynb notebooks/zh/app/*.ipynb))
PORT ?= 8888
# Jupyter refuses to run as root unless told; containers and CI machines often are root.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root)

.PHONY: help venv lab test lint unit nbval portability browser binder setup-test execute times bench app font lite \
	lite-serve lite-test site site-serve site-test site-bench explorer-apps clean

help:
	@echo "make lab      open the notebooks in JupyterLab (http://127.0.0.1:$(PORT), token printed below)"
	@echo "make test     run every test: ruff, unit tests, nbval on every notebook, browser and Binder tests"
	@echo "make execute  re-run every notebook from a fresh kernel and save its outputs in place"
	@echo "make times    write the time model's minutes (tools/time_model.py) into titles, maps, READMEs, guides"
	@echo "make bench    measure slider latency, suite time, speed against PyTorch -> benchmarks/results.json"
	@echo "make app      serve the slider explorers of notebooks 04-08 as a clean page (Voila); LANG=zh: in Chinese"
	@echo "make font     regenerate the Chinese font subset helpers/classroom/fonts/ (needs fonts-noto-cjk)"
	@echo "make lite     build the offline site (JupyterLite, Python in the browser) into build/lite/"
	@echo "              STUDENT=1: the student build, without the worked solutions, into build/lite-student/"
	@echo "make lite-serve  serve build/lite/ on http://127.0.0.1:$(LITE_PORT) (python -m http.server); STUDENT=1 too"
	@echo "make lite-test   build both offline sites and test them in Chromium (part of make test)"
	@echo "make setup-test  replay README.md's set-up without make in a fresh copy (part of make test)"
	@echo "make site     build the static site (book en+zh, the lab, the classroom) into build/site/; STUDENT=1: no solutions"
	@echo "make site-serve  serve build/site/ on http://127.0.0.1:$(SITE_PORT)"
	@echo "make site-bench  time the built site: book pages to text+math, classroom pages to a slider that answers"

$(READY): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed, found " + sys.version.split()[0])'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

# The test and benchmark tools, on top of the learner's runtime.
$(DEV_READY): $(READY) requirements-dev.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

# A developer's venv: the runtime and the test tools.
venv: $(DEV_READY)

# Token authentication stays on: open the URL with ?token=... that JupyterLab prints.
lab: $(READY)
	$(BIN)/jupyter lab --ServerApp.ip=127.0.0.1 --ServerApp.port=$(PORT) --ServerApp.root_dir=notebooks \
		--LabApp.news_url=None --no-browser $(ROOT_FLAG)

test: lint unit nbval portability browser binder setup-test lite-test site-test

# The unit tests and nbval once more in a second numeric environment: numpy's highest SIMD group
# switched off (tests/portability/numeric_env.py), so tanh/exp/log and friends round differently.
portability: $(DEV_READY)
	@features=$$($(BIN)/python tests/portability/numeric_env.py) || exit 1; \
	echo "Portability pass: NPY_DISABLE_CPU_FEATURES=\"$$features\""; \
	NPY_DISABLE_CPU_FEATURES="$$features" $(MAKE) --no-print-directory unit nbval

lint: $(DEV_READY)
	$(BIN)/ruff check helpers tests benchmarks notebooks tools lite website

unit: $(DEV_READY)
	$(BIN)/python -m pytest -W error -p no:cacheprovider tests --ignore=tests/browser --ignore=tests/binder \
		--ignore=tests/lite --ignore=tests/setup --ignore=tests/site

# One worker per notebook file (--dist loadfile): nbval runs a notebook's cells in one kernel.
nbval: $(DEV_READY)
	$(BIN)/python -m pytest -p no:cacheprovider --nbval --nbval-current-env -n 2 --dist loadfile \
		--nbval-sanitize-with tests/nbval_sanitize.cfg notebooks

# JupyterLab + Voila in Debian's Chromium (Playwright). Skips locally without chromium; must run with CI=true.
browser: $(DEV_READY)
	$(BIN)/python -m pytest -p no:cacheprovider tests/browser -v

# binder/ checks, then Binder's install replayed in a fresh venv and nbval run with that venv's kernel.
binder: $(DEV_READY)
	$(BIN)/python -m pytest -p no:cacheprovider tests/binder -v -s

# README.md's macOS/Linux commands without make, replayed in a fresh copy of the tracked files (tests/setup).
setup-test: $(DEV_READY)
	$(BIN)/python -m pytest -p no:cacheprovider tests/setup -v -s

execute: $(READY)
	printf '%s\n' $(NOTEBOOKS) | HELPERS_COMPLETE_PICTURES=1 xargs -P 2 -I{} $(BIN)/jupyter nbconvert --to notebook --execute --inplace \
		--ExecutePreprocessor.timeout=600 --ExecutePreprocessor.record_timing=False {}

# The minutes every notebook, map, README and guide states come from the time model (tools/time_model.py).
times: $(READY)
	$(BIN)/python tools/time_docs.py

bench: $(DEV_READY)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r benchmarks/requirements.txt \
		|| echo "torch could not be installed: the ratio against it will be skipped"
	$(BIN)/python benchmarks/run.py $(BENCH_ARGS)

# Voila on 127.0.0.1 (port $$APP_PORT, default 8866) with a fresh login token; the URL is printed first.
# Voila's own kernel pool (preheat_kernel): a kernel has already run the page when the class opens it,
# and the next one is started a second after each request (APP_POOL kernels waiting, default 1).
# `make app LANG=zh` serves the Chinese page (notebooks/zh/app/). make also reads LANG from the environment
# (C.UTF-8, en_US.UTF-8, even zh_CN.UTF-8): anything but exactly `zh` serves the English page, and LANG=zh
# itself is not handed on to Voila as a locale.
APP_NOTEBOOK = $(if $(filter zh,$(LANG)),notebooks/zh/app/classroom_explorers.ipynb,notebooks/app/classroom_explorers.ipynb)
APP_ENV = $(if $(filter zh,$(LANG)),env -u LANG,)

app: $(READY)
	@port=$${APP_PORT:-8866}; token=$$($(BIN)/python -c 'import secrets; print(secrets.token_hex(16))'); \
	echo "Classroom explorers ($(APP_NOTEBOOK)): open http://127.0.0.1:$$port/?token=$$token  (Ctrl+C stops the server)"; \
	$(APP_ENV) $(BIN)/voila $(APP_NOTEBOOK) --no-browser --Voila.ip=127.0.0.1 --port=$$port \
		--Voila.port_retries=0 --token=$$token --preheat_kernel=True --pool_size=$${APP_POOL:-1}

# The Chinese font subset (helpers/classroom/fonts/) from Noto Sans CJK SC: `apt-get install fonts-noto-cjk`
# first, or unpack the package anywhere (apt-get download fonts-noto-cjk; dpkg-deb -x ...) and pass FONT_SOURCE.
FONT_SOURCE ?= /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc
font: $(READY)
	$(BIN)/python tools/make_font.py --source $(FONT_SOURCE)

# The offline site: JupyterLite + Pyodide 0.27.7 from pinned registry packages (requirements-lite.txt, npm's
# pyodide@0.27.7, lite/*.txt), the notebooks, tests/reference and helpers. Needs npm and node. See lite/build.py.
$(LITE_READY): requirements.txt requirements-lite.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed, found " + sys.version.split()[0])'
	@test -x $(LITE_VENV)/bin/python || $(PYTHON) -m venv $(LITE_VENV)
	$(LITE_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt -r requirements-lite.txt
	@touch $@

$(LITE_SITE): $(LITE_READY) $(LITE_INPUTS)
	$(LITE_VENV)/bin/python lite/build.py --out $(LITE_OUT) $(STUDENT_FLAG)

lite: $(LITE_SITE)
	@echo "Offline site$(if $(STUDENT_FLAG), for students (no worked solutions),) in $(LITE_OUT)/. Serve the folder, e.g.: make lite-serve$(if $(STUDENT_FLAG), STUDENT=1)"
	@echo "  (= python3 -m http.server $(LITE_PORT) --bind 127.0.0.1 --directory $(LITE_OUT))"
	@echo "  then open http://127.0.0.1:$(LITE_PORT)/lab/index.html?path=notebooks/00_start_here.ipynb"
	@echo "  Or copy $(LITE_OUT)/ to any static web host (https) and open lab/index.html there."

lite-serve: $(LITE_SITE)
	@echo "Open http://127.0.0.1:$(LITE_PORT)/lab/index.html?path=notebooks/00_start_here.ipynb  (Ctrl+C stops)"
	$(PYTHON) -m http.server $(LITE_PORT) --bind 127.0.0.1 --directory $(LITE_OUT)

# Every notebook of the offline site in Chromium with every other host blocked (tests/lite), two at a time,
# and the student build's files and links (no browser). Without npm the sites cannot be built: locally the
# tests then skip with the reason; with CI=true they fail.
lite-test: $(DEV_READY)
	@if command -v npm >/dev/null 2>&1 || [ "$${CI:-}" = true ]; then $(MAKE) --no-print-directory lite STUDENT= \
	&& $(MAKE) --no-print-directory lite STUDENT=1; \
	else echo "npm not found: the offline site is not built (apt-get install npm)"; fi
	$(BIN)/python -m pytest -p no:cacheprovider tests/lite -n 2 -v

# The static site (docs/site.md): the book in both languages (Sphinx + myst-nb + sphinx-book-theme, stored outputs,
# never executed), the offline lab (make lite's build/lite, copied to lab/) and the classroom (the explorer notebooks
# of notebooks/app/ as Voici pages, Python in the browser). Build tools in .venv-site (requirements-site.txt), MathJax
# from npm. STUDENT=1 leaves out the solutions and the teaching guides (its lab is make lite STUDENT=1's build). SITE_BINDER_REPO=https://github.com/ORG/REPO
# adds a Binder button to every notebook page (off by default).
SITE_VENV ?= $(VENV)-site
SITE_READY := $(SITE_VENV)/.ready
SITE_PORT ?= 8001
SITE_OUT ?= build/site
SITE_FLAGS = $(if $(filter 1 yes true,$(STUDENT)),--student) $(if $(SITE_BINDER_REPO),--binder-repo $(SITE_BINDER_REPO))

$(SITE_READY): requirements.txt requirements-site.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed, found " + sys.version.split()[0])'
	@test -x $(SITE_VENV)/bin/python || $(PYTHON) -m venv $(SITE_VENV)
	$(SITE_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt -r requirements-site.txt
	@touch $@

site: $(SITE_READY) $(LITE_SITE)
	$(SITE_VENV)/bin/python website/build.py --out $(SITE_OUT) --lite $(LITE_OUT) $(SITE_FLAGS)
	@echo "Static site in $(SITE_OUT)/. Copy the folder to any static host, or: make site-serve"

site-serve:
	@echo "Open http://127.0.0.1:$(SITE_PORT)/  (Ctrl+C stops)"
	$(PYTHON) -m http.server $(SITE_PORT) --bind 127.0.0.1 --directory $(SITE_OUT)

# Every page of the site in Chromium with every other host blocked (tests/site); builds the site first where npm is.
site-test: $(DEV_READY)
	@if command -v npm >/dev/null 2>&1 || [ "$${CI:-}" = true ]; then $(MAKE) --no-print-directory site; \
	else echo "npm not found: the static site is not built (apt-get install npm)"; fi
	$(BIN)/python -m pytest -p no:cacheprovider tests/site -v

# Times of the built site (benchmarks/site_bench.py -> build/site-test/bench.json): book pages to text+math, each
# classroom page to its first slider that answers a key press (cold cache). Needs Chromium; several minutes.
site-bench: $(DEV_READY)
	$(BIN)/python benchmarks/site_bench.py $(SITE_BENCH_ARGS)

# The per-notebook classroom pages (notebooks/app/explorers_*.ipynb and zh twins), written from the all-in-one
# page and stored executed.
explorer-apps: $(READY)
	$(BIN)/python tools/make_explorer_apps.py
	ls notebooks/app/explorers_*.ipynb notebooks/zh/app/explorers_*.ipynb | HELPERS_COMPLETE_PICTURES=1 xargs -P 2 -I{} \
		$(BIN)/jupyter nbconvert --to notebook --execute --inplace --ExecutePreprocessor.timeout=600 \
		--ExecutePreprocessor.record_timing=False {}

clean:
	rm -rf $(VENV) $(LITE_VENV) $(SITE_VENV) .pytest_cache .hypothesis build
