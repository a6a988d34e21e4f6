package rules_test

import (
	"testing"

	"github.com/nginxls/nginxls/analysis"
	"github.com/nginxls/nginxls/analysis/config"
	"github.com/nginxls/nginxls/analysis/rules"
	"github.com/nginxls/nginxls/analysis/syntax"
)

// In a snippet for a location, the fix of upstream-tls-verify turns the
// snippet's own proxy_ssl_verify on rather than adding a second one.
func TestUpstreamVerifyFixInSnippet(t *testing.T) {
	src := []byte("proxy_pass https://backend.example.com;\nproxy_ssl_verify off;\n")
	f := syntax.Parse("/etc/nginx/snippets/proxy.conf", src)
	diags, _ := analysis.Run(config.Load(f), []*analysis.Analyzer{rules.Lookup("upstream-tls-verify")}, analysis.DefaultSettings())
	if len(diags) != 1 || len(diags[0].Fixes) == 0 {
		t.Fatalf("findings %v", diags)
	}
	e := diags[0].Fixes[0].Edits[0]
	if got := string(src[e.Span.Start:e.Span.End]); got != "off" || e.NewText != "on" {
		t.Errorf("the fix replaces %q with %q, want off with on", got, e.NewText)
	}
}
