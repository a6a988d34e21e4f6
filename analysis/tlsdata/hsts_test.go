package tlsdata

import (
	"strings"
	"testing"
)

func TestParseHSTS(t *testing.T) {
	for _, c := range []struct {
		in       string
		age      int64
		sub, pre bool
		problems string
	}{
		{"max-age=63072000; includeSubDomains; preload", 63072000, true, true, ""},
		{"MAX-AGE=\"300\"", 300, false, false, ""},
		{" max-age = 10 ;; includesubdomains ", 10, true, false, ""},
		{"max-age=0", 0, false, false, ""},
		{"includeSubDomains", 0, true, false, "the required max-age directive is missing"},
		{"max-age=1; max-age=2", 1, false, false, "the max-age directive appears twice"},
		{"max-age=-5", 0, false, false, "max-age=-5 is not a number of seconds"},
		{"max-age=1year", 0, false, false, "max-age=1year is not a number of seconds"},
		{"max-age=5; foo=\"a;b\"", 5, false, false, ""},
		{"max-age=5; includeSubDomains=yes", 5, true, false, "includeSubDomains takes no value"},
	} {
		h := ParseHSTS(c.in)
		if h.MaxAge != c.age || h.IncludeSubDomains != c.sub || h.Preload != c.pre || strings.Join(h.Problems, "; ") != c.problems {
			t.Errorf("ParseHSTS(%q) = %+v", c.in, h)
		}
	}
	if v := ParseHSTS("max-age=1; includeSubDomains").Value(63072000); v != "max-age=63072000; includeSubDomains" {
		t.Errorf("Value = %q", v)
	}
}

func TestProfiles(t *testing.T) {
	for _, c := range []struct{ name, id string }{
		{"", "intermediate-6.0"}, {"intermediate", "intermediate-6.0"}, {"modern", "modern-6.0"},
		{"old", "old-5.7"}, {"intermediate-5.7", "intermediate-5.7"}, {"Modern-5.7", "modern-5.7"},
	} {
		if p := LookupProfile(c.name); p == nil || p.ID() != c.id {
			t.Errorf("LookupProfile(%q) = %v, want %s", c.name, p, c.id)
		}
	}
	if LookupProfile("old-6.0") != nil || LookupProfile("paranoid") != nil {
		t.Error("unknown profiles are found")
	}
	im := LookupProfile("intermediate")
	if len(im.Ciphers) != 6 || im.HSTSMinAge != 63072000 || im.ServerPreferredOrder || !im.HasProtocol("TLSv1.2") || im.HasProtocol("TLSv1.1") {
		t.Errorf("intermediate 6.0 = %+v", im)
	}
	// OpenSSL before 3.5 has no ML-KEM groups: the generator leaves them out.
	if c := im.NginxCurves("3.0"); c != "X25519:prime256v1:secp384r1" {
		t.Errorf("curves for 3.0 = %q", c)
	}
	if old := LookupProfile("old"); len(old.Ciphers) != 26 || !old.ServerPreferredOrder || old.DHParamSize != 1024 {
		t.Errorf("old 5.7 = %+v", old)
	}
	if i57 := LookupProfile("intermediate-5.7"); len(i57.Ciphers) != 9 || !strings.HasPrefix(i57.Ciphers[6], "DHE-RSA-") {
		t.Errorf("intermediate 5.7 ciphers = %v", i57.Ciphers)
	}
}
