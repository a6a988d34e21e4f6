package rules_test

import (
	"testing"

	"github.com/nginxls/nginxls/internal/testenv"
)

// Certificates, keys and DH parameters for the certificate rules come from
// testenv: configurations under testdata/rules name them as certs/NAME; the
// rule tests serve them through the configuration's FS, the nginx test
// writes them next to the configuration it runs.

// certFixtures returns the files by the path configurations use.
func certFixtures(t testing.TB) map[string][]byte { return testenv.CertFixtures(t) }

// writeFixtures writes them under dir.
func writeFixtures(t testing.TB, dir string) { testenv.WriteCertFixtures(t, dir) }
