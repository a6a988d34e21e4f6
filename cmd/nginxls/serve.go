package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime/debug"

	"github.com/nginxls/nginxls/lsp"
)

// runServe starts the language server on stdin and stdout; `nginxls`
// without arguments comes here too, as editors expect of gopls. Logs go to
// stderr, never stdout, which carries the protocol.
func runServe(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := newFlags("serve", "[--trace-file PATH] [--log-level debug|info|warn|error]\n\nStarts the language server on standard input and output.", stdout, stderr)
	traceFile := fs.String("trace-file", "", "record every protocol message, both ways, in `PATH`")
	level := fs.String("log-level", "warn", "what the server logs to standard error: debug, info, warn or error")
	pos, code, ok := fs.parse(args)
	if !ok {
		return code
	}
	if len(pos) > 0 {
		return fs.usageError("takes no arguments")
	}
	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(*level)); err != nil {
		return fs.usageError("invalid --log-level %q", *level)
	}
	opts := lsp.Options{Log: slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: lvl}))}
	if *traceFile != "" {
		f, err := os.OpenFile(*traceFile, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
		if err != nil {
			fmt.Fprintf(stderr, "nginxls serve: %v\n", err)
			return exitError
		}
		defer f.Close()
		opts.Trace = f
	}
	lsp.Version = buildVersion()
	// Every edit re-parses and re-analyses: collecting garbage half as often
	// saves a fifth of the time per edit on large files, for a larger heap.
	debug.SetGCPercent(200)
	if f, ok := stdout.(*os.File); ok {
		growPipe(f)
	}
	return lsp.Serve(context.Background(), stdio{stdin, stdout}, opts)
}

// stdio joins the process's standard input and output into one stream.
type stdio struct {
	io.Reader
	io.Writer
}

func (stdio) Close() error { return nil }
