package lsp

import (
	"strings"
	"testing"
)

func TestParseSettings(t *testing.T) {
	s, err := parseSettings([]byte(`{"nginxls":{"nginxVersion":"1.24.0","openssl":"1.1.1","profile":"modern","certExpiryDays":14,"rules":{"server-tokens":"off","tls-early-data":"error"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	if s.Nginx.String() != "1.24.0" || s.OpenSSL != "1.1.1" || s.Profile != "modern" || s.CertExpiryDays != 14 ||
		s.Rules["server-tokens"] != "off" || s.Rules["tls-early-data"] != "error" {
		t.Errorf("settings: %+v", s)
	}
	// Bad values are reported; the good ones still apply.
	s, err = parseSettings([]byte(`{"nginxVersion":"x","openssl":"9","certExpiryDays":-1,"rules":{"nope":"off","server-tokens":"loud"},"profile":"old"}`))
	if err == nil {
		t.Fatal("no error for bad settings")
	}
	for _, want := range []string{"invalid version", "openssl profile 9", "certExpiryDays", "unknown rule nope", "server-tokens"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	if s.Profile != "old" {
		t.Errorf("the valid profile was dropped: %+v", s)
	}
}
