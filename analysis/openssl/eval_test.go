package openssl_test

import (
	"strings"
	"testing"

	"github.com/nginxls/nginxls/analysis/openssl"
	"github.com/nginxls/nginxls/analysis/tlsdata"
)

func TestData(t *testing.T) {
	ids, names, iana := map[uint16]bool{}, map[string]bool{}, map[string]bool{}
	for _, s := range openssl.AllSuites() {
		if ids[s.ID] || names[s.Name] || iana[s.IANA] {
			t.Errorf("%s: duplicate id or name", s.Name)
		}
		ids[s.ID], names[s.Name], iana[s.IANA] = true, true, true
		for _, p := range openssl.Profiles {
			if !s.In(p) {
				continue
			}
			classes := 0
			for _, c := range []openssl.Strength{openssl.StrongNone, openssl.Low, openssl.Medium, openssl.High, openssl.Export} {
				if s.StrengthOn(p)&c != 0 {
					classes++
				}
			}
			if classes != 1 {
				t.Errorf("%s on %s: class flags %v", s.Name, p, s.StrengthOn(p))
			}
		}
		if !strings.HasPrefix(s.IANA, "TLS_") || s.Kx == 0 || s.Auth == 0 || s.Enc == 0 || s.MAC == 0 {
			t.Errorf("%s: incomplete record %+v", s.Name, s)
		}
	}
	for _, s := range openssl.SuitesOf("3.0") {
		if !s.In("1.1.1") {
			t.Errorf("%s is in 3.0 but not in 1.1.1", s.Name)
		}
	}
	counts := map[string]int{"3.0": 155, "1.1.1": 160, "1.0.2": 134}
	for p, n := range counts {
		if got := len(openssl.SuitesOf(p)); got != n {
			t.Errorf("%s has %d suites, want %d", p, got, n)
		}
		if got := len(openssl.Preference(p)); got != n {
			t.Errorf("the preference order of %s has %d suites, want %d", p, got, n)
		}
	}
}

func TestCanonical(t *testing.T) {
	for in, want := range map[string]string{"3.0": "3.0", "3.5.1": "3.0", "3": "3.0", "": "3.0", "1.1.1w": "1.1.1",
		"1.1.0": "1.1.1", "1.0.2k": "1.0.2", "1.0.1": "1.0.2", "OpenSSL 1.0.2": "1.0.2", "0.9.8": "1.0.2"} {
		if got := openssl.Canonical(in); got != want {
			t.Errorf("Canonical(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestAttribution checks that every enabled suite points at the item that
// enabled it, with exact offsets.
func TestAttribution(t *testing.T) {
	s := "ECDHE+AESGCM:RC4 kRSA+AES128,-kRSA;!aNULL:+SHA1:DES-CBC3-SHA:AES128-SHA"
	r := openssl.Evaluate(s, "3.0")
	if r.Err != nil {
		t.Fatal(r.Err)
	}
	var got []string
	for _, it := range r.Items {
		if s[it.Start:it.End] != it.Text {
			t.Errorf("item %q has offsets %d-%d covering %q", it.Text, it.Start, it.End, s[it.Start:it.End])
		}
		for _, w := range it.Words {
			if s[w.Start:w.End] != w.Text {
				t.Errorf("word %q has offsets %d-%d", w.Text, w.Start, w.End)
			}
		}
		got = append(got, it.Op.String()+":"+it.Text)
	}
	want := "add:ECDHE+AESGCM add:RC4 add:kRSA+AES128 remove:-kRSA kill:!aNULL order:+SHA1 add:DES-CBC3-SHA add:AES128-SHA"
	if strings.Join(got, " ") != want {
		t.Errorf("items:\n got  %s\n want %s", strings.Join(got, " "), want)
	}
	by := map[string]string{}
	for i, su := range r.Suites {
		by[su.Name] = r.Items[r.EnabledBy[i]].Text
	}
	for suite, item := range map[string]string{"ECDHE-RSA-AES128-GCM-SHA256": "ECDHE+AESGCM", "AES128-SHA": "AES128-SHA"} {
		if by[suite] != item {
			t.Errorf("%s enabled by %q, want %q", suite, by[suite], item)
		}
	}
	if n := len(r.Suites); n != 5 {
		t.Errorf("%d suites: %v", n, r.Names())
	}
	rc4 := r.Items[1]
	if !rc4.Ignored() || rc4.Known || rc4.Words[0].Kind != openssl.WordUnknown {
		t.Errorf("RC4 on 3.0 should be an ignored, unknown word: %+v", rc4)
	}
	if k := r.Items[4]; len(k.Changed) != 0 || len(k.Matched) == 0 {
		t.Errorf("!aNULL matched %d and removed %d enabled suites; want some and none", len(k.Matched), len(k.Changed))
	}
	if d := r.Items[3]; len(d.Changed) != 5 {
		t.Errorf("-kRSA disabled %v; want the 5 AES128 static-RSA suites", d.Changed)
	}
	// DEFAULT and SUITEB expansions are credited to their keyword.
	r = openssl.Evaluate("DEFAULT:!kRSA", "3.0")
	if r.Items[0].Op != openssl.OpDefault || r.Items[0].Text != "DEFAULT" || r.Items[r.EnabledBy[0]].Op != openssl.OpDefault {
		t.Errorf("DEFAULT: %+v", r.Items[0])
	}
	if it := r.Items[1]; it.Text != "!kRSA" || it.Start != 8 {
		t.Errorf("the item after DEFAULT: %+v", it)
	}
}

func TestErrors(t *testing.T) {
	for _, c := range []struct {
		s, profile, reason string
		start, end         int
	}{
		{"HIGH:(foo)", "3.0", "invalid command", 5, 6},
		{"HIGH+", "3.0", "invalid command", 0, 5},
		{"@SECLEVEL=7:HIGH", "3.0", "invalid command", 0, 11},
		{"@SECLEVEL=1:HIGH", "1.0.2", "invalid command", 0, 9},
		{"RC4-SHA:DES-CBC3-SHA", "3.0", "no cipher match", 0, 20},
		{"TLS_AES_128_GCM_SHA256", "3.0", "no cipher match", 0, 22},
		{"high:!anull", "1.1.1", "no cipher match", 0, 11},
		{"!ALL", "1.0.2", "no cipher match", 0, 4},
	} {
		r := openssl.Evaluate(c.s, c.profile)
		if r.Err == nil || r.Err.Reason != c.reason || r.Err.Start != c.start || r.Err.End != c.end || len(r.Suites) != 0 {
			t.Errorf("Evaluate(%q, %s): %+v, %d suites; want %s at %d-%d", c.s, c.profile, r.Err, len(r.Suites), c.reason, c.start, c.end)
		}
	}
	// Lenient evaluation reads on.
	if r := openssl.EvaluateLenient("@SECLEVEL=0:RC4:HIGH", "1.0.2"); r.Err == nil || len(openssl.Select(r.Suites, openssl.WeakRC4)) == 0 {
		t.Errorf("lenient 1.0.2 evaluation: %v, %d suites", r.Err, len(r.Suites))
	}
}

// TestLegacyProfiles pins what older builds do with well-known strings. No
// OpenSSL 1.x is at hand: these follow the releases' rules as documented.
func TestLegacyProfiles(t *testing.T) {
	count := func(s, p string, w openssl.Weakness) int {
		r := openssl.Evaluate(s, p)
		if r.Err != nil {
			t.Fatalf("Evaluate(%q, %s): %v", s, p, r.Err)
		}
		return len(openssl.Select(r.Suites, w))
	}
	// 3DES was HIGH on legacy builds: nginx's default enabled it.
	if n := count("HIGH:!aNULL:!MD5", "1.0.2", openssl.Weak3DES); n == 0 {
		t.Error("HIGH:!aNULL:!MD5 on 1.0.2 should enable 3DES")
	}
	if n := count("HIGH:!aNULL:!MD5", "3.0", openssl.Weak3DES); n != 0 {
		t.Error("HIGH:!aNULL:!MD5 on 3.0 enables 3DES")
	}
	// The nginx docs example enables RC4, export and DES there.
	ex := "ALL:!aNULL:!EXPORT56:RC4+RSA:+HIGH:+MEDIUM:+LOW:+SSLv2:+EXP"
	for _, w := range []openssl.Weakness{openssl.WeakRC4, openssl.WeakExport, openssl.WeakDES, openssl.WeakMD5} {
		if count(ex, "1.0.2", w) == 0 {
			t.Errorf("%s on 1.0.2 should enable %s suites", ex, openssl.Explain(w).Name)
		}
		if count(ex, "3.0", w) != 0 {
			t.Errorf("%s on 3.0 enables %s suites", ex, openssl.Explain(w).Name)
		}
	}
	// DEFAULT on 1.0.2 kept RC4 and dropped export; 1.1.1 has SEED and IDEA in ALL.
	if count("DEFAULT", "1.0.2", openssl.WeakRC4) == 0 || count("DEFAULT", "1.0.2", openssl.WeakExport) != 0 {
		t.Error("DEFAULT on 1.0.2: RC4 but no export expected")
	}
	if count("ALL", "1.1.1", openssl.WeakDES) != 5 || count("DEFAULT", "1.1.1", openssl.WeakDES) != 0 {
		t.Error("1.1.1: ALL should enable IDEA and 4 SEED suites, DEFAULT none")
	}
	// 1.0.2 matched explicit names by their algorithms, and its ECDH
	// included static ECDH.
	if count("ECDH+AES128", "1.0.2", openssl.WeakNoFS) == 0 || count("ECDH+AES128", "3.0", openssl.WeakNoFS) != 0 {
		t.Error("ECDH on 1.0.2 includes static ECDH, on 3.0 only ECDHE")
	}
	// The COMPLEMENTOFDEFAULT quirk of 1.1.0+.
	a := openssl.Evaluate("COMPLEMENTOFDEFAULT+HIGH", "1.1.1")
	b := openssl.Evaluate("HIGH", "1.1.1")
	if len(a.Suites) != len(b.Suites) {
		t.Errorf("COMPLEMENTOFDEFAULT+HIGH has %d suites, HIGH %d", len(a.Suites), len(b.Suites))
	}
	// 1.0.2's preference order starts with ECDHE-RSA, not ECDHE-ECDSA.
	if pre := openssl.Preference("1.0.2"); pre[0].Name != "ECDHE-RSA-AES256-GCM-SHA384" {
		t.Errorf("1.0.2 prefers %s first", pre[0].Name)
	}
}

func TestExclusions(t *testing.T) {
	for _, p := range openssl.Profiles {
		all := openssl.Evaluate("ALL:COMPLEMENTOFALL", p)
		for _, w := range openssl.Weaknesses {
			if w == openssl.WeakCBC {
				continue // the remedy is another list, not an exclusion
			}
			ex := w.Exclusions(all.Suites)
			if len(openssl.Select(all.Suites, w)) > 0 && len(ex) == 0 {
				t.Errorf("%s on %s: no exclusions", openssl.Explain(w).Name, p)
				continue
			}
			s := "ALL:COMPLEMENTOFALL:" + strings.Join(ex, ":")
			r := openssl.Evaluate(s, p)
			if r.Err == nil && len(openssl.Select(r.Suites, w)) > 0 {
				t.Errorf("%s on %s still enables %v", s, p, openssl.Select(r.Suites, w))
			}
		}
	}
}

func TestGrade(t *testing.T) {
	for name, want := range map[string]string{"ECDHE-RSA-AES128-GCM-SHA256": "good", "ECDHE-RSA-AES128-SHA": "legacy",
		"AES128-GCM-SHA256": "weak", "DES-CBC3-SHA": "weak", "RC4-SHA": "insecure", "NULL-SHA": "insecure",
		"ADH-AES128-SHA": "insecure", "EXP-RC4-MD5": "insecure", "DHE-RSA-CHACHA20-POLY1305": "good"} {
		if got := openssl.Grade(openssl.LookupSuite(name)); got != want {
			t.Errorf("Grade(%s) = %s, want %s", name, got, want)
		}
	}
	for _, w := range openssl.Weaknesses {
		if e := openssl.Explain(w); e == nil || e.Summary == "" || e.Name == "" || e.One == "" || e.Many == "" {
			t.Errorf("weakness %d lacks an explanation", w)
		}
	}
}

func TestSuggest(t *testing.T) {
	for in, want := range map[string]string{"high": "HIGH", "aNull": "aNULL", "ECDHE-RSA-AES128-GCM-SHA265": "ECDHE-RSA-AES128-GCM-SHA256",
		"TLS_RSA_WITH_AES_128_CBC_SHA": "AES128-SHA", "EECDH": "EECDH", "XYZZY-FOO": ""} {
		if got := openssl.Suggest(in, "3.0"); got != want {
			t.Errorf("Suggest(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCiphersuites(t *testing.T) {
	r := openssl.EvaluateCiphersuites("TLS_AES_128_GCM_SHA256: TLS_FOO :TLS_AES_128_CCM_8_SHA256", "3.0")
	if r.Err != nil || len(r.Suites) != 2 || len(r.Items) != 3 || r.Items[1].Suite != nil || r.Items[1].Start != 24 || r.Items[1].End != 31 {
		t.Errorf("%+v", r)
	}
	if r := openssl.EvaluateCiphersuites("", "3.0"); r.Err != nil || len(r.Suites) != 0 {
		t.Errorf("an empty list is allowed: %+v", r)
	}
	if r := openssl.EvaluateCiphersuites(tlsdata.MozillaCiphersuites, "1.0.2"); r.Err == nil {
		t.Error("1.0.2 has no TLS 1.3")
	}
}

// TestConcurrent evaluates the same and different strings from many
// goroutines (run with -race).
func TestConcurrent(t *testing.T) {
	strs := []string{"HIGH:!aNULL:!MD5", "DEFAULT", "ALL:@STRENGTH", "RC4:HIGH"}
	done := make(chan bool)
	for g := 0; g < 8; g++ {
		go func() {
			for i := 0; i < 50; i++ {
				s := strs[(g+i)%len(strs)]
				for _, p := range openssl.Profiles {
					if r := openssl.Evaluate(s, p); r.Err != nil && s != "RC4:HIGH" {
						t.Error(r.Err)
					}
				}
			}
			done <- true
		}()
	}
	for g := 0; g < 8; g++ {
		<-done
	}
}
