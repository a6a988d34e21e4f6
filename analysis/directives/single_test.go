package directives

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nginxls/nginxls/internal/testenv"
)

// TestSingleLive holds Single to the real nginx: each directive it knows,
// set twice in one server, is "duplicate"; array directives are not.
func TestSingleLive(t *testing.T) {
	nginx := testenv.LookPath(t, "nginx")
	dir := t.TempDir()
	try := func(line string) string {
		conf := filepath.Join(dir, "nginx.conf")
		src := "events {}\nhttp {\n    server {\n        " + line + "\n        " + line + "\n    }\n}\n"
		if err := os.WriteFile(conf, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		out, _ := exec.Command(nginx, "-t", "-q", "-e", "stderr", "-p", dir+"/", "-c", conf).CombinedOutput()
		return string(out)
	}
	checked := 0
	for name, value := range SingleSamples() {
		if value == "" {
			continue
		}
		if out := try(name + " " + value + ";"); !strings.Contains(out, `"`+name+`" directive is duplicate`) {
			t.Errorf("%s set twice: nginx says %q, want a duplicate", name, out)
		}
		checked++
	}
	for _, line := range []string{"add_header X-A 1;", "ssl_protocols TLSv1.2;", "ssl_conf_command Options -SessionTicket;", "proxy_set_header X-A 1;", "ssl_session_cache shared:S:1m;"} {
		name := strings.Fields(line)[0]
		if Single(name) {
			t.Errorf("%s may repeat, yet Single says it may not", name)
		}
		if out := try(line); strings.Contains(out, "is duplicate") {
			t.Errorf("%s set twice: nginx says %q", name, out)
		}
	}
	t.Logf("%d directives checked", checked)
}
