# nginxls — common tasks. `make run` shows real findings; `make test` runs every test.
GO      ?= go
BIN     := bin/nginxls
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo devel)
LDFLAGS := -X main.version=$(VERSION)

.PHONY: all build run test test-short bench lint fuzz readme clean test-editors vsix

all: build

build:
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/nginxls

# Audit the bundled example: a Flask app behind nginx with weak TLS settings.
# `check` exits 1 when it finds errors, which is the point here.
run: build
	./$(BIN) check testdata/examples/flask-tls.conf || true

# Every test, with the race detector where cgo can build it. Tests that need
# nginx, openssl or an editor skip without them, unless
# NGINXLS_REQUIRE_TOOLS=1; the run ends with the list of what was skipped.
test:
	$(GO) vet ./...
	$(GO) run ./internal/testsummary -count=1 ./...

test-short:
	$(GO) test -count=1 ./...

# Go benchmarks, then the language server as an editor sees it: the built
# binary over pipes (initialize time, edit-to-diagnostics latency, memory),
# then with its incremental paths on and off (NGINXLS_NO_INCREMENTAL=1),
# the two alternated over ROUNDS rounds.
BENCH_SIZES ?= 200,2000,27000
ROUNDS      ?= 5
bench: build
	$(GO) test -run='^$$' -bench=. -benchmem ./...
	$(GO) run ./cmd/lspbench -server $(BIN) -sizes $(BENCH_SIZES)
	$(GO) run ./cmd/lspbench -server $(BIN) -sizes $(BENCH_SIZES) -compare -edits 60 -rounds $(ROUNDS)

# The linters run at pinned versions through `go run pkg@version` rather than
# `tool` lines in go.mod: those would put their dependencies in nginxls's
# module graph: `go get -tool` of staticcheck v0.8.2 raises golang.org/x/sys,
# which the program links, from v0.45.0 to v0.48.0 (x/tools to v0.51.0) and
# adds five modules. The module proxy and checksum database verify what go
# run fetches; the build cache keeps it.
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2
DEADCODE    := golang.org/x/tools/cmd/deadcode@v0.52.0

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(GO) run $(STATICCHECK) ./...
	$(GO) mod tidy -diff
	@out=$$($(GO) run $(DEADCODE) -test ./...) || exit 1; \
		if [ -n "$$out" ]; then echo "deadcode: unreachable functions (delete them):"; echo "$$out"; exit 1; fi

# Fuzz the parser and the incremental reparse for a while (FUZZTIME=5m make fuzz).
FUZZTIME ?= 60s
fuzz:
	$(GO) test -run='^$$' -fuzz=FuzzParse -fuzztime=$(FUZZTIME) ./analysis/syntax/
	$(GO) test -run='^$$' -fuzz=FuzzReparse -fuzztime=$(FUZZTIME) ./analysis/syntax/

# Regenerate the rule table of the README and docs/rules.md from the rule registry.
readme: build
	./$(BIN) rules --format docs > docs/rules.md
	./$(BIN) rules --format markdown > bin/rules.md
	awk 'BEGIN{r=0} /<!-- rules:begin -->/{print; while((getline l < "bin/rules.md")>0) print l; r=1; next} /<!-- rules:end -->/{r=0} !r' README.md > README.md.new && mv README.md.new README.md

# The editor integrations' tests alone, verbosely (editors/README.md).
# `make test` runs them too, as the Go package ./editors.
test-editors:
	$(GO) test -count=1 -v ./editors/

# One VS Code package per platform in dist/, each carrying a static, stripped
# nginxls for that platform (vsce --target). Needs npm.
VSIX_TARGETS := linux-x64:linux/amd64 linux-arm64:linux/arm64 darwin-x64:darwin/amd64 \
	darwin-arm64:darwin/arm64 win32-x64:windows/amd64
VSIX_VERSION = $(shell node -p 'require("./editors/vscode/package.json").version')
vsix:
	cd editors/vscode && npm ci --no-audit --no-fund && node scripts/build.mjs --production
	mkdir -p dist
	set -e; for pair in $(VSIX_TARGETS); do \
		target=$${pair%%:*}; os=$${pair#*:}; os=$${os%/*}; arch=$${pair##*/}; \
		exe=nginxls; if [ $$os = windows ]; then exe=nginxls.exe; fi; \
		rm -rf editors/vscode/bin; \
		CGO_ENABLED=0 GOOS=$$os GOARCH=$$arch $(GO) build -trimpath -ldflags "-s -w $(LDFLAGS)" \
			-o editors/vscode/bin/$$exe ./cmd/nginxls; \
		(cd editors/vscode && npx vsce package --no-dependencies --skip-license --target $$target \
			-o ../../dist/nginxls-$$target-$(VSIX_VERSION).vsix); \
	done
	rm -rf editors/vscode/bin
	ls -l dist/*.vsix

clean:
	rm -rf bin dist editors/vscode/dist editors/vscode/out editors/vscode/bin
