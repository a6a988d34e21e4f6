//go:build unix

package main

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"
)

// site has two findings with fixes, each of its own rule, so that two
// runs can each fix one: --only tls-protocol-legacy-tls rewrites the
// ssl_protocols line, --only tls-early-data the ssl_early_data one.
const site = `server {
    listen 443 ssl;
    ssl_protocols TLSv1 TLSv1.1 TLSv1.2 TLSv1.3;
    ssl_early_data on;
}
`

const (
	protocolsFixed = "ssl_protocols TLSv1.2 TLSv1.3;"
	earlyDataFixed = "ssl_early_data off;"
)

// fixIn runs check --fix in this process, with beforeReplace set to hook
// for the run.
func fixIn(t *testing.T, hook func(path string), args ...string) result {
	t.Helper()
	beforeReplace = hook
	defer func() { beforeReplace = nil }()
	var stdout, stderr bytes.Buffer
	code := run(append([]string{"check", "--fix", "--fail-on", "never"}, args...), strings.NewReader(""), &stdout, &stderr)
	return result{stdout.String(), stderr.String(), code}
}

func appendTo(t *testing.T, path, text string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(text); err != nil {
		t.Fatal(err)
	}
}

func wantStderr(t *testing.T, r result, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(r.stderr, p) {
			t.Errorf("standard error lacks %q:\n%s", p, r.stderr)
		}
	}
}

// onlyFiles fails the test when dir holds files besides names (a temporary
// file left behind).
func onlyFiles(t *testing.T, dir string, names ...string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	if strings.Join(got, " ") != strings.Join(names, " ") {
		t.Errorf("files in the folder: %v, want %v", got, names)
	}
}

// A line appended while --fix runs, after it read the file and before it
// replaces it, is kept: --fix refuses to write the file and says so. The
// hard link takes the path that rewrites the file in place.
func TestFixRefusesAFileChangedMeanwhile(t *testing.T) {
	for _, hardLink := range []bool{false, true} {
		dir := t.TempDir()
		path := writeFile(t, dir, "site.conf", site)
		names := []string{"site.conf"}
		if hardLink {
			if err := os.Link(path, filepath.Join(dir, "z.conf")); err != nil {
				t.Fatal(err)
			}
			names = append(names, "z.conf")
		}
		const added = "# added by hand\n"
		calls := 0
		r := fixIn(t, func(p string) {
			calls++
			appendTo(t, p, added)
		}, "--only", "tls-protocol-legacy-tls", path)
		if calls != 1 {
			t.Errorf("hard link %v: the hook was called %d times, want 1", hardLink, calls)
		}
		if r.code != 2 {
			t.Errorf("hard link %v: exit status %d, want 2\n%s", hardLink, r.code, r.stderr)
		}
		if got := readFile(t, path); got != site+added {
			t.Errorf("hard link %v: file after --fix:\n%s\nwant the text read and the line added:\n%s", hardLink, got, site+added)
		}
		wantStderr(t, r, "not fixed: "+path+" changed since --fix read it", "--fix wrote nothing; not written: "+path)
		onlyFiles(t, dir, names...)
	}
}

// A file found changed just before it is replaced stops the writing: the
// files written before it stay written, and --fix names both.
func TestFixStopsAtAFileChangedMeanwhile(t *testing.T) {
	dir := t.TempDir()
	a := writeFile(t, dir, "a.conf", site)
	b := writeFile(t, dir, "b.conf", site)
	c := writeFile(t, dir, "c.conf", site)
	r := fixIn(t, func(p string) {
		if p == b {
			appendTo(t, p, "# added by hand\n")
		}
	}, "--only", "tls-early-data", dir)
	r.wantCode(t, 2)
	if got := readFile(t, a); !strings.Contains(got, earlyDataFixed) {
		t.Errorf("a.conf, written before, is not fixed:\n%s", got)
	}
	if got := readFile(t, b); got != site+"# added by hand\n" {
		t.Errorf("b.conf:\n%s", got)
	}
	if got := readFile(t, c); got != site {
		t.Errorf("c.conf, after the file that changed, was written:\n%s", got)
	}
	wantStderr(t, r, "not fixed: "+b+" changed since --fix read it", "--fix wrote "+a+"; not written: "+b+", "+c)
	onlyFiles(t, dir, "a.conf", "b.conf", "c.conf")
}

// Two runs on one file end with both fixes, or with one refused; never
// with a fix lost. First the worst case, made on purpose: a second run
// fixes the file while the first is about to replace it. Then runs side
// by side, as they come.
func TestFixConcurrentRuns(t *testing.T) {
	dir := t.TempDir()
	path := writeFile(t, dir, "site.conf", site)
	var other result
	r := fixIn(t, func(string) {
		other = nginxls(t, "", "check", "--fix", "--fail-on", "never", "--only", "tls-early-data", path)
	}, "--only", "tls-protocol-legacy-tls", path)
	other.wantCode(t, 0)
	r.wantCode(t, 2)
	wantStderr(t, r, "not fixed: "+path+" changed since --fix read it")
	if got := readFile(t, path); !strings.Contains(got, earlyDataFixed) || !strings.Contains(got, "TLSv1 TLSv1.1 TLSv1.2 TLSv1.3") {
		t.Errorf("want the second run's fix only:\n%s", got)
	}

	for i := 0; i < 10; i++ {
		if err := os.WriteFile(path, []byte(site), 0o644); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		var rs [2]result
		for j, rule := range []string{"tls-protocol-legacy-tls", "tls-early-data"} {
			wg.Go(func() {
				rs[j] = runBinary(t, binary, "", "check", "--fix", "--fail-on", "never", "--only", rule, path)
			})
		}
		wg.Wait()
		got := readFile(t, path)
		for j, want := range []string{protocolsFixed, earlyDataFixed} {
			switch {
			case rs[j].code == 0 && !strings.Contains(got, want):
				t.Fatalf("run %d: a fix was lost (exit 0, %q missing):\n%s", i, want, got)
			case rs[j].code == 2 && !strings.Contains(rs[j].stderr, "changed since --fix read it"):
				t.Fatalf("run %d: exit 2 for another reason:\n%s", i, rs[j].stderr)
			case rs[j].code != 0 && rs[j].code != 2:
				t.Fatalf("run %d: exit status %d\n%s", i, rs[j].code, rs[j].stderr)
			}
		}
		onlyFiles(t, dir, "site.conf")
	}
}

// --fix keeps the setuid, setgid and sticky bits and the extended
// attributes of the file it replaces (and, as root, its owner).
func TestFixKeepsModeBitsAndXattrs(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := writeFile(t, dir, "site.conf", site)
	if os.Getuid() == 0 {
		// The new file is then given away, which clears setuid and setgid.
		if err := os.Chown(path, 4321, 8765); err != nil {
			t.Fatal(err)
		}
	}
	mode := 0o640 | os.ModeSetuid | os.ModeSetgid | os.ModeSticky
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
	xattrs := true
	if err := unix.Setxattr(path, "user.test", []byte("kept"), 0); err != nil {
		if !errors.Is(err, unix.ENOTSUP) && !errors.Is(err, unix.EPERM) {
			t.Fatal(err)
		}
		xattrs = false
		t.Logf("no user extended attributes here (%v): only the mode is checked", err)
	}
	before, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if before.Mode() != mode {
		t.Skipf("this file system keeps mode %v of %v", before.Mode(), mode)
	}
	nginxls(t, "", "check", "--fix", "--fail-on", "never", path).wantCode(t, 0)
	if got := readFile(t, path); !strings.Contains(got, protocolsFixed) {
		t.Fatalf("nothing was fixed:\n%s", got)
	}
	after, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if os.SameFile(before, after) {
		t.Errorf("the file was rewritten in place, not replaced: the copy of its attributes went untested")
	}
	if after.Mode() != mode {
		t.Errorf("mode %v, want %v", after.Mode(), mode)
	}
	if xattrs {
		buf := make([]byte, 64)
		n, err := unix.Getxattr(path, "user.test", buf)
		if err != nil || string(buf[:n]) != "kept" {
			t.Errorf("user.test after --fix: %q, %v; want \"kept\"", buf[:n], err)
		}
	}
	onlyFiles(t, dir, "site.conf")
}

// A file with two names is rewritten in place: both names still lead to
// one file, fixed.
func TestFixKeepsHardLinks(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := writeFile(t, dir, "site.conf", site)
	other := filepath.Join(dir, "other-name")
	if err := os.Link(path, other); err != nil {
		t.Fatal(err)
	}
	nginxls(t, "", "check", "--fix", "--fail-on", "never", path).wantCode(t, 0)
	a, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.Stat(other)
	if err != nil {
		t.Fatal(err)
	}
	if !os.SameFile(a, b) {
		t.Errorf("the hard link was split")
	}
	if s := a.Sys().(*syscall.Stat_t); s.Nlink != 2 {
		t.Errorf("link count %d, want 2", s.Nlink)
	}
	if got := readFile(t, other); !strings.Contains(got, protocolsFixed) || !strings.Contains(got, earlyDataFixed) {
		t.Errorf("not fixed through the other name:\n%s", got)
	}
	onlyFiles(t, dir, "other-name", "site.conf")
}

// A read-only file is not rewritten, even by root (who passes the
// permission checks, so the mode decides), nor through a link; and since
// the fixes are written together or not at all, the other files are held
// back with it.
func TestFixLeavesReadOnlyFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	a := writeFile(t, dir, "a.conf", site)
	ro := writeFile(t, dir, "b.conf", site)
	if err := os.Chmod(ro, 0o444); err != nil {
		t.Fatal(err)
	}
	r := nginxls(t, "", "check", "--fix", "--fail-on", "never", dir)
	r.wantCode(t, 2)
	wantStderr(t, r, "not fixed: "+ro+" is read-only", "--fix wrote nothing; not written: "+a+", "+ro)
	for _, p := range []string{a, ro} {
		if got := readFile(t, p); got != site {
			t.Errorf("%s was rewritten:\n%s", p, got)
		}
	}
	if st, err := os.Stat(ro); err != nil || st.Mode().Perm() != 0o444 {
		t.Errorf("mode of the read-only file: %v %v", st.Mode(), err)
	}

	link := filepath.Join(t.TempDir(), "site.conf")
	if err := os.Symlink(ro, link); err != nil {
		t.Fatal(err)
	}
	r = nginxls(t, "", "check", "--fix", "--fail-on", "never", link)
	r.wantCode(t, 2)
	wantStderr(t, r, " is read-only")
	if got := readFile(t, ro); got != site {
		t.Errorf("rewritten through a link:\n%s", got)
	}
	if st, err := os.Lstat(link); err != nil || st.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link was replaced: %v %v", st, err)
	}
	onlyFiles(t, dir, "a.conf", "b.conf")
}

// A link is kept a link to the fixed file, and a relative one too; the
// file it leads to keeps its mode.
func TestFixWritesThroughLinks(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	target := writeFile(t, dir, "sites-available/app.conf", site)
	if err := os.Chmod(target, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "sites-enabled"), 0o755); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "sites-enabled", "app.conf")
	if err := os.Symlink("../sites-available/app.conf", link); err != nil {
		t.Fatal(err)
	}
	nginxls(t, "", "check", "--fix", "--fail-on", "never", link).wantCode(t, 0)
	if got := readFile(t, target); !strings.Contains(got, protocolsFixed) {
		t.Errorf("the file the link leads to is not fixed:\n%s", got)
	}
	if dest, err := os.Readlink(link); err != nil || dest != "../sites-available/app.conf" {
		t.Errorf("the link now leads to %q (%v)", dest, err)
	}
	if st, err := os.Stat(target); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("mode of the file: %v %v", st.Mode(), err)
	}
	onlyFiles(t, filepath.Join(dir, "sites-enabled"), "app.conf")
	onlyFiles(t, filepath.Join(dir, "sites-available"), "app.conf")
}
