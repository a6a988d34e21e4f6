package syntax_test

import (
	"bytes"
	"testing"

	"github.com/nginxls/nginxls/analysis/syntax"
)

// FuzzParse checks, for any input: no panic, the input is left alone, the
// tree is lossless and consistent (checkInvariants), and the parser agrees
// with the reference model of nginx's reader (checkAgainstNginx).
//
//	go test -run='^$' -fuzz=FuzzParse -fuzztime=150s ./analysis/syntax/
func FuzzParse(f *testing.F) {
	for _, src := range tableInputs() {
		f.Add([]byte(src))
	}
	f.Add([]byte(sample))
	f.Add([]byte(tlsServer))
	f.Fuzz(func(t *testing.T, src []byte) {
		orig := bytes.Clone(src)
		file := syntax.Parse("fuzz", src)
		if !bytes.Equal(src, orig) {
			t.Fatal("Parse changed its input")
		}
		checkInvariants(t, file)
		checkAgainstNginx(t, file)
	})
}

// tlsServer is a realistic seed with the directives the analyses care about.
const tlsServer = `server {
    listen 443 ssl http2;
    server_name example.com;
    ssl_certificate /etc/ssl/example.crt;
    ssl_protocols TLSv1.2 TLSv1.3;
    ssl_ciphers 'ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256';
    add_header Strict-Transport-Security "max-age=63072000" always;
    location ~* ^/api/(v\d+)/ {
        proxy_pass http://backend;
        proxy_set_header Host $host;
    }
    error_page 500 502 /50x.html;
}
`
