package rules_test

import (
	"strings"
	"testing"

	"github.com/nginxls/nginxls/analysis"
	"github.com/nginxls/nginxls/analysis/config"
	"github.com/nginxls/nginxls/analysis/rules"
	"github.com/nginxls/nginxls/analysis/syntax"
)

// Under the old profile, which keeps TLS 1.0 and 1.1, enabling them is
// information; under the others, a warning. SSLv3 stays an error.
func TestLegacyTLSUnderOldProfile(t *testing.T) {
	src := "events {}\nhttp {\n    ssl_protocols SSLv3 TLSv1 TLSv1.2;\n    server { listen 443 ssl; }\n}\n"
	for profile, want := range map[string]string{
		"old":          "tls-protocol-sslv3 error; tls-protocol-legacy-tls info",
		"intermediate": "tls-protocol-sslv3 error; tls-protocol-legacy-tls warning",
	} {
		s := analysis.DefaultSettings()
		s.Profile = profile
		diags, _ := analysis.Run(config.Load(syntax.Parse("nginx.conf", []byte(src))), []*analysis.Analyzer{rules.ProtocolSSLv3, rules.ProtocolLegacyTLS}, s)
		var got []string
		for _, d := range diags {
			got = append(got, d.Rule+" "+d.Severity.String())
		}
		if strings.Join(got, "; ") != want {
			t.Errorf("profile %s: %s, want %s", profile, strings.Join(got, "; "), want)
		}
	}
}
