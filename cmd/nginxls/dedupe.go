package main

import "github.com/nginxls/nginxls/analysis"

// dedupe drops findings reported twice (a file checked in two trees, whose
// findings come from two different parses of it): they are the same when
// the file name, the span, the rule and the message are.
func dedupe[T any](xs []T, diag func(T) analysis.Diagnostic) []T {
	type key struct {
		file       string
		start, end int
		rule, msg  string
	}
	seen := map[key]bool{}
	out := xs[:0]
	for _, x := range xs {
		d := diag(x)
		k := key{d.File.Name, d.Span.Start, d.Span.End, d.Rule, d.Message}
		if !seen[k] {
			seen[k] = true
			out = append(out, x)
		}
	}
	return out
}
