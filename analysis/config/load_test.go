package config_test

import (
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/nginxls/nginxls/analysis/config"
	"github.com/nginxls/nginxls/analysis/directives"
	"github.com/nginxls/nginxls/analysis/syntax"
	"github.com/nginxls/nginxls/internal/testenv"
)

func memTree() config.MemFS {
	return config.MemFS{
		"/etc/nginx/nginx.conf": []byte(`events {}
http {
    ssl_protocols TLSv1 TLSv1.2;
    include conf.d/*.conf;
    include missing.conf;
    include none.d/*.conf;
}
`),
		"/etc/nginx/conf.d/a.conf": []byte(`server {
    listen 443 ssl;
    server_name a.example;
    include snippets/ssl.conf;
}
`),
		"/etc/nginx/conf.d/b.conf": []byte(`server {
    listen 443 ssl;
    server_name b.example;
    include snippets/ssl.conf;
    ssl_protocols TLSv1.3;
}
`),
		"/etc/nginx/snippets/ssl.conf": []byte("ssl_ciphers HIGH;\nssl_early_data on;\n"),
		"/etc/nginx/loop/a.conf":       []byte("include loop/b.conf;\n"),
		"/etc/nginx/loop/b.conf":       []byte("include loop/a.conf;\n"),
	}
}

func TestLoadTree(t *testing.T) {
	c, err := config.LoadTree(memTree(), "/etc/nginx/nginx.conf", nil)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range c.Files {
		names = append(names, f.Name)
	}
	if got := strings.Join(names, " "); got != "/etc/nginx/nginx.conf /etc/nginx/conf.d/a.conf /etc/nginx/snippets/ssl.conf /etc/nginx/conf.d/b.conf" {
		t.Errorf("files (each once, in include order): %s", got)
	}
	if len(c.Servers) != 2 {
		t.Fatalf("%d servers", len(c.Servers))
	}
	a, b := c.Servers[0], c.Servers[1]
	if a.File.Name != "/etc/nginx/conf.d/a.conf" || !c.IsTLS(a) {
		t.Errorf("server a: file %s", a.File.Name)
	}
	// a inherits ssl_protocols from nginx.conf; b sets its own.
	if d := c.Effective(a.Block, "ssl_protocols"); d == nil || c.FileOf(d).Name != "/etc/nginx/nginx.conf" {
		t.Errorf("server a's ssl_protocols comes from %v", d)
	}
	if d := c.Effective(b.Block, "ssl_protocols"); d == nil || c.FileOf(d).Name != "/etc/nginx/conf.d/b.conf" {
		t.Errorf("server b's ssl_protocols comes from %v", d)
	}
	// The snippet is included twice: one copy in each server, each with its
	// own parent, both in the snippet's file.
	early := c.Named("ssl_early_data")
	if len(early) != 2 || early[0].File.Name != "/etc/nginx/snippets/ssl.conf" {
		t.Fatalf("ssl_early_data copies: %v", early)
	}
	if c.ServerOf(early[0].Dir) != a || c.ServerOf(early[1].Dir) != b {
		t.Error("the snippet's copies are not in their servers")
	}
	if ctx := c.ContextOf(early[0].Dir); ctx != directives.Server {
		t.Errorf("context of the snippet's directive: %v", ctx)
	}
	if got := len(c.Instances(c.Files[2].Directives[1])); got != 2 {
		t.Errorf("instances of the snippet's directive: %d", got)
	}
	// The missing file is a problem on the include's argument; a glob that
	// matches nothing is not (nginx accepts it).
	if len(c.Problems) != 1 || !strings.Contains(c.Problems[0].Msg, "missing.conf") || c.Problems[0].File != c.Main {
		t.Errorf("problems: %+v", c.Problems)
	}
	if got := c.Main.Text(c.Problems[0].Span); got != "missing.conf" {
		t.Errorf("problem span covers %q", got)
	}
}

func TestLoadTreeCycle(t *testing.T) {
	fs := memTree()
	fs["/etc/nginx/nginx.conf"] = []byte("include loop/a.conf;\n")
	c, err := config.LoadTree(fs, "/etc/nginx/nginx.conf", nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Problems) != 1 || !strings.Contains(c.Problems[0].Msg, "include cycle: a.conf → b.conf → a.conf") {
		t.Errorf("problems: %+v", c.Problems)
	}
}

func TestLoadTreeMissingMain(t *testing.T) {
	if _, err := config.LoadTree(config.MemFS{}, "/etc/nginx/nginx.conf", nil); err == nil {
		t.Error("no error for a missing main file")
	}
}

// rebased serves absolute /etc/nginx paths from a directory, for corpus
// trees written for that location.
type rebased struct {
	from, to string
	fs       config.FS
}

func (r rebased) path(p string) string {
	if rest, ok := strings.CutPrefix(p, r.from); ok {
		return filepath.Join(r.to, rest)
	}
	return p
}

func (r rebased) ReadFile(name string) ([]byte, error) { return r.fs.ReadFile(r.path(name)) }

func (r rebased) Glob(pattern string) ([]string, error) { return r.fs.Glob(r.path(pattern)) }

// absentFromCorpus is the one include target the corpus does not carry (its
// manifest lists it among the files stubbed for nginx -t); reporting it is
// right.
const absentFromCorpus = "_listen/10.240.20.2/https.conf"

// TestCorpusTrees loads the include trees of the real-world corpus: every
// include must resolve.
func TestCorpusTrees(t *testing.T) {
	dir := testenv.Corpus(t)
	for _, c := range []struct {
		tree  string
		files int
	}{
		{"die-net-example", 20},
		{"h5bp", 8}, // conf.d/.default.conf is disabled by its leading dot, as nginx sees it
		{"nginx-admins-handbook", 10},
		{"certbot/testdata/etc_nginx", 5},
		{"gonginx/testdata/include-glob", 3},
	} {
		root := filepath.Join(dir, c.tree)
		fs := rebased{"/etc/nginx", root, config.OSFS{}}
		cfg, err := config.LoadTree(fs, filepath.Join(root, "nginx.conf"), nil)
		if err != nil {
			t.Errorf("%s: %v", c.tree, err)
			continue
		}
		for _, p := range cfg.Problems {
			if strings.Contains(p.File.Text(p.Span), absentFromCorpus) {
				continue
			}
			line, _ := p.File.Position(p.Span.Start)
			t.Errorf("%s: %s:%d: %s", c.tree, p.File.Name, line, p.Msg)
		}
		if len(cfg.Files) < c.files {
			t.Errorf("%s: only %d files loaded", c.tree, len(cfg.Files))
		}
		t.Logf("%s: %d files, %d servers, %d includes", c.tree, len(cfg.Files), len(cfg.Servers), len(cfg.Includes))
	}
}

// Like nginx's glob(3), a pattern does not match names starting with a dot:
// an editor's lock file or a disabled snippet is not part of the
// configuration.
func TestGlobSkipsDotFiles(t *testing.T) {
	fs := config.MemFS{
		"/etc/nginx/nginx.conf":             []byte("http { include conf.d/*.conf; include conf.d/.keep*.conf; }\n"),
		"/etc/nginx/conf.d/a.conf":          []byte("gzip on;\n"),
		"/etc/nginx/conf.d/.#a.conf":        []byte("{{{ lock file\n"),
		"/etc/nginx/conf.d/.disabled.conf":  []byte("ssl_protocols SSLv3;\n"),
		"/etc/nginx/conf.d/.keep-this.conf": []byte("gzip off;\n"),
	}
	c, err := config.LoadTree(fs, "/etc/nginx/nginx.conf", nil)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range c.Files[1:] {
		names = append(names, filepath.Base(f.Name))
	}
	if got := strings.Join(names, " "); got != "a.conf .keep-this.conf" {
		t.Errorf("files: %s", got)
	}
}

// An exponential include chain is cut off, reported, and loads quickly.
func TestExpansionBounded(t *testing.T) {
	fs := config.MemFS{"/etc/nginx/nginx.conf": []byte("http { include f0.conf; }\n")}
	for i := 0; i < 30; i++ {
		fs[filepath.Join("/etc/nginx", "f"+strconv.Itoa(i)+".conf")] = []byte("include f" + strconv.Itoa(i+1) + ".conf;\ninclude f" + strconv.Itoa(i+1) + ".conf;\ngzip on;\n")
	}
	c, err := config.LoadTree(fs, "/etc/nginx/nginx.conf", nil)
	if err != nil {
		t.Fatal(err)
	}
	// One finding for the bound, on an include; one for the missing file
	// however often it is included.
	var msgs []string
	for _, p := range c.Problems {
		msgs = append(msgs, p.File.Name+": "+p.File.Text(p.Span)+": "+p.Msg)
	}
	got := strings.Join(msgs, "\n")
	if len(msgs) != 3 || !strings.Contains(got, `f29.conf: f30.conf: open() "/etc/nginx/f30.conf" failed`) ||
		!regexp.MustCompile(`f\d+\.conf: f\d+\.conf: through this include, the configuration expands past \d+ directives \(from 92 in its files\)`).MatchString(got) {
		t.Errorf("problems:\n%s", got)
	}
}

// FileOf answers for every directive of every file, nested or not, and for
// no directive of another configuration.
func TestFileOfEveryDirective(t *testing.T) {
	a := syntax.Parse("/a.conf", []byte("http {\n  server {\n    location / { return 200; }\n  }\n}\n"))
	b := syntax.Parse("/b.conf", []byte("server { listen 80; }\nuser nobody;\n"))
	other := syntax.Parse("/c.conf", []byte("events { worker_connections 10; }\n"))
	c := config.Load(a, b)
	for _, f := range []*syntax.File{a, b, other} {
		want := f
		if f == other {
			want = nil
		}
		syntax.Walk(f.Directives, func(d *syntax.Directive) bool {
			if got := c.FileOf(d); got != want {
				t.Errorf("FileOf(%s in %s) = %v, want %v", d.Name.Value, f.Name, got, want)
			}
			return true
		})
	}
}

func TestIsMain(t *testing.T) {
	for _, c := range []struct {
		name, src string
		want      bool
	}{
		{"nginx.conf", "events {}\nhttp {}\n", true},
		{"nginx.conf", "user www-data;\ninclude modules/*.conf;\n", true},
		{"nginx.conf", "", true},
		// A site shipped under the main file's name (iRedMail's, for one).
		{"nginx.conf", "server {\n    listen 80;\n}\n", false},
		{"nginx.conf", "upstream app { server 127.0.0.1:8000; }\nserver { listen 80; }\n", false},
		{"main.conf", "http {}\n", true},
		{"main.conf", "stream {}\n", true},
		{"site.conf", "server {}\n", false},
		{"site.conf", "# http {}\n", false},
	} {
		if got := config.IsMain(syntax.Parse(c.name, []byte(c.src))); got != c.want {
			t.Errorf("IsMain(%s: %q) = %v, want %v", c.name, c.src, got, c.want)
		}
	}
}
