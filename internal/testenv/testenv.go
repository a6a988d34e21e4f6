// Package testenv finds what tests need outside the Go toolchain: external
// programs (nginx, openssl, ...) and the real-world corpus. A missing one
// skips the test, unless NGINXLS_REQUIRE_TOOLS=1 (as in CI), where it fails.
package testenv

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// Required reports whether missing tools must fail tests instead of skipping them.
func Required() bool { return os.Getenv("NGINXLS_REQUIRE_TOOLS") == "1" }

// skip skips the test, or fails it when tools are required.
func skip(t testing.TB, format string, args ...any) {
	t.Helper()
	if Required() {
		t.Fatalf("NGINXLS_REQUIRE_TOOLS=1 but "+format, args...)
	}
	t.Skipf(format, args...)
}

// LookPath returns the path of an external program, or skips the test.
func LookPath(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		// nginx lives in /usr/sbin, which a non-root PATH may lack.
		for _, dir := range []string{"/usr/sbin", "/usr/local/sbin", "/sbin"} {
			if c := filepath.Join(dir, name); isExec(c) {
				return c
			}
		}
		skip(t, "%s is not installed (install it to run this test)", name)
	}
	return p
}

func isExec(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir() && st.Mode()&0o111 != 0
}

// RepoRoot returns the directory holding go.mod.
func RepoRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found above the test's directory")
		}
		dir = parent
	}
}

// Corpus returns the real-world corpus directory: $NGINXLS_CORPUS, or
// shared/corpus beside the repository. It skips the test when there is none.
func Corpus(t testing.TB) string {
	t.Helper()
	dir := os.Getenv("NGINXLS_CORPUS")
	if dir == "" {
		dir = filepath.Join(RepoRoot(t), "..", "shared", "corpus")
	}
	if _, err := os.Stat(filepath.Join(dir, "manifest.tsv")); err != nil {
		skip(t, "the nginx corpus was not found at %s (set NGINXLS_CORPUS)", dir)
	}
	return dir
}
