package rules_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/nginxls/nginxls/analysis"
	"github.com/nginxls/nginxls/analysis/analysistest"
	"github.com/nginxls/nginxls/analysis/config"
	"github.com/nginxls/nginxls/analysis/rules"
	"github.com/nginxls/nginxls/analysis/syntax"
)

func TestIncludeRule(t *testing.T) {
	fs := config.MemFS{
		"/etc/nginx/nginx.conf": []byte("events {}\nhttp {\n    include conf.d/*.conf;\n    include missing.conf;\n    include loop.conf;\n    server {\n        include missing.conf;\n    }\n}\n"),
		"/etc/nginx/loop.conf":  []byte("include loop.conf;\n"),
	}
	cfg := loadTree(t, fs)
	diags, _ := analysis.Run(cfg, []*analysis.Analyzer{rules.Include}, analysis.DefaultSettings())
	analysistest.CheckMessages(t, diags)
	var got []string
	for _, d := range diags {
		line, col := d.File.Position(d.Span.Start)
		got = append(got, d.File.Name+":"+strconv.Itoa(line)+":"+strconv.Itoa(col)+" "+d.File.Text(d.Span)+" "+d.Message)
		for _, r := range d.Related {
			line, col := r.File.Position(r.Span.Start)
			got = append(got, "  "+strconv.Itoa(line)+":"+strconv.Itoa(col)+" "+r.Message)
		}
	}
	// The same missing file included twice is one thing to mend.
	want := []string{
		`/etc/nginx/loop.conf:1:9 loop.conf include cycle: loop.conf → loop.conf`,
		`  5:5 included here`,
		`/etc/nginx/nginx.conf:4:13 missing.conf open() "/etc/nginx/missing.conf" failed (No such file or directory): nginx will not start`,
		`  7:17 included here too`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// A file of upstream members ("server 10.0.0.1:80;" lines) included into an
// upstream block has no syntax error, though the parser, seeing the file
// alone, expected a server block; the same line at the http level does.
func TestSyntaxUpstreamMembersIncluded(t *testing.T) {
	fs := config.MemFS{
		"/etc/nginx/nginx.conf": []byte("events {}\nhttp {\n    upstream app { include members.inc; }\n    include stray.inc;\n" +
			"    upstream two { include conf.d/*.inc; }\n    include conf.d/*.inc;\n}\n"),
		"/etc/nginx/conf.d/both.inc": []byte("server 10.0.0.4:80;\n"),
		"/etc/nginx/members.inc":     []byte("server 10.0.0.1:80;\nserver 10.0.0.2:80 backup;\nkepalive 16;\n"),
		"/etc/nginx/stray.inc":       []byte("server 10.0.0.3:80;\n"),
	}
	cfg := loadTree(t, fs)
	diags, _ := analysis.Run(cfg, []*analysis.Analyzer{rules.Syntax, rules.DirectiveTypo}, analysis.DefaultSettings())
	var got []string
	for _, d := range diags {
		line, _ := d.File.Position(d.Span.Start)
		got = append(got, d.File.Name+":"+strconv.Itoa(line)+" "+d.Message)
	}
	// conf.d/both.inc is also included at the http level, where nginx
	// stops on it; the directive rules go on past the members' lines.
	want := []string{
		`/etc/nginx/conf.d/both.inc:1 directive "server" has no opening "{"`,
		`/etc/nginx/members.inc:3 unknown directive "kepalive": nginx refuses to start; did you mean "keepalive"?`,
		`/etc/nginx/stray.inc:1 directive "server" has no opening "{"`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// Alone, a file of nothing but members is taken for one; with other
	// directives beside, it is not.
	for src, errs := range map[string]int{
		"server 10.0.0.1:80;\nserver 10.0.0.2:80;\n": 0,
		"add_header X-A a;\nserver 10.0.0.1:80;\n":   1,
	} {
		diags, _ := analysis.Run(config.Load(syntax.Parse("alone.inc", []byte(src))), []*analysis.Analyzer{rules.Syntax}, analysis.DefaultSettings())
		if len(diags) != errs {
			t.Errorf("%q alone: %d syntax findings, want %d", src, len(diags), errs)
		}
	}
}

// Servers in sites files that inherit session tickets from one http block
// get one note, whose fix goes into that block in nginx.conf.
func TestSessionTicketsOneNotePerBlock(t *testing.T) {
	fs := config.MemFS{
		"/etc/nginx/nginx.conf":         []byte("events {}\nhttp {\n    include sites/*.conf;\n}\n"),
		"/etc/nginx/sites/a.conf":       []byte("server {\n    listen 443 ssl;\n    server_name a.example;\n}\n"),
		"/etc/nginx/sites/b.conf":       []byte("server {\n    listen 443 ssl;\n    server_name b.example;\n}\n"),
		"/etc/nginx/sites/z-plain.conf": []byte("server {\n    listen 80;\n}\n"),
	}
	s := analysis.DefaultSettings()
	s.Nginx = config.MustVersion("1.22.1")
	diags, _ := analysis.Run(loadTree(t, fs), []*analysis.Analyzer{rules.SessionTickets}, s)
	if len(diags) != 1 {
		t.Fatalf("%d findings, want one for both servers: %+v", len(diags), diags)
	}
	fix := diags[0].Fixes[0]
	if f := fix.Edits[0].File; f == nil || f.Name != "/etc/nginx/nginx.conf" {
		t.Errorf("the fix edits %v, want the http block of nginx.conf", f)
	}
}
