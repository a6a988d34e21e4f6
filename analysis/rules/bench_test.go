package rules_test

import (
	"testing"

	"github.com/nginxls/nginxls/analysis"
	"github.com/nginxls/nginxls/analysis/config"
	"github.com/nginxls/nginxls/analysis/rules"
	"github.com/nginxls/nginxls/analysis/syntax"
	"github.com/nginxls/nginxls/analysis/syntax/synthtest"
)

// BenchmarkParseAnalyze is what the editor pays on every edit of a large
// file: parse, load and run every rule on the generated 27,000-line, 1 MB
// configuration of 3,000 TLS servers.
func BenchmarkParseAnalyze(b *testing.B) {
	src := synthtest.GenerateTLSConfig(3000)
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	var n int
	for b.Loop() {
		f := syntax.Parse("big.conf", src)
		diags, _ := analysis.Run(config.Load(f), rules.All, analysis.DefaultSettings())
		n = len(diags)
	}
	b.ReportMetric(float64(n), "findings")
}

// BenchmarkAnalyze is the rules alone on an already parsed tree.
func BenchmarkAnalyze(b *testing.B) {
	f := syntax.Parse("big.conf", synthtest.GenerateTLSConfig(3000))
	cfg := config.Load(f)
	b.ReportAllocs()
	for b.Loop() {
		analysis.Run(cfg, rules.All, analysis.DefaultSettings())
	}
}
