# nginxls — common tasks. `make run` shows real findings; `make test` runs every test.
GO      ?= go
BIN     := bin/nginxls
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo devel)
LDFLAGS := -X main.version=$(VERSION)

.PHONY: all build run test test-short bench lint fuzz readme clean

all: build

build:
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/nginxls

# Audit the bundled example: a Flask app behind nginx with weak TLS settings.
# `check` exits 1 when it finds errors, which is the point here.
run: build
	./$(BIN) check testdata/examples/flask-tls.conf || true

# Every test, with the race detector. Tests that need nginx or openssl skip
# without them, unless NGINXLS_REQUIRE_TOOLS=1.
test:
	$(GO) vet ./...
	$(GO) test -race -count=1 ./...

test-short:
	$(GO) test -count=1 ./...

# Go benchmarks, then the language server as an editor sees it: the built
# binary over pipes (initialize time, edit-to-diagnostics latency, memory).
bench: build
	$(GO) test -run='^$$' -bench=. -benchmem ./...
	$(GO) run ./cmd/lspbench -server $(BIN)

lint:
	@out=$$(gofmt -l .); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...

# Fuzz the parser for a while (FUZZTIME=5m make fuzz).
FUZZTIME ?= 60s
fuzz:
	$(GO) test -run='^$$' -fuzz=FuzzParse -fuzztime=$(FUZZTIME) ./analysis/syntax/

# Regenerate the rule table of the README and docs/rules.md from the rule registry.
readme: build
	./$(BIN) rules --format docs > docs/rules.md
	./$(BIN) rules --format markdown > bin/rules.md
	awk 'BEGIN{r=0} /<!-- rules:begin -->/{print; while((getline l < "bin/rules.md")>0) print l; r=1; next} /<!-- rules:end -->/{r=0} !r' README.md > README.md.new && mv README.md.new README.md

clean:
	rm -rf bin
