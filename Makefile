# via — two commands for a newcomer: `make demo` and `make test` (both install what is missing first).
SWIFT      ?= swift
# System packages: libjpeg (decode), SQLite (store), pkg-config (to find them), exiftool and djpeg (reference
# tools the tests compare against).
DEB_PACKAGES := libjpeg-dev libsqlite3-dev pkg-config tzdata libimage-exiftool-perl libjpeg-turbo-progs tmux
# python3-pip and python3-venv: scripts/schemathesis.sh installs schemathesis (PyPI) into a venv when it is missing.
DEB_PACKAGES += python3-pip python3-venv
# chromium and a CJK font: scripts/report-browser-check.sh renders `via report --html` headless and screenshots it.
DEB_PACKAGES += chromium fonts-wqy-microhei
SUDO       := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
VIA_DEBUG   = .build/debug/via
VIA_RELEASE = .build/release/via

.PHONY: all deps build release test demo bench fuzz crosscheck clean

all: build

deps:
	@missing=""; \
	for p in $(DEB_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing system packages:$$missing"; \
	  $(SUDO) apt-get update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release --product via

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test
	VIA=$(VIA_DEBUG) scripts/schemathesis.sh
	scripts/report-browser-check.sh

# The main job on the committed sample data: audit samples/batch-20261018 against samples/stations.yaml.
demo: deps
	$(SWIFT) build --product via
	$(VIA_DEBUG) demo

bench: release
	$(VIA_RELEASE) bench photos

# A long fuzz run of the EXIF parser, marker walker and whole analysis (release build, seeded mutator).
fuzz: deps
	VIA_FUZZ_ITERATIONS=$${VIA_FUZZ_ITERATIONS:-500000} $(SWIFT) test -c release --filter FuzzTests

# EXIF cross-check against exiftool on third-party camera photos kept beside the project
# (../shared/testdata/real-cameras or $$VIA_TESTDATA/real-cameras); the tests skip when the folder is absent.
crosscheck: deps
	$(SWIFT) test --filter 'ExiftoolCrossCheckTests|realCameraPhotosAreSound'

clean:
	rm -rf .build
