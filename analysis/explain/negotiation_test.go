package explain_test

import (
	"strings"
	"testing"

	"github.com/nginxls/nginxls/analysis"
	"github.com/nginxls/nginxls/analysis/config"
	"github.com/nginxls/nginxls/analysis/explain"
	"github.com/nginxls/nginxls/analysis/syntax"
)

// Hover on ssl_protocols, ssl_ciphers and `listen ... ssl` says what the
// server negotiates, from the model: per version, the suites in the
// server's order, the groups, and why a configured version is refused.
func TestHoverNegotiation(t *testing.T) {
	const src = `http {
    ssl_protocols TLSv1 TLSv1.2 TLSv1.3;
    server {
        listen 443 ssl;
        ssl_ciphers ECDHE+AESGCM:AES128-SHA:DHE-RSA-AES128-GCM-SHA256;
        ssl_prefer_server_ciphers on;
        ssl_ecdh_curve X25519:secp384r1;
    }
}
`
	s := analysis.DefaultSettings()
	s.Platform = "debian-12"
	f := syntax.Parse("x.conf", []byte(src))
	cfg := config.Load(f)
	for _, needle := range []string{"ssl_protocols", "ssl_ciphers", "ssl;"} {
		md, _, ok := explain.At(cfg, f, strings.Index(src, needle)+1, s, nil)
		if !ok {
			t.Fatalf("no hover on %s", needle)
		}
		for _, want := range []string{
			"**Negotiation** on OpenSSL 3.0 on debian-12, security level 2 (debian-12's default)",
			"picked in this order",
			"- **TLSv1.3**: TLS_AES_256_GCM_SHA384, TLS_CHACHA20_POLY1305_SHA256, TLS_AES_128_GCM_SHA256; groups x25519, secp384r1",
			"- **TLSv1.2**: ECDHE-ECDSA-AES256-GCM-SHA384, ECDHE-RSA-AES256-GCM-SHA384, ECDHE-ECDSA-AES128-GCM-SHA256, ECDHE-RSA-AES128-GCM-SHA256, AES128-SHA; groups x25519, secp384r1",
			"- TLSv1: configured, not negotiable: security level 2 refuses the SHA-1 and MD5 signatures of TLS 1.0 and 1.1",
		} {
			if !strings.Contains(md, want) {
				t.Errorf("hover on %s lacks %q:\n%s", needle, want, md)
			}
		}
		// DHE without ssl_dhparam is configured, not negotiable.
		if strings.Contains(md, " DHE-RSA-AES128-GCM-SHA256") {
			t.Errorf("hover on %s lists a DHE suite without ssl_dhparam:\n%s", needle, md)
		}
	}
}
