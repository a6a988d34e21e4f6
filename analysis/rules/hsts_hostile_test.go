package rules_test

import (
	"fmt"
	"strings"
	"testing"
	"unsafe"

	"github.com/nginxls/nginxls/analysis"
	"github.com/nginxls/nginxls/analysis/config"
	"github.com/nginxls/nginxls/analysis/rules"
	"github.com/nginxls/nginxls/analysis/syntax"
)

func inheritingServers(headers, servers int) []byte {
	var b strings.Builder
	b.WriteString("events {}\nhttp {\n")
	for i := range headers {
		fmt.Fprintf(&b, "    add_header X-Header-%04d \"value-%04d\";\n", i, i)
	}
	for i := range servers {
		fmt.Fprintf(&b, "    server {\n        listen 443 ssl;\n        server_name s%d.example;\n    }\n", i)
	}
	b.WriteString("}\n")
	return []byte(b.String())
}

// The servers that inherit the same headers share one text for their
// fixes, instead of one copy of every header per server; past 50
// inherited headers there is no fix.
func TestHSTSMissingFixShared(t *testing.T) {
	for _, tc := range []struct {
		headers int
		fix     bool
	}{{3, true}, {50, true}, {51, false}, {2000, false}} {
		f := syntax.Parse("nginx.conf", inheritingServers(tc.headers, 200))
		diags, errs := analysis.Run(config.Load(f), []*analysis.Analyzer{rules.HSTSMissing}, analysis.DefaultSettings())
		if len(errs) > 0 || len(diags) != 200 {
			t.Fatalf("%d headers: %d findings, %v", tc.headers, len(diags), errs)
		}
		texts := map[*byte]bool{}
		for _, d := range diags {
			if !tc.fix {
				if len(d.Fixes) != 0 {
					t.Fatalf("%d headers: a fix copies them all", tc.headers)
				}
				continue
			}
			text := d.Fixes[0].Edits[0].NewText
			if n := strings.Count(text, "add_header"); n != tc.headers+1 {
				t.Fatalf("%d headers: the fix adds %d add_header:\n%s", tc.headers, n, text)
			}
			texts[unsafe.StringData(text)] = true
		}
		if tc.fix && len(texts) != 1 {
			t.Errorf("%d headers: %d texts for 200 alike servers, want one shared", tc.headers, len(texts))
		}
	}
}

// A server that only redirects gets a note, one that serves a warning.
func TestHSTSMissingRedirectOnlyIsANote(t *testing.T) {
	src := "http {\n    server {\n        listen 443 ssl;\n        return 301 https://example.com$request_uri;\n    }\n" +
		"    server {\n        listen 443 ssl;\n        root /srv/www;\n    }\n}\n"
	diags, _ := analysis.Run(config.Load(syntax.Parse("site.conf", []byte(src))), []*analysis.Analyzer{rules.HSTSMissing}, analysis.DefaultSettings())
	var got []string
	for _, d := range diags {
		line, _ := d.File.Position(d.Span.Start)
		got = append(got, fmt.Sprintf("%d %s", line, d.Severity))
	}
	if strings.Join(got, ", ") != "3 info, 7 warning" {
		t.Errorf("findings %v, want a note on the redirect (line 3) and a warning on the site (line 7)", got)
	}
}
