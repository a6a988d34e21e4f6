package openssl_test

import (
	"testing"

	"github.com/nginxls/nginxls/analysis/openssl"
)

// FuzzEvaluate: any string, on every profile, evaluates without panicking,
// enables only suites the profile has (each once), and describes itself
// with items inside the string.
func FuzzEvaluate(f *testing.F) {
	for _, s := range []string{"HIGH:!aNULL:!MD5", "DEFAULT:@STRENGTH", "SUITEB128", "ALL:+RC4+RSA,-kRSA;!aNULL @SECLEVEL=2",
		"HIGH+", "(x)", "@", "EXP:LOW", "ECDHE-RSA-AES128-GCM-SHA256+HIGH", "DEFAULT", "a\x00HIGH"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, p := range openssl.Profiles {
			for _, r := range []*openssl.Result{openssl.Evaluate(s, p), openssl.EvaluateLenient(s, p)} {
				seen := map[*openssl.Suite]bool{}
				for i, su := range r.Suites {
					if !su.In(p) || seen[su] {
						t.Fatalf("%q on %s: suite %s not of the profile, or twice", s, p, su.Name)
					}
					seen[su] = true
					if e := r.EnabledBy[i]; e < 0 || e >= len(r.Items) {
						t.Fatalf("%q on %s: %s enabled by item %d of %d", s, p, su.Name, e, len(r.Items))
					}
				}
				for _, it := range r.Items {
					if it.Start < 0 || it.End > len(s) || it.Start > it.End {
						t.Fatalf("%q on %s: item %q at %d-%d", s, p, it.Text, it.Start, it.End)
					}
				}
				if r.Err == nil && len(r.Suites) == 0 {
					t.Fatalf("%q on %s: no suite and no error", s, p)
				}
			}
			cs := openssl.EvaluateCiphersuites(s, p)
			for _, it := range cs.Items {
				if s[it.Start:it.End] != it.Text {
					t.Fatalf("%q: Ciphersuites item %q at %d-%d", s, it.Text, it.Start, it.End)
				}
			}
		}
	})
}
