package config_test

import (
	"fmt"
	"testing"

	"github.com/nginxls/nginxls/analysis/config"
	"github.com/nginxls/nginxls/analysis/directives"
	"github.com/nginxls/nginxls/analysis/syntax"
)

// find returns the first directive of that name in a tree.
func find(ds []*syntax.Directive, name string) *syntax.Directive {
	var out *syntax.Directive
	syntax.Walk(ds, func(d *syntax.Directive) bool {
		if out == nil && d.Name.Value == name {
			out = d
		}
		return out == nil
	})
	return out
}

func TestKnownContexts(t *testing.T) {
	main := syntax.Parse("/etc/nginx/nginx.conf", []byte(`events {}
http {
    map $a $b { default x; }
    server {
        location / { if ($x) { return 404; } }
        include snippet.conf;
    }
}
`))
	// Locations exist in http only: a fragment holding one is an http
	// server's body. Listen lines alone may be a stream server's.
	fragment := syntax.Parse("/etc/nginx/frag.conf", []byte("listen 443 ssl;\nlocation / { root /x; }\n"))
	listens := syntax.Parse("/etc/nginx/listen.conf", []byte("listen 443 ssl;\n"))
	site := syntax.Parse("/etc/nginx/site.conf", []byte("server {\n    listen 80;\n    location / { root /x; }\n}\n"))
	// Locations without listen may be a snippet for inside a location.
	inner := syntax.Parse("/etc/nginx/inner.conf", []byte("alias /srv/app/;\ninternal;\nlocation ~ \\.php$ { fastcgi_pass unix:/run/php.sock; }\n"))
	declared := syntax.Parse("/etc/nginx/decl.conf", []byte("# nginxls: context stream\nserver { listen 53 udp; }\n"))
	c := config.Load(main, fragment, listens, site, inner, declared)
	for _, tc := range []struct {
		f    *syntax.File
		name string
		want directives.Context // 0: not known
	}{
		{main, "events", directives.Main},
		{main, "server", directives.HTTP},
		{main, "location", directives.Server},
		{main, "return", directives.LocationIf},
		{main, "default", 0}, // a map entry
		{fragment, "listen", directives.Server},
		{fragment, "root", directives.Location},
		{listens, "listen", 0},
		{site, "listen", directives.Server},
		{inner, "alias", 0},
		{declared, "listen", directives.StreamServer},
	} {
		got, ok := c.KnownContextOf(find(tc.f.Directives, tc.name))
		if !ok {
			got = 0
		}
		if got != tc.want {
			t.Errorf("%s in %s: context %v, want %v", tc.name, tc.f.Name, got, tc.want)
		}
	}
	var levels []string
	for _, l := range c.KnownLevels() {
		levels = append(levels, l.File.Name+" "+l.Context.String())
	}
	if want := `["/etc/nginx/nginx.conf main" "/etc/nginx/frag.conf server" "/etc/nginx/site.conf http" "/etc/nginx/decl.conf stream"]`; fmt.Sprintf("%q", levels) != want {
		t.Errorf("known levels %q", levels)
	}
	// The walk sees what KnownContextOf says, and no map entry.
	config.WalkContexts(main.Directives, directives.Main, nil, func(d *syntax.Directive, ctx directives.Context) {
		if want, ok := c.KnownContextOf(d); !ok || want != ctx {
			t.Errorf("walk: %s in %v, KnownContextOf says %v %v", d.Name.Value, ctx, want, ok)
		}
	})
}

// In a configuration loaded with its includes, a snippet's directives are
// in the context of the place that includes them.
func TestKnownContextThroughInclude(t *testing.T) {
	fs := config.MemFS{
		"/etc/nginx/nginx.conf":   []byte("events {}\nhttp {\n    server {\n        include snippet.conf;\n    }\n}\n"),
		"/etc/nginx/snippet.conf": []byte("listen 443 ssl;\n"),
	}
	c, err := config.LoadTree(fs, "/etc/nginx/nginx.conf", nil)
	if err != nil {
		t.Fatal(err)
	}
	l := c.Named("listen")
	if len(l) != 1 || l[0].File.Name != "/etc/nginx/snippet.conf" {
		t.Fatalf("listen: %+v", l)
	}
	if ctx, ok := c.KnownContextOf(l[0].Dir); !ok || ctx != directives.Server {
		t.Errorf("listen from the snippet: %v %v, want server", ctx, ok)
	}
}

// Only a declaration outside every block counts.
func TestDeclaredContextOutsideBlocks(t *testing.T) {
	for src, want := range map[string]bool{
		"# nginxls: context http\nserver { listen 80; }\n":                  true,
		"server { listen 80; }\n# nginxls: context http\n":                  true,
		"server {\n    # nginxls: context http\n    listen 80;\n}\n":        false,
		"server { listen 80; }\nserver {\n    # nginxls: context http\n}\n": false,
		"server {\n    listen 80;\n    # nginxls: context http\n":           false, // unclosed: still inside
		"location / {\n}\n# nginxls: context server\nlocation /x { }\n":     true,
		"server # nginxls: context http\n{ listen 80; }\n":                  false,
	} {
		_, got := config.DeclaredContext(syntax.Parse("f.conf", []byte(src)))
		if got != want {
			t.Errorf("%q: declared %v, want %v", src, got, want)
		}
	}
}
