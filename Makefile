# kimsite — the two set-up commands are `make build` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
TESTSTAMP := $(VENV)/.test-installed-stamp
KIMS   ?= 150
POSTS  ?= 100
# make bench BENCH_ARGS='--workdir DIR' keeps the regency and the logs; also --images
BENCH_ARGS ?=

# the writing pages' CMS (decap-cms, copied into the hub by the build) and its local backend for the
# browser test (decap-server): exact versions in .cms/package-lock.json, installed with npm ci
CMS_STAMP := .cms/node_modules/.kimsite-installed
NPM := $(shell command -v npm 2>/dev/null)
# axe-core, injected into the built pages by the accessibility test: exact version in .axe/package-lock.json
AXE_STAMP := .axe/node_modules/.kimsite-installed

.PHONY: install build check test lint golden serve bench bench-images bench-search bench-deploy lighthouse deploy clean cms cms-server axe

# make build: kimsite and what it needs at run time, nothing more; make test adds the test tools
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e .
	$(BIN)/python -m compileall -q kimsite  # bytecode, as a non-editable install has (and PYTHONDONTWRITEBYTECODE would never write)
	touch $(STAMP)

$(TESTSTAMP): $(STAMP)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(TESTSTAMP)

install: $(STAMP)

$(CMS_STAMP): .cms/package.json .cms/package-lock.json
	@if npm ci --prefix .cms --no-audit --no-fund --silent; then touch $(CMS_STAMP); else \
	  echo "npm ci gagal: halaman admin/ dibuat tanpa skrip CMS (ulangi make cms) / npm ci failed: the admin/ pages are built without their CMS script"; fi

ifeq ($(NPM),)
cms:
	@echo "npm tidak ada: halaman admin/ dibuat tanpa skrip CMS (apt-get install npm, lalu make cms) / npm not found: the admin/ pages are built without their CMS script"
else
cms: $(CMS_STAMP)  ## the pinned Decap CMS for the writing pages <kim>/admin/ (npm ci into .cms/)
endif

$(AXE_STAMP): .axe/package.json .axe/package-lock.json
	npm ci --prefix .axe --no-audit --no-fund --silent
	touch $(AXE_STAMP)

ifeq ($(NPM),)
axe:
	@echo "npm tidak ada: uji aksesibilitas dilewati (apt-get install npm, lalu make axe) / npm not found: the accessibility test is skipped"
else
axe: $(AXE_STAMP)  ## the pinned axe-core for tests/test_accessibility.py (npm ci into .axe/)
endif

build: $(STAMP) cms  ## build the sample regency into output/
	$(BIN)/kimsite build --config sites.yaml --output output

check: $(STAMP)  ## validate sites.yaml, profiles and posts; write nothing
	$(BIN)/kimsite check --config sites.yaml

test: lint cms axe  ## lint, import contracts and the whole test suite (what CI runs)
	$(BIN)/python -m pytest -q

lint: $(TESTSTAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports

golden: $(TESTSTAMP)  ## regenerate the expected output of the golden builds
	$(BIN)/python -m tests.golden

cms-server: cms  ## decap-server on 127.0.0.1:8081: the sample's <kim>/admin/ (make serve) writes into content/ here
	PORT=8081 BIND_HOST=127.0.0.1 MODE=fs GIT_REPO_DIRECTORY=$(CURDIR) node .cms/node_modules/decap-server/dist/index.js

serve: $(STAMP) cms  ## preview on http://127.0.0.1:8000, rebuilt on save
	$(BIN)/kimsite serve --config sites.yaml --port 8000

bench-images: $(TESTSTAMP)  ## camera-size photos through the photo step, cold and cached
	$(BIN)/python bench/images.py

bench-search: $(TESTSTAMP)  ## a first search on the hub of the bench regency in Chromium: bytes and requests (KIMS=150 POSTS=100; fails over 200 KB or 20 requests)
	command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium)
	$(BIN)/python bench/search.py --kims $(KIMS) --posts $(POSTS) $(BENCH_ARGS)

bench-deploy: $(TESTSTAMP)  ## first deploy and one-post redeploy of the sample, per target type (real servers)
	$(BIN)/python bench/deploy.py

lighthouse: $(TESTSTAMP)  ## Lighthouse mobile audit of sample pages in Debian's chromium (npm: lighthouse@12)
	command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium)
	[ -x .lighthouse/node_modules/.bin/lighthouse ] || npm install --silent --no-audit --no-fund --prefix .lighthouse lighthouse@12
	$(BIN)/python scripts/lighthouse.py

deploy: build  ## publish what changed to every target in sites.yaml (TARGET=name for one)
	$(BIN)/kimsite deploy --config sites.yaml $(TARGET)

bench: $(TESTSTAMP)  ## kimsite against plain Pelican and Hugo, and their fair 2-core versions (pelican-p2, hugo-full): cold, no-op, one new post, wall and core-seconds (KIMS=150 POSTS=100)
	command -v hugo >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq hugo >/dev/null) || echo 'hugo not installed: the bench skips it'
	$(BIN)/python bench/run.py --kims $(KIMS) --posts $(POSTS) $(BENCH_ARGS)

clean:
	rm -rf output .kimsite-cache
