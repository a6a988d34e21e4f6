package rules_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/nginxls/nginxls/analysis"
	"github.com/nginxls/nginxls/analysis/config"
	"github.com/nginxls/nginxls/analysis/rules"
)

func TestIncludeRule(t *testing.T) {
	fs := config.MemFS{
		"/etc/nginx/nginx.conf": []byte("events {}\nhttp {\n    include conf.d/*.conf;\n    include missing.conf;\n    include loop.conf;\n}\n"),
		"/etc/nginx/loop.conf":  []byte("include loop.conf;\n"),
	}
	cfg, err := config.LoadTree(fs, "/etc/nginx/nginx.conf", nil)
	if err != nil {
		t.Fatal(err)
	}
	diags, _ := analysis.Run(cfg, []*analysis.Analyzer{rules.Include}, analysis.DefaultSettings())
	var got []string
	for _, d := range diags {
		line, col := d.File.Position(d.Span.Start)
		got = append(got, d.File.Name+":"+strconv.Itoa(line)+":"+strconv.Itoa(col)+" "+d.File.Text(d.Span)+" "+d.Message)
	}
	want := []string{
		`/etc/nginx/loop.conf:1:9 loop.conf include cycle: loop.conf → loop.conf`,
		`/etc/nginx/nginx.conf:4:13 missing.conf open() "/etc/nginx/missing.conf" failed (No such file or directory): nginx will not start`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
