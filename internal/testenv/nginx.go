package testenv

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/nginxls/nginxls/analysis/syntax"
)

// NginxWrappers put a file of the corpus where its manifest context says it
// belongs, as the corpus was checked; %s is the file's name, and a main
// file is run as it is. access_log is off so that nginx -t opens no log
// outside its temporary prefix.
var NginxWrappers = map[string]string{
	"main":   "",
	"http":   "events {}\nhttp {\naccess_log off;\ninclude %s;\n}\n",
	"server": "events {}\nhttp {\naccess_log off;\nserver {\ninclude %s;\n}\n}\n",
}

var emergRE = regexp.MustCompile(`\[emerg\] (?:\d+#\d+: )?(.*?)(?: in (\S+):(\d+))?$`)

// NginxTest runs nginx -t on src placed in its context (a key of
// NginxWrappers) under prefix, a directory it makes and removes. When nginx
// rejects it, msg is its first [emerg] message without "in FILE:LINE", and
// line the line it names in src, or 0.
func NginxTest(nginx, prefix, context string, src []byte) (ok bool, msg string, line int, err error) {
	if err := os.MkdirAll(prefix, 0o755); err != nil {
		return false, "", 0, err
	}
	defer os.RemoveAll(prefix)
	const under = "test.conf"
	if err := os.WriteFile(filepath.Join(prefix, under), src, 0o644); err != nil {
		return false, "", 0, err
	}
	conf := under
	if w := NginxWrappers[context]; w != "" {
		conf = "nginx.conf"
		if err := os.WriteFile(filepath.Join(prefix, conf), fmt.Appendf(nil, w, under), 0o644); err != nil {
			return false, "", 0, err
		}
	}
	out, err := exec.Command(nginx, "-t", "-q", "-e", "stderr", "-p", prefix+"/", "-c", filepath.Join(prefix, conf)).CombinedOutput()
	if err == nil {
		return true, "", 0, nil
	}
	if _, isExit := err.(*exec.ExitError); !isExit {
		return false, "", 0, fmt.Errorf("running nginx: %v", err)
	}
	for _, l := range bytes.Split(out, []byte("\n")) {
		if m := emergRE.FindSubmatch(l); m != nil {
			if filepath.Base(string(m[2])) == under {
				line, _ = strconv.Atoi(string(m[3]))
			}
			return false, string(m[1]), line, nil
		}
	}
	return false, "", 0, fmt.Errorf("nginx -t fails without an [emerg] line: %s", out)
}

// TouchesOutsidePrefix reports whether nginx -t would open a file at an
// absolute path for this configuration (logs, pid, temporary directories,
// includes, modules): a test must not create files outside its temporary
// directory, nor depend on the machine's files.
func TouchesOutsidePrefix(f *syntax.File) bool {
	found := false
	syntax.Walk(f.Directives, func(d *syntax.Directive) bool {
		n := d.Name.Value
		if n == "access_log" || n == "error_log" || n == "pid" || n == "lock_file" || n == "include" || n == "load_module" ||
			strings.HasSuffix(n, "_temp_path") || strings.HasSuffix(n, "_cache_path") {
			for _, a := range d.Args {
				found = found || strings.HasPrefix(a.Value, "/")
			}
		}
		return true
	})
	return found
}

// NginxVersion is the version the nginx binary at bin reports (nginx -v),
// as X.Y.Z. (Not a config.Version: the directive table's tests, which
// config imports, use it too.)
func NginxVersion(t testing.TB, bin string) string {
	t.Helper()
	out, _ := exec.Command(bin, "-v").CombinedOutput()
	m := regexp.MustCompile(`nginx/(\d+\.\d+\.\d+)`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("cannot read the version of %s: %s", bin, out)
	}
	return string(m[1])
}

// FreePorts returns n TCP ports free on 127.0.0.1 just now, for a server
// a test starts.
func FreePorts(t testing.TB, n int) []int {
	t.Helper()
	var ls []net.Listener
	var ports []int
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		ls = append(ls, l)
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	for _, l := range ls {
		l.Close()
	}
	return ports
}
