// Package synthtest generates large, realistic nginx configurations for
// benchmarks of the parser and of the analyses built on it.
package synthtest

import (
	"bytes"
	"fmt"
)

// GenerateTLSConfig returns a complete nginx.conf (events and http blocks)
// with the given number of TLS servers, nine lines each: listen 443 ssl,
// server_name, ssl_protocols, ssl_ciphers, add_header, a proxy_pass location
// and a regex location. Every seventh server has a weak TLS setup (TLSv1,
// RC4, 3DES) so that analyses have something to report. 3,000 servers make
// about 1 MB and 27,000 lines. The output depends only on servers.
func GenerateTLSConfig(servers int) []byte {
	var b bytes.Buffer
	b.Grow(servers * 340)
	b.WriteString("events {}\nhttp {\n")
	for i := 0; i < servers; i++ {
		protocols, ciphers := "TLSv1.2 TLSv1.3", "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256"
		if i%7 == 6 {
			protocols, ciphers = "TLSv1 TLSv1.1 TLSv1.2", "ECDHE-RSA-AES128-SHA:RC4-SHA:DES-CBC3-SHA:HIGH:!aNULL"
		}
		fmt.Fprintf(&b, `server {
    listen 443 ssl;
    server_name s%d.example.com;
    ssl_protocols %s;
    ssl_ciphers '%s';
    add_header Strict-Transport-Security "max-age=63072000" always;
    location / { proxy_pass http://127.0.0.1:%d; }
    location ~* \.(?:css|js|png)$ { expires 7d; }
}
`, i, protocols, ciphers, 8000+i%1000)
	}
	b.WriteString("}\n")
	return b.Bytes()
}
