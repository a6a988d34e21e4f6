package analysis_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/nginxls/nginxls/analysis"
	"github.com/nginxls/nginxls/analysis/analysistest"
	"github.com/nginxls/nginxls/analysis/config"
	"github.com/nginxls/nginxls/analysis/rules"
	"github.com/nginxls/nginxls/analysis/syntax"
)

const suppressed = `http {
    server_tokens off;
    server {
        # nginxls:ignore tls-session-tickets-rotation a cron job rotates the ticket keys
        listen 443 ssl;
        ssl_certificate /etc/ssl/certs/ssl-cert-snakeoil.pem;
        ssl_certificate_key /etc/ssl/private/ssl-cert-snakeoil.key;
        # nginxls:ignore hsts-max-age,hsts-not-always
        add_header Strict-Transport-Security "max-age=300";
        ssl_protocols TLSv1.2;  # nginxls:ignore tls-protocol-no-tls13 an appliance with OpenSSL 1.0.2 connects
        # nginxls:ignore server-tokens nothing here to silence
        root /srv/www;
        # nginxls:ignore no-such-rule a typo
        index index.html;
    }
}
`

func TestSuppressions(t *testing.T) {
	f := syntax.Parse("s.conf", []byte(suppressed))
	cfg := config.Load(f)
	cfg.FS = config.MemFS{}
	res := analysis.Analyze(cfg, rules.All, analysis.DefaultSettings())
	var got []string
	for _, d := range res.Diagnostics {
		if d.Rule == "nginxls-ignore" {
			line, _ := f.Position(d.Span.Start)
			got = append(got, fmt.Sprintf("%d %s %q", line, d.Severity, f.Text(d.Span)))
		}
	}
	want := []string{
		`8 warning "# nginxls:ignore hsts-max-age,hsts-not-always"`,
		`11 warning "server-tokens"`,
		`13 warning "no-such-rule"`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("nginxls-ignore findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	var silenced []string
	for _, s := range res.Suppressed {
		line, _ := f.Position(s.Span.Start)
		silenced = append(silenced, fmt.Sprintf("%d %s %q", line, s.Rule, s.By.Reason))
	}
	wantSilenced := []string{
		`5 tls-session-tickets-rotation "a cron job rotates the ticket keys"`,
		`9 hsts-not-always ""`,
		`9 hsts-max-age ""`,
		`10 tls-protocol-no-tls13 "an appliance with OpenSSL 1.0.2 connects"`,
	}
	if strings.Join(silenced, "\n") != strings.Join(wantSilenced, "\n") {
		t.Errorf("suppressed:\n%s\nwant:\n%s", strings.Join(silenced, "\n"), strings.Join(wantSilenced, "\n"))
	}
	for _, d := range res.Diagnostics {
		for _, r := range []string{"tls-session-tickets-rotation", "hsts-max-age", "hsts-not-always", "tls-protocol-no-tls13"} {
			if d.Rule == r {
				t.Errorf("suppressed finding still shown: %s %s", d.Rule, d.Message)
			}
		}
	}
	// Run (and so the language server) leaves silenced findings out too.
	diags, _ := analysis.Run(cfg, rules.All, analysis.DefaultSettings())
	if len(diags) != len(res.Diagnostics) {
		t.Errorf("Run shows %d findings, Analyze %d", len(diags), len(res.Diagnostics))
	}
	analysistest.CheckMessages(t, diags)
}

// Without nginxls-ignore among the rules (a rule's own test), suppressions
// still apply but are not judged.
func TestSuppressionsWithoutIgnoreRule(t *testing.T) {
	f := syntax.Parse("s.conf", []byte(suppressed))
	res := analysis.Analyze(config.Load(f), []*analysis.Analyzer{rules.Lookup("hsts-max-age")}, analysis.DefaultSettings())
	if len(res.Diagnostics) != 0 || len(res.Suppressed) != 1 {
		t.Errorf("diagnostics %v, suppressed %v", res.Diagnostics, res.Suppressed)
	}
}

func TestSuppressFix(t *testing.T) {
	src := "http {\n    server {\n        listen 443 ssl;\n    }\n}\n"
	f := syntax.Parse("s.conf", []byte(src))
	diags, _ := analysis.Run(config.Load(f), []*analysis.Analyzer{rules.Lookup("hsts-missing")}, analysis.DefaultSettings())
	if len(diags) != 1 {
		t.Fatalf("findings: %v", diags)
	}
	fix := analysis.SuppressFix(diags[0])
	out, err := analysis.ApplyEdits(f.Src, fix.Edits)
	if err != nil {
		t.Fatal(err)
	}
	want := "http {\n    server {\n        # nginxls:ignore hsts-missing\n        listen 443 ssl;\n    }\n}\n"
	if string(out) != want {
		t.Errorf("fixed:\n%s\nwant:\n%s", out, want)
	}
	// Once applied, the finding is silenced and the missing reason reported.
	f2 := syntax.Parse("s.conf", out)
	res := analysis.Analyze(config.Load(f2), []*analysis.Analyzer{rules.Lookup("hsts-missing"), analysis.Ignore}, analysis.DefaultSettings())
	if len(res.Suppressed) != 1 || len(res.Diagnostics) != 1 || res.Diagnostics[0].Rule != "nginxls-ignore" {
		t.Errorf("after the fix: shown %v, suppressed %v", res.Diagnostics, res.Suppressed)
	}
}

func TestParseSuppressions(t *testing.T) {
	src := "a b;  #nginxls:ignore  r1,r2\tbecause\n#nginxls:ignored x\n# nginxls:ignore\n\n"
	f := syntax.Parse("s.conf", []byte(src))
	sups := analysis.ParseSuppressions(f)
	if len(sups) != 2 {
		t.Fatalf("%d suppressions", len(sups))
	}
	s := sups[0]
	if s.Line != 1 || strings.Join(s.Rules, " ") != "r1 r2" || s.Reason != "because" || f.Text(s.Spans[1]) != "r2" {
		t.Errorf("first = %+v", s)
	}
	if sups[1].Line != 4 || len(sups[1].Rules) != 0 {
		t.Errorf("second = %+v", sups[1])
	}
}
