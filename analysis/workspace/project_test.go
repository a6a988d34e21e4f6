package workspace

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/nginxls/nginxls/analysis"
	"github.com/nginxls/nginxls/analysis/config"
	"github.com/nginxls/nginxls/analysis/rules"
)

const exampleRoot = "/srv/site"

var exampleFile = filepath.Join(exampleRoot, ProjectFileName)

func TestParseProject(t *testing.T) {
	src := `# the whole schema
main = "conf/nginx.conf"
nginx-version = "1.24.0"
openssl = "1.1.1"
profile = "modern"
cert-expiry-days = 14
exclude = ["vendor/**", "*.bak"]

[paths]
"/etc/letsencrypt" = "letsencrypt"
"/etc/letsencrypt/live/" = "/tmp/live"
"/" = "rootfs"

[rules]
"tls-cipher-cbc" = "off"
hsts-missing = "Warn"
server-tokens = "ERROR"
`
	p, err := ParseProject(exampleFile, []byte(src), rules.All)
	if err != nil {
		t.Fatal(err)
	}
	days := 14
	want := &Project{
		File: exampleFile,
		Dir:  exampleRoot,
		Main: "/srv/site/conf/nginx.conf",
		SettingValues: analysis.SettingValues{
			Nginx:          &config.Version{Major: 1, Minor: 24},
			OpenSSL:        "1.1.1",
			Profile:        "modern",
			CertExpiryDays: &days,
			Rules:          map[string]analysis.Severity{"tls-cipher-cbc": analysis.Off, "hsts-missing": analysis.Warning, "server-tokens": analysis.Error},
		},
		Exclude: []string{"vendor/**", "*.bak"},
		Paths: []config.PathMap{
			{From: "/etc/letsencrypt/live", To: "/tmp/live"},
			{From: "/etc/letsencrypt", To: "/srv/site/letsencrypt"},
			{From: "/", To: "/srv/site/rootfs"},
		},
	}
	if !reflect.DeepEqual(p, want) {
		t.Errorf("got  %+v\nwant %+v", p, want)
	}

	// Every key is optional.
	p, err = ParseProject(exampleFile, []byte("# nothing\n"), rules.All)
	if err != nil || !reflect.DeepEqual(p, &Project{File: exampleFile, Dir: exampleRoot}) {
		t.Errorf("empty file: %+v, %v", p, err)
	}
	// Inline tables, dotted keys and an absolute main are as good.
	p, err = ParseProject(exampleFile, []byte("main = \"/etc/nginx/nginx.conf\"\npaths = { \"/etc/nginx\" = \".\" }\nrules.syntax = \"hint\"\n"), rules.All)
	if err != nil || p.Main != "/etc/nginx/nginx.conf" || p.Paths[0].To != exampleRoot || p.Rules["syntax"] != analysis.Hint {
		t.Errorf("inline: %+v, %v", p, err)
	}
}

func TestParseProjectErrors(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		line, col int
		msg       string // a part of the message
	}{
		{"syntax", "main = \"nginx.conf\"\nprofile = \n", 2, 11, "at start of value"},
		{"unterminated", "\n\nmain = \"nginx.conf\n", 3, 19, "cannot have new lines"},
		{"duplicate", "main = \"a\"\nmain = \"b\"\n", 2, 1, "already defined"},
		{"unknown key", "main = \"a\"\nnginx_version = \"1.24.0\"\n", 2, 1, `unknown key nginx_version`},
		{"unknown table", "\n[rule]\nx = 1\n", 2, 2, "unknown key rule"},
		{"unknown dotted", "\nfoo.bar = 1\n", 2, 1, "unknown key foo"},
		{"key case", "\nMain = \"a\"\n", 2, 1, "unknown key Main"},
		{"unknown rule", "[rules]\nsyntax = \"off\"\n\"no-such-rule\" = \"off\"\n", 3, 1, `unknown rule "no-such-rule"`},
		{"rule type", "[rules]\nfoo = 1\n", 2, 7, "rules.foo must be a string"},
		{"rule table", "[rules.syntax]\nx = 1\n", 1, 2, "rules.syntax must be a string"},
		{"rule value", "[rules]\n\nsyntax = \"warn2\"\n", 3, 10, `rule syntax: "warn2" is not off, error, warning, info or hint`},
		{"rules type", "\nrules = \"off\"\n", 2, 9, "rules must be a table of strings"},
		{"exclude type", "\n\nexclude = \"x\"\n", 3, 11, "exclude must be an array of strings"},
		{"exclude element", "exclude = [\n  \"a\",\n  2,\n]\n", 3, 3, "exclude must be an array of strings"},
		{"exclude absolute", "exclude = [\"a\",\n  \"/b\"]\n", 2, 3, "must be relative"},
		{"exclude outside", "exclude = [\"../b/**\"]\n", 1, 12, "out of the project"},
		{"exclude bad glob", "exclude = [\"a/[b\"]\n", 1, 12, "syntax error in pattern"},
		{"exclude empty", "exclude = [\"\"]\n", 1, 12, "empty"},
		{"main type", "main = 1\n", 1, 8, "main must be a string"},
		{"main nested", "main.x = \"a\"\n", 1, 6, "main must be a string"},
		{"main empty", "\nmain = \"\"\n", 2, 8, "must name a file"},
		{"main folder", "main = \"conf/\"\n", 1, 8, "must name a file"},
		{"main dot", "main = \"conf/..\"\n", 1, 8, "must name a file"},
		{"main root", "main = '/'\n", 1, 8, "must name a file"},
		{"version", "\nnginx-version = \"abc\"\n", 2, 17, `nginx version "abc" is not major.minor.patch`},
		{"version type", "nginx-version = 1.24\n", 1, 17, "nginx-version must be a string"},
		{"openssl", "openssl = \"4.0\"\n", 1, 11, `OpenSSL target "4.0" is not 3.0, 1.1.1 or 1.0.2`},
		{"openssl empty", "openssl = \"\"\n", 1, 11, `OpenSSL target "" is not`},
		{"openssl table", "[openssl]\nx = 1\n", 1, 2, "openssl must be a string"},
		{"days", "cert-expiry-days = -1\n", 1, 20, `certificate expiry days "-1" is not a whole number, 0 or more`},
		{"days type", "cert-expiry-days = \"14\"\n", 1, 20, "cert-expiry-days must be an integer"},
		{"profile", "# c\nprofile = \"loose\"\n", 2, 11, `Mozilla profile "loose" is not intermediate, modern or old`},
		{"paths relative", "[paths]\n\"/ok\" = \"a\"\n\"etc/x\" = \"x\"\n", 3, 1, "not an absolute path"},
		{"paths empty", "[paths]\n\"/etc\" = \"\"\n", 2, 10, "empty path"},
		{"paths twice", "[paths]\n\"/etc/x\" = \"a\"\n\"/etc/x/\" = \"b\"\n", 3, 1, "mapped twice"},
		{"paths type", "[paths]\n\"/etc/x\" = [\"a\"]\n", 2, 12, `paths."/etc/x" must be a string`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseProject(exampleFile, []byte(tc.src), rules.All)
			var pe *ProjectError
			if !errors.As(err, &pe) {
				t.Fatalf("got %v, want a *ProjectError", err)
			}
			if pe.File != exampleFile || pe.Line != tc.line || pe.Column != tc.col || !strings.Contains(pe.Msg, tc.msg) {
				t.Errorf("got %v, want %d:%d: ...%s...", err, tc.line, tc.col, tc.msg)
			}
		})
	}
}

func TestProjectErrorString(t *testing.T) {
	for _, tc := range []struct {
		e    ProjectError
		want string
	}{
		{ProjectError{"/a/.nginxls.toml", 3, 7, "bad"}, "/a/.nginxls.toml:3:7: bad"},
		{ProjectError{"/a/.nginxls.toml", 3, 0, "bad"}, "/a/.nginxls.toml:3: bad"},
		{ProjectError{"/a/.nginxls.toml", 0, 0, "bad"}, "/a/.nginxls.toml: bad"},
	} {
		if got := tc.e.Error(); got != tc.want {
			t.Errorf("got %q, want %q", got, tc.want)
		}
	}
}

func TestLoadProject(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, ProjectFileName)
	writeText(t, name, "profile = \"old\"\n")
	p, err := LoadProject(name, rules.All)
	if err != nil || p.Profile != "old" || p.Dir != dir {
		t.Errorf("LoadProject: %+v, %v", p, err)
	}

	writeText(t, name, strings.Repeat("#", 1<<20+1))
	if _, err := LoadProject(name, rules.All); err == nil || !strings.Contains(err.Error(), "1 MiB") {
		t.Errorf("large file: %v", err)
	}
	folder := filepath.Join(dir, "sub", ProjectFileName)
	if err := os.MkdirAll(folder, 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadProject(folder, rules.All); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("folder: %v", err)
	}
	if _, err := LoadProject(filepath.Join(dir, "none", ProjectFileName), rules.All); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
}

func TestFindProject(t *testing.T) {
	dir := t.TempDir()
	repo := filepath.Join(dir, "repo")
	deep := filepath.Join(repo, "a", "b")
	for _, d := range []string{filepath.Join(repo, ".git"), deep} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	// Above the repository: never found from inside it.
	writeText(t, filepath.Join(dir, ProjectFileName), "")
	if got := FindProject(deep); got != "" {
		t.Errorf("found %q above the repository root", got)
	}
	if got := FindProject(dir); got != filepath.Join(dir, ProjectFileName) {
		t.Errorf("in dir itself: %q", got)
	}

	atRoot := filepath.Join(repo, ProjectFileName)
	writeText(t, atRoot, "")
	for _, d := range []string{deep, repo} {
		if got := FindProject(d); got != atRoot {
			t.Errorf("FindProject(%s) = %q, want %q", d, got, atRoot)
		}
	}
	nearer := filepath.Join(repo, "a", ProjectFileName)
	writeText(t, nearer, "")
	if got := FindProject(deep); got != nearer {
		t.Errorf("the nearest file wins: got %q", got)
	}
}

func TestExcluded(t *testing.T) {
	p := &Project{Dir: exampleRoot, Exclude: []string{"vendor/**", "*.bak", "**/*.tmp", "build", "conf/*/old.conf"}}
	for _, tc := range []struct {
		path string
		want bool
	}{
		{"/srv/site/vendor/a.conf", true},
		{"/srv/site/vendor/x/y/a.conf", true},
		{"/srv/site/a/vendor/a.conf", false},
		{"/srv/site/nginx.conf.bak", true},
		{"/srv/site/conf/nginx.conf.bak", false},
		{"/srv/site/x.tmp", true},
		{"/srv/site/a/b/c/x.tmp", true},
		{"/srv/site/build/out.conf", true}, // a folder: everything under it
		{"/srv/site/buildx/out.conf", false},
		{"/srv/site/conf/a/old.conf", true},
		{"/srv/site/conf/a/b/old.conf", false},
		{"/srv/site/nginx.conf", false},
		{"/srv/site", false},
		{"/srv/other/vendor/a.conf", false},
		{"/srv/vendor/a.conf", false},
	} {
		if got := p.Excluded(tc.path); got != tc.want {
			t.Errorf("Excluded(%s) = %v, want %v", tc.path, got, tc.want)
		}
	}
}

func writeText(t *testing.T, name, text string) {
	t.Helper()
	if err := os.WriteFile(name, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// A project file read from disk names a main configuration and mapped
// folders that exist: a typo there is the project file's error, with its
// line, not a confusing finding in the configuration.
func TestLoadProjectChecksTheDisk(t *testing.T) {
	dir := t.TempDir()
	os.Mkdir(filepath.Join(dir, "le"), 0o755)
	os.WriteFile(filepath.Join(dir, "nginx.conf"), nil, 0o644)
	for _, tc := range []struct{ src, want string }{
		{"main = \"nginx.conf\"\n[paths]\n\"/etc/letsencrypt\" = \"le\"\n", ""},
		{"main = \"nope.conf\"\n", ":1:8: main: "},
		{"[paths]\n\"/etc/letsencrypt\" = \"nonexistent\"\n", ":2:22: paths: /etc/letsencrypt is mapped to "},
	} {
		file := filepath.Join(dir, ".nginxls.toml")
		os.WriteFile(file, []byte(tc.src), 0o644)
		_, err := LoadProject(file, rules.All)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%q: %v", tc.src, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%q: error %v, want %q", tc.src, err, tc.want)
		}
	}
}
