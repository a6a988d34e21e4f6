package directives

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nginxls/nginxls/internal/testenv"
)

// liveCases place a directive where the table allows it and where it does
// not. nginx -t must accept the first and answer "is not allowed here" to
// the second. Arguments are chosen to need no files or network.
var liveCases = []struct {
	line      string
	in, notIn Context
}{
	{"worker_processes 1;", Main, Events},
	{"pcre_jit on;", Main, HTTP},
	{"env TZ;", Main, Location},
	{"worker_connections 64;", Events, Main},
	{"multi_accept on;", Events, Server},
	{"error_log stderr;", Location, Events},
	{"sendfile on;", LocationIf, Upstream},
	{"ssl_protocols TLSv1.2 TLSv1.3;", Server, Location},
	{"ssl_ciphers HIGH:!aNULL;", HTTP, Location},
	{"ssl_session_cache shared:S:1m;", Server, Location},
	{"location /x { }", Location, HTTP},
	{"server_name example.com;", Server, Location},
	{"listen 127.0.0.1:8080;", Server, HTTP},
	{"root /tmp;", LocationIf, Upstream},
	{"alias /tmp/;", Location, Server},
	{"return 204;", ServerIf, HTTP},
	{"rewrite ^ /x;", ServerIf, HTTP},
	{"set $a 1;", LocationIf, HTTP},
	{"proxy_pass http://127.0.0.1:9;", LimitExcept, Server},
	{"proxy_set_header X-A 1;", HTTP, LocationIf},
	{"add_header X-A 1;", LocationIf, Upstream},
	{"keepalive 8;", Upstream, Location},
	{"ip_hash;", Upstream, Server},
	{"hash $uri consistent;", Upstream, HTTP},
	{"least_conn;", Upstream, Location},
	{"server 127.0.0.1:9 weight=2;", Upstream, Location},
	{"limit_req_zone $binary_remote_addr zone=r:1m rate=1r/s;", HTTP, Server},
	{"limit_conn_zone $binary_remote_addr zone=c:1m;", HTTP, Location},
	{"map $uri $m { default 1; }", HTTP, Server},
	{"geo $g { default 0; }", HTTP, Location},
	{"types { text/plain txt; }", Location, LocationIf},
	{"allow 127.0.0.1;", LimitExcept, Upstream},
	{"deny all;", LimitExcept, ServerIf},
	{"auth_basic off;", LimitExcept, Upstream},
	{"gzip on;", LocationIf, Upstream},
	{"gzip_types text/css;", HTTP, LocationIf},
	{"client_max_body_size 1m;", Location, Upstream},
	{"error_page 404 /x;", LocationIf, Upstream},
	{"try_files $uri =404;", Location, HTTP},
	{"internal;", Location, Server},
	{"log_format f '$remote_addr';", HTTP, Server},
	{"access_log off;", LimitExcept, Upstream},
	{"expires 1h;", LocationIf, Upstream},
	{"http2_max_concurrent_streams 64;", Server, Location},
	{"resolver 127.0.0.1;", Location, LocationIf},
	{"tcp_nodelay on;", Stream, StreamUpstream},
	{"proxy_timeout 10s;", StreamServer, StreamUpstream},
	{"ssl_preread on;", StreamServer, StreamUpstream},
	{"ssl_protocols TLSv1.2;", StreamServer, StreamUpstream},
	{"upstream su { server 127.0.0.1:9; }", Stream, StreamServer},
	{"hash $remote_addr;", StreamUpstream, Stream},
	{"server 127.0.0.1:9 max_fails=2;", StreamUpstream, StreamServer},
	{"smtp_auth plain;", MailServer, HTTP},
	{"imap_client_buffer 4k;", Mail, Location},
	{"starttls off;", MailServer, StreamServer},
}

const modulesDir = "/usr/lib/nginx/modules"

// wrap places line in a minimal configuration where it lands in ctx; the
// modules it needs are loaded apart (loadModules).
func wrap(prefix, line string, ctx Context) (string, error) {
	// nginx -t creates its temporary directories and opens its logs:
	// keep them all inside the prefix.
	httpHead := fmt.Sprintf("access_log off; client_body_temp_path %[1]s/t1; proxy_temp_path %[1]s/t2; "+
		"fastcgi_temp_path %[1]s/t3; uwsgi_temp_path %[1]s/t4; scgi_temp_path %[1]s/t5;\n", prefix)
	var conf string
	switch ctx {
	case Main:
		conf = line + "\nevents { }\n"
	case Events:
		conf = "events { " + line + " }\n"
	case HTTP:
		conf = "events { }\nhttp { " + httpHead + line + " }\n"
	case Server:
		conf = "events { }\nhttp { " + httpHead + "server { " + line + " } }\n"
	case Location:
		conf = "events { }\nhttp { " + httpHead + "server { location / { " + line + " } } }\n"
	case LocationIf:
		conf = "events { }\nhttp { " + httpHead + "server { location / { if ($args) { " + line + " } } } }\n"
	case ServerIf:
		conf = "events { }\nhttp { " + httpHead + "server { if ($args) { " + line + " } } }\n"
	case LimitExcept:
		conf = "events { }\nhttp { " + httpHead + "server { location / { limit_except GET { " + line + " } } } }\n"
	case Upstream:
		conf = "events { }\nhttp { " + httpHead + "upstream u { server 127.0.0.1:9; " + line + " } }\n"
	case Stream:
		conf = "events { }\nstream { " + line + " }\n"
	case StreamServer:
		conf = "events { }\nstream { server { listen 127.0.0.1:9; " + line + " return x; } }\n"
	case StreamUpstream:
		conf = "events { }\nstream { upstream su2 { server 127.0.0.1:9; " + line + " } }\n"
	case Mail:
		conf = "events { }\nmail { auth_http 127.0.0.1:9/auth; " + line + " server { listen 127.0.0.1:9; protocol imap; } }\n"
	case MailServer:
		conf = "events { }\nmail { auth_http 127.0.0.1:9/auth; server { listen 127.0.0.1:9; protocol smtp; " + line + " } }\n"
	default:
		return "", fmt.Errorf("no skeleton for %s", ctx)
	}
	return conf, nil
}

func directiveName(line string) string {
	return strings.FieldsFunc(line, func(r rune) bool { return r == ' ' || r == ';' })[0]
}

// argCount counts the arguments of a one-line test directive: the words
// before ';' or '{'. Quoted words in the cases hold no blanks.
func argCount(line string) int {
	if i := strings.IndexAny(line, ";{"); i >= 0 {
		line = line[:i]
	}
	return len(strings.Fields(line)) - 1
}

func TestNginxAgrees(t *testing.T) {
	nginx := testenv.LookPath(t, "nginx")
	root := t.TempDir()
	for i, c := range liveCases {
		name := directiveName(c.line)
		d, ok := LookupIn(name, c.in)
		if !ok {
			t.Errorf("%s: the table does not allow it in %s", name, c.in)
			continue
		}
		if !d.ArgsOK(argCount(c.line)) || d.Block != strings.Contains(c.line, "{") {
			t.Errorf("%s: the table rejects %q (args %s, block %v)", name, c.line, d.Args, d.Block)
		}
		if Allowed(name, c.notIn) {
			t.Errorf("%s: the table allows it in %s", name, c.notIn)
			continue
		}
		t.Run(fmt.Sprintf("%02d_%s", i, name), func(t *testing.T) {
			t.Parallel()
			dir := filepath.Join(root, fmt.Sprint(i))
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			for _, ctx := range []Context{c.in, c.notIn} {
				conf, err := wrap(dir, c.line, ctx)
				if err != nil {
					t.Fatal(err)
				}
				loads, ok := loadModules(d, ctx)
				if !ok {
					t.Skipf("the modules for %s in %s are not installed", name, ctx)
				}
				out, ok := nginxTest(t, nginx, dir, loads+conf)
				switch {
				case ctx == c.in && !ok:
					t.Errorf("nginx rejects %q in %s:\n%s\n%s", c.line, ctx, conf, out)
				case ctx == c.notIn && ok:
					t.Errorf("nginx accepts %q in %s:\n%s", c.line, ctx, conf)
				case ctx == c.notIn && !strings.Contains(out, fmt.Sprintf("%q directive is not allowed here", name)):
					t.Errorf("nginx rejects %q in %s for another reason:\n%s\n%s", c.line, ctx, conf, out)
				}
			}
		})
	}
}

func nginxTest(t *testing.T, nginx, dir, conf string) (string, bool) {
	t.Helper()
	path := filepath.Join(dir, "nginx.conf")
	if err := os.WriteFile(path, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(nginx, "-t", "-q", "-p", dir+"/", "-c", path, "-g", "pid "+dir+"/nginx.pid;")
	out, err := cmd.CombinedOutput()
	return string(out), err == nil
}
