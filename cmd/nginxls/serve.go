package main

import (
	"fmt"
	"io"
)

// runServe is where the language server will be started, on stdin and
// stdout; `nginxls` without arguments comes here too.
func runServe(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := newFlags("serve", "\n\nStarts the language server on standard input and output.", stdout, stderr)
	if _, code, ok := fs.parse(args); !ok {
		return code
	}
	fmt.Fprintln(stderr, "nginxls serve: the language server is not built yet")
	return exitError
}
