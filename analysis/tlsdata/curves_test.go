package tlsdata

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/nginxls/nginxls/internal/testenv"
)

func TestLookupGroup(t *testing.T) {
	for _, c := range []struct {
		name, openssl string
		supported     bool
		status        Status
		bits          int
	}{
		{"X25519", "3.0", true, Good, 255},
		{"x25519", "3.0", true, Good, 255},
		{"x25519", "1.1.1", false, Good, 255},
		{"secp256r1", "3.0", true, Good, 256},
		{"secp256r1", "1.1.1", false, Good, 256},
		{"prime256v1", "1.0.2", true, Good, 256},
		{"X25519", "1.0.2", false, Good, 255},
		{"prime192v1", "3.0", true, Weak, 192},
		{"P-224", "3.0", true, Legacy, 224},
		{"brainpoolP224r1", "3.0", false, Weak, 224},
		{"ffdhe2048", "1.1.1", false, Good, 2048},
		{"X25519MLKEM768", "3.0", false, Good, 255},
		{"nonsense", "3.0", false, Good, 0},
	} {
		g := LookupGroup(c.name, c.openssl)
		if g.Supported != c.supported || g.Status != c.status || g.Bits != c.bits {
			t.Errorf("LookupGroup(%q, %s) = supported %v status %v bits %d; want %v %v %d",
				c.name, c.openssl, g.Supported, g.Status, g.Bits, c.supported, c.status, c.bits)
		}
	}
	if got := SupportedSpelling("Prime256V1", "3.0"); got != "prime256v1" {
		t.Errorf("SupportedSpelling(Prime256V1) = %q", got)
	}
	if got := SupportedSpelling("secp256r1", "1.1.1"); got != "prime256v1" {
		t.Errorf("SupportedSpelling(secp256r1, 1.1.1) = %q", got)
	}
}

// TestGroupsAgainstOpenSSL asks the installed OpenSSL 3 which names it
// accepts as TLS groups: every name of the 3.0 profile must be accepted, and
// every other name in the table (other versions' spellings, newer groups,
// weak brainpool curves) rejected.
func TestGroupsAgainstOpenSSL(t *testing.T) {
	bin := testenv.LookPath(t, "openssl")
	out, err := exec.Command(bin, "version").Output()
	if err != nil || !strings.HasPrefix(string(out), "OpenSSL 3.") {
		t.Skipf("needs OpenSSL 3.x, found %q", out)
	}
	minor := strings.Split(strings.Fields(string(out))[1], ".")[1]
	if minor != "0" && minor != "1" {
		t.Skipf("the table's 3.0 profile is checked against OpenSSL 3.0/3.1, found %s", out)
	}
	accepts := func(name string) bool {
		// s_client sets the groups before it connects, and says so on failure.
		cmd := exec.Command(bin, "s_client", "-groups", name, "-connect", "127.0.0.1:9")
		b, _ := cmd.CombinedOutput()
		return !strings.Contains(string(b), "Error with command") && !strings.Contains(string(b), "cannot be set")
	}
	names := map[string]bool{}
	for _, g := range Groups {
		for _, n := range g.Names {
			names[n] = profileAtLeast("3.0", g.Since)
		}
		for _, n := range g.Legacy {
			if _, ok := names[n]; !ok {
				names[n] = false
			}
		}
	}
	for n := range weakBrainpool {
		names[n] = false
	}
	for n, want := range names {
		if got := accepts(n); got != want {
			t.Errorf("OpenSSL accepts %q: %v, the table says %v", n, got, want)
		}
	}
}
