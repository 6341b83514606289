# Thin wrapper around Meson. The two commands that matter:
#   make run    installs what is missing, builds, starts the demo office on 127.0.0.1:8080
#   make check  installs what is missing, builds with sanitizers and runs every test
BUILD       ?= build
CHECK_BUILD ?= build-check
FUZZ_BUILD  ?= build-fuzz
DATA        ?= data
LISTEN      ?= 127.0.0.1:8080
PYTHON      ?= /usr/bin/python3

.PHONY: all deps deps-check build run check unit http browser fuzz bench pot clean

all: build

# What building and running need; the tests, fuzzing and benchmarks need more (deps-check).
deps:
	@tools/deps.sh run

deps-check:
	@tools/deps.sh check

$(BUILD)/build.ninja:
	meson setup $(BUILD) -Dbuildtype=release -Dtests=disabled

build: deps $(BUILD)/build.ninja
	ninja -C $(BUILD) notbetrieb

run: build
	@echo "notbetrieb: demo office at http://$(LISTEN)/ (stop with Ctrl-C)"
	$(BUILD)/notbetrieb demo --data $(DATA) --listen $(LISTEN)

$(CHECK_BUILD)/build.ninja:
	meson setup $(CHECK_BUILD) -Dbuildtype=debug -Db_sanitize=address,undefined -Dwerror=true

# Every test: unit and fuzz-corpus replays (meson test), HTTP black box (pytest against the
# real binary), browser and accessibility (Playwright + axe in Debian's chromium).
check: deps-check $(CHECK_BUILD)/build.ninja
	ninja -C $(CHECK_BUILD)
	$(MAKE) --no-print-directory unit http browser

unit:
	meson test -C $(CHECK_BUILD) --print-errorlogs

http:
	NB_BINARY=$(CURDIR)/$(CHECK_BUILD)/notbetrieb $(PYTHON) -m pytest -q tests/http

browser:
	NB_BINARY=$(CURDIR)/$(CHECK_BUILD)/notbetrieb node --test tests/browser/

# Coverage-guided fuzzing with libFuzzer (clang); `make fuzz` runs each harness for a while.
fuzz: deps-check
	[ -f $(FUZZ_BUILD)/build.ninja ] || CC=clang meson setup $(FUZZ_BUILD) -Dfuzzing=enabled \
		-Dbuildtype=debug -Db_sanitize=address,undefined -Db_lundef=false
	ninja -C $(FUZZ_BUILD)
	tools/fuzz.sh $(FUZZ_BUILD) $${FUZZ_SECONDS:-60}

bench: deps-check build
	ninja -C $(BUILD) bench/bench-write
	bench/public-page $(BUILD)/notbetrieb
	$(BUILD)/bench/bench-write .

# Translators: regenerate the template from messages.def and merge it into each catalog.
pot:
	xgettext --language=C --from-code=UTF-8 --keyword=NB_MSG:1c,2 --add-comments=TRANSLATORS \
		--package-name=notbetrieb -o po/notbetrieb.pot src/view/messages.def
	for po in po/*.po; do msgmerge --quiet --update --backup=none $$po po/notbetrieb.pot; done

clean:
	rm -rf $(BUILD) $(CHECK_BUILD) $(FUZZ_BUILD)
