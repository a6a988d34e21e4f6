package main

import (
	"strings"
	"testing"
)

// The bundled example is deliberately weak; `make run` shows these findings.
func TestExampleFlask(t *testing.T) {
	t.Parallel()
	const path = "testdata/examples/flask-tls.conf"
	r := nginxls(t, "", "check", path)
	r.wantCode(t, 1)
	got := rulesOf(parseText(t, r.stdout))
	for _, rule := range []string{"tls-protocol-legacy-tls", "tls-curve-weak", "tls-early-data", "nginx-listen-http2-deprecated"} {
		if !got[rule] {
			t.Errorf("no %s finding in %s:\n%s", rule, path, r.stdout)
		}
	}
	// The README quotes this line.
	if !strings.Contains(r.stdout, path+":31:23: warning: TLSv1 and TLSv1.1 are enabled") {
		t.Errorf("the TLSv1 finding moved from 31:23:\n%s", r.stdout)
	}
}
