package rules_test

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nginxls/nginxls/analysis"
	"github.com/nginxls/nginxls/analysis/config"
	"github.com/nginxls/nginxls/analysis/rules"
	"github.com/nginxls/nginxls/analysis/syntax"
	"github.com/nginxls/nginxls/analysis/tlsdata"
	"github.com/nginxls/nginxls/internal/testenv"
)

// TestHandshakeImpossibleLive holds tls-handshake-impossible to real
// handshakes: the rule's test files, its documentation's examples and a grid of protocol lists and cipher
// strings are served by the installed nginx on 127.0.0.1, every protocol
// version is tried with openssl s_client, and a server where none
// completes must be exactly a server the rule reports.
func TestHandshakeImpossibleLive(t *testing.T) {
	nginx := testenv.LookPath(t, "nginx")
	client := testenv.LookPath(t, "openssl")
	if out, _ := exec.Command(client, "version").Output(); !strings.HasPrefix(string(out), "OpenSSL 3.") {
		t.Skipf("the rule's OpenSSL 3 model needs OpenSSL 3 to compare with; found %q", out)
	}
	dir := t.TempDir()
	testenv.WriteCert(t, dir)
	testenv.WriteRSACert(t, dir)
	settings := analysis.DefaultSettings()
	settings.Nginx = config.MustVersion(testenv.NginxVersion(t, nginx))

	var sources []string
	examples, _ := filepath.Glob(filepath.Join(testenv.RepoRoot(t), "testdata", "rules", rules.HandshakeImpossible.ID, "*.conf"))
	for _, e := range examples {
		src, err := os.ReadFile(e)
		if err != nil {
			t.Fatal(err)
		}
		// The examples for OpenSSL 1.0.2 are not this machine's, and some
		// say why they cannot be served here.
		if !strings.Contains(string(src), "openssl=1.0.2") && !strings.Contains(string(src), "# not served live:") {
			sources = append(sources, string(src))
		}
	}
	// The examples of the rule's documentation, Avoid and Prefer alike.
	exs, err := docExamples(rules.HandshakeImpossible.Doc)
	if err != nil {
		t.Fatal(err)
	}
	for _, ex := range exs {
		if ex.lang == "nginx" && ex.settings == "" {
			sources = append(sources, ex.src)
		}
	}
	sources = append(sources, handshakeGrid())

	var checked, impossible int
	for i, src := range sources {
		servers := serveLive(t, nginx, dir, fmt.Sprintf("c%d", i), src)
		f := syntax.Parse("nginx.conf", []byte(servers.src))
		diags, errs := analysis.Run(config.Load(f), []*analysis.Analyzer{rules.HandshakeImpossible}, settings)
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		probeAll(t, client, servers.list)
		for _, s := range servers.list {
			reported := false
			for _, d := range diags {
				if d.Span.Start > s.block.Open && d.Span.Start < s.block.Close {
					reported = true
				}
			}
			line, _ := f.Position(s.block.Open)
			if reported != (len(s.worked) == 0) {
				t.Errorf("server at line %d of source %d (%s): reported %v, handshakes that completed: %v", line, i, s.desc, reported, s.worked)
			}
			checked++
			if len(s.worked) == 0 {
				impossible++
			}
		}
	}
	t.Logf("%d servers, %d of them complete no handshake", checked, impossible)
	if checked < 80 || impossible < 10 {
		t.Errorf("too few servers compared (%d, %d without a handshake)", checked, impossible)
	}
}

// handshakeGrid is every non-empty protocol list of TLS 1.0 to 1.3 with a
// few cipher strings, one server each.
func handshakeGrid() string {
	versions := []string{"TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"}
	ciphers := []string{"", tlsdata.MozillaIntermediate, "ECDHE+AESGCM", "AES128-SHA", "HIGH:@SECLEVEL=0", "AES128-SHA256:@SECLEVEL=0"}
	var b strings.Builder
	b.WriteString("http {\n")
	for mask := 1; mask < 16; mask++ {
		var protos []string
		for i, v := range versions {
			if mask&(1<<i) != 0 {
				protos = append(protos, v)
			}
		}
		for _, c := range ciphers {
			fmt.Fprintf(&b, "    server {\n        listen 443 ssl;\n        ssl_protocols %s;\n", strings.Join(protos, " "))
			if c != "" {
				fmt.Fprintf(&b, "        ssl_ciphers %q;\n", c)
			}
			b.WriteString("    }\n")
		}
	}
	b.WriteString("}\n")
	return b.String()
}

type liveServer struct {
	block  *syntax.Block
	port   int
	desc   string
	worked []string // the versions a handshake completed with
}

type liveConfig struct {
	src  string
	list []*liveServer
}

var listenRE = regexp.MustCompile(`listen \d+ ssl;`)

// serveLive gives each server of src its own port on 127.0.0.1 and both
// certificates, starts nginx on it in the foreground and stops it when the
// test ends.
func serveLive(t *testing.T, nginx, dir, name, src string) liveConfig {
	t.Helper()
	f := syntax.Parse("nginx.conf", []byte(src))
	var servers []*syntax.Directive
	var walk func(ds []*syntax.Directive)
	walk = func(ds []*syntax.Directive) {
		for _, d := range ds {
			if d.Block == nil {
				continue
			}
			if d.Name.Value == "server" {
				servers = append(servers, d)
			}
			walk(d.Block.Directives)
		}
	}
	walk(f.Directives)
	ports := testenv.FreePorts(t, len(servers))
	i := 0
	src = listenRE.ReplaceAllStringFunc(src, func(string) string {
		i++
		return fmt.Sprintf("listen 127.0.0.1:%d ssl;", ports[i-1])
	})
	if i != len(servers) {
		t.Fatalf("%s: %d servers but %d listen lines", name, len(servers), i)
	}
	// The certificates go first in http, where every server inherits them;
	// the inserted line moves nothing after it, as it ends on the same line.
	certs := fmt.Sprintf(" ssl_certificate %[1]s/rsa.pem; ssl_certificate_key %[1]s/rsa.key; ssl_certificate %[1]s/cert.pem; ssl_certificate_key %[1]s/key.pem; access_log off;", dir)
	src = strings.Replace(src, "http {", "http {"+certs, 1)
	f = syntax.Parse("nginx.conf", []byte(src))
	servers = servers[:0]
	walk(f.Directives)
	var out liveConfig
	out.src = src
	for k, d := range servers {
		var desc []string
		for _, c := range d.Block.Directives {
			if strings.HasPrefix(c.Name.Value, "ssl_") {
				desc = append(desc, c.Name.Value+" "+strings.Join(c.ArgValues(), " "))
			}
		}
		out.list = append(out.list, &liveServer{block: d.Block, port: ports[k], desc: strings.Join(desc, "; ")})
	}

	prefix := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Join(prefix, "logs"), 0o755); err != nil {
		t.Fatal(err)
	}
	conf := filepath.Join(prefix, "nginx.conf")
	full := "events {}\npid " + filepath.Join(prefix, "nginx.pid") + ";\nerror_log " + filepath.Join(prefix, "error.log") + ";\n" + src
	if err := os.WriteFile(conf, []byte(full), 0o644); err != nil {
		t.Fatal(err)
	}
	// The analysed text must be the served one, line for line.
	out.src = "\n\n\n" + src
	f = syntax.Parse("nginx.conf", []byte(out.src))
	servers = servers[:0]
	walk(f.Directives)
	for k, d := range servers {
		out.list[k].block = d.Block
	}

	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, nginx, "-p", prefix, "-c", conf, "-g", "daemon off; master_process off;")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); _ = cmd.Wait() })
	deadline := time.Now().Add(10 * time.Second)
	for _, p := range ports {
		for {
			c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", p))
			if err == nil {
				c.Close()
				break
			}
			if time.Now().After(deadline) {
				log, _ := os.ReadFile(filepath.Join(prefix, "error.log"))
				t.Fatalf("nginx did not start on port %d: %s%s", p, stderr.String(), log)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	return out
}

var completedRE = regexp.MustCompile(`(?m)^New, (TLSv[0-9.]+|SSLv3), Cipher is ([A-Z0-9_-]+)$`)

// probeAll tries every server with every version, a client at security
// level 0 so that it can offer TLS 1.0 and every suite.
func probeAll(t *testing.T, client string, servers []*liveServer) {
	t.Helper()
	type job struct {
		s    *liveServer
		flag string
	}
	jobs := make(chan job)
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for j := range jobs {
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				out, _ := exec.CommandContext(ctx, client, "s_client", "-connect", fmt.Sprintf("127.0.0.1:%d", j.s.port),
					"-servername", "test", j.flag, "-cipher", "ALL:@SECLEVEL=0").CombinedOutput()
				cancel()
				if m := completedRE.FindSubmatch(out); m != nil && string(m[2]) != "NONE" {
					mu.Lock()
					j.s.worked = append(j.s.worked, string(m[1]))
					mu.Unlock()
				}
			}
		})
	}
	for _, s := range servers {
		for _, flag := range []string{"-tls1", "-tls1_1", "-tls1_2", "-tls1_3"} {
			jobs <- job{s, flag}
		}
	}
	close(jobs)
	wg.Wait()
}
