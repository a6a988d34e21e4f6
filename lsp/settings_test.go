package lsp

import (
	"strings"
	"testing"

	"github.com/nginxls/nginxls/analysis"
)

func TestParseSettings(t *testing.T) {
	es, err := parseSettings([]byte(`{"nginxls":{"nginxVersion":"1.24.0","openssl":"1.1.1","profile":"modern","certExpiryDays":14,"mainConfig":"conf/nginx.conf","rules":{"server-tokens":"off","tls-early-data":"ERROR"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	s := analysis.DefaultSettings().With(es.values)
	if s.Nginx.String() != "1.24.0" || s.OpenSSL != "1.1.1" || s.Profile != "modern" || s.CertExpiryDays != 14 ||
		s.Rules["server-tokens"] != analysis.Off || s.Rules["tls-early-data"] != analysis.Error || es.mainConfig != "conf/nginx.conf" {
		t.Errorf("settings: %+v, %+v", s, es)
	}
	// Bad values are reported; the good ones still apply.
	es, err = parseSettings([]byte(`{"nginxVersion":"x","openssl":"9","certExpiryDays":-1,"rules":{"nope":"off","server-tokens":"loud"},"profile":"old","mainConfig":3}`))
	if err == nil {
		t.Fatal("no error for bad settings")
	}
	for _, want := range []string{`nginx version "x"`, `OpenSSL target "9"`, `certificate expiry days "-1"`, `unknown rule "nope"`, `rule server-tokens: "loud"`, "mainConfig must be a string"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	if es.values.Profile != "old" || es.values.Nginx != nil || es.values.OpenSSL != "" {
		t.Errorf("the valid profile was dropped or a bad value kept: %+v", es.values)
	}
	// What editors send for settings left alone is unset: a project
	// file's values stand.
	es, err = parseSettings([]byte(`{"nginxls":{"nginxVersion":"","openssl":"","profile":"","certExpiryDays":0,"mainConfig":"","rules":{}}}`))
	if err != nil || es.values.Nginx != nil || es.values.OpenSSL != "" || es.values.Profile != "" || es.values.CertExpiryDays != nil || len(es.values.Rules) != 0 {
		t.Errorf("editor defaults: %+v, %v", es.values, err)
	}
	// A value of the wrong JSON type is named by its key.
	if _, err := parseSettings([]byte(`{"nginxVersion":1.24,"certExpiryDays":"14"}`)); err == nil ||
		!strings.Contains(err.Error(), "nginxVersion must be a string") || !strings.Contains(err.Error(), "certExpiryDays must be a number") {
		t.Errorf("wrong types: %v", err)
	}
}
