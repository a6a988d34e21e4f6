package workspace

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/nginxls/nginxls/analysis/rules"
)

// A file first seen as a fragment, then edited into a main configuration.
func TestFragmentBecomesMain(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, ".nginxls.toml"), nil, 0o644)
	f := filepath.Join(dir, "site.conf")
	os.WriteFile(f, []byte("server {\n    listen 80;\n}\n"), 0o644)
	ws := New(Options{Analyzers: rules.All})
	rep := ws.Check(context.Background(), []string{f})
	t.Logf("as fragment: %d findings, errors %v", len(rep.Diagnostics), rep.Errors)
	// the user types a whole configuration into it (unsaved)
	main := "events {}\nhttp {\n    server {\n        listen 443 ssl;\n        ssl_protocols SSLv3;\n    }\n}\n"
	ws.SetOverlay(f, &Overlay{Text: []byte(main)})
	roots, _ := ws.RootsOf(f)
	t.Logf("roots %v", roots)
	res, err := ws.Analyze(context.Background(), roots[0])
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("Main=%v", res.Config.Main != nil)
	for _, d := range res.Diagnostics {
		t.Logf("  %s %s", d.Rule, d.Message)
	}
	if res.Config.Main == nil {
		t.Errorf("a file now holding http/events is still analysed as a fragment (Config.Main nil)")
	}
	// and the other way: fresh workspace sees it as main first
	ws2 := New(Options{Analyzers: rules.All})
	os.WriteFile(f, []byte(main), 0o644)
	ws2.Check(context.Background(), []string{f})
	ws2.SetOverlay(f, &Overlay{Text: []byte("server {\n    listen 80;\n}\n")})
	roots, _ = ws2.RootsOf(f)
	res, _ = ws2.Analyze(context.Background(), roots[0])
	t.Logf("now a fragment text; Main=%v", res.Config.Main != nil)
	for _, d := range res.Diagnostics {
		t.Logf("  %s %s", d.Rule, d.Message)
	}
}

func TestConcurrent(t *testing.T) {
	dir := copyTree(t, "debian-certbot")
	app := filepath.Join(dir, "sites-available", "app")
	link := filepath.Join(dir, "sites-enabled", "app")
	main := filepath.Join(dir, "nginx.conf")
	text, _ := os.ReadFile(app)
	ws := New(Options{Analyzers: rules.All})
	done := make(chan bool)
	for g := 0; g < 8; g++ {
		go func(g int) {
			defer func() { done <- true }()
			for i := 0; i < 30; i++ {
				switch (g + i) % 7 {
				case 0:
					ws.SetOverlay(app, &Overlay{Text: append([]byte("# x\n"), text...)})
				case 1:
					ws.SetOverlay(link, nil)
				case 2:
					ws.Check(context.Background(), []string{app, main})
				case 3:
					ws.Invalidate()
				case 4:
					ws.Drop(main)
				case 5:
					ws.SetOverrides(Overrides{Main: main})
				case 6:
					if r, err := ws.RootsOf(link); err == nil {
						ws.Analyze(context.Background(), r[0])
					}
				}
			}
		}(g)
	}
	for g := 0; g < 8; g++ {
		<-done
	}
}

func TestInvalidateDuringRootsOf(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, ".nginxls.toml"), nil, 0o644)
	os.MkdirAll(filepath.Join(dir, "conf.d"), 0o755)
	os.MkdirAll(filepath.Join(dir, "x"), 0o755)
	for i := 0; i < 1000; i++ {
		os.WriteFile(filepath.Join(dir, "conf.d", fmt.Sprintf("s%d.conf", i)), []byte("server {\n listen 80;\n location / { return 200; }\n}\n"), 0o644)
	}
	mainf := filepath.Join(dir, "nginx.conf")
	os.WriteFile(mainf, []byte("events {}\nhttp {\n include conf.d/*.conf;\n}\n"), 0o644)
	site := filepath.Join(dir, "x", "site.conf")
	os.WriteFile(site, []byte("server { listen 81; }\n"), 0o644)
	stale := 0
	for trial := 0; trial < 20; trial++ {
		os.WriteFile(mainf, []byte("events {}\nhttp {\n include conf.d/*.conf;\n}\n"), 0o644)
		ws := New(Options{Analyzers: rules.All})
		started := make(chan bool)
		fin := make(chan bool)
		go func() { close(started); ws.RootsOf(site); close(fin) }()
		<-started
		time.Sleep(time.Duration(trial) * time.Millisecond)
		// the file is now included; the editor's watcher tells the workspace
		os.WriteFile(mainf, []byte("events {}\nhttp {\n include conf.d/*.conf;\n include x/site.conf;\n}\n"), 0o644)
		ws.Invalidate()
		<-fin
		roots, _ := ws.RootsOf(site)
		if len(roots) != 1 || roots[0] != mainf {
			stale++
			t.Logf("trial %d: roots after Invalidate: %v", trial, roots)
		}
	}
	if stale > 0 {
		t.Errorf("%d/20 trials kept a discovery made before Invalidate", stale)
	}
}

func TestInvalidateSequential(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, ".nginxls.toml"), nil, 0o644)
	os.MkdirAll(filepath.Join(dir, "x"), 0o755)
	mainf := filepath.Join(dir, "nginx.conf")
	os.WriteFile(mainf, []byte("events {}\nhttp {\n}\n"), 0o644)
	site := filepath.Join(dir, "x", "site.conf")
	os.WriteFile(site, []byte("server { listen 81; }\n"), 0o644)
	ws := New(Options{Analyzers: rules.All})
	t0 := time.Now()
	r1, _ := ws.RootsOf(site)
	t.Logf("first %v in %v", r1, time.Since(t0))
	os.WriteFile(mainf, []byte("events {}\nhttp {\n include x/site.conf;\n}\n"), 0o644)
	ws.Invalidate()
	r2, _ := ws.RootsOf(site)
	t.Logf("after %v", r2)
	if len(r2) != 1 || r2[0] != mainf {
		t.Errorf("stale")
	}
}

func TestDropFragment(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, ".nginxls.toml"), nil, 0o644)
	os.MkdirAll(filepath.Join(dir, "sites-available"), 0o755)
	os.MkdirAll(filepath.Join(dir, "snippets"), 0o755)
	os.WriteFile(filepath.Join(dir, "nginx.conf"), []byte("events {}\nhttp {\n    server_tokens off;\n}\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "snippets", "x.conf"), []byte("add_header X 1;\n"), 0o644)
	site := filepath.Join(dir, "sites-available", "site")
	os.WriteFile(site, []byte("server {\n    listen 80;\n    include snippets/x.conf;\n}\n"), 0o644)
	ws := New(Options{Analyzers: rules.All})
	a := ws.Check(context.Background(), []string{site})
	ws.Drop(site)
	b := ws.Check(context.Background(), []string{site})
	t.Logf("before Drop: %v", findings(dir, a.Diagnostics))
	t.Logf("after Drop:  %v", findings(dir, b.Diagnostics))
	if len(a.Diagnostics) != len(b.Diagnostics) {
		t.Errorf("a dropped fragment comes back as a main configuration (prefix %s)", filepath.Join(dir, "sites-available"))
	}
}

// A language server reads nothing above the folders the editor opened: an
// nginx.conf or a project file planted in a parent folder (on a shared
// host, /tmp is one) does not take in the files below it. The command line,
// unconfined, still finds the main configuration above a site file.
func TestConfinedToRoots(t *testing.T) {
	dir := t.TempDir()
	repo := filepath.Join(dir, "repo")
	os.MkdirAll(filepath.Join(repo, "sites"), 0o755)
	site := filepath.Join(repo, "sites", "app.conf")
	os.WriteFile(site, []byte("server {\n    listen 80;\n}\n"), 0o644)
	planted := filepath.Join(dir, "nginx.conf")
	os.WriteFile(planted, []byte("events {}\nhttp {\n    include repo/sites/*.conf;\n}\n"), 0o644)
	os.WriteFile(filepath.Join(dir, ProjectFileName), []byte("nginx-version = \"nonsense\"\n"), 0o644)
	outside := filepath.Join(t.TempDir(), "other.conf")
	os.WriteFile(outside, []byte("server {\n    listen 80;\n}\n"), 0o644)

	free := New(Options{Analyzers: rules.All})
	if _, err := free.RootsOf(site); err == nil {
		t.Error("unconfined: the project file above was not read")
	}
	os.Remove(filepath.Join(dir, ProjectFileName))
	free.Invalidate()
	if roots, _ := free.RootsOf(site); len(roots) != 1 || roots[0] != planted {
		t.Errorf("unconfined roots %v, want the nginx.conf above", roots)
	}

	os.WriteFile(filepath.Join(dir, ProjectFileName), []byte("nginx-version = \"nonsense\"\n"), 0o644)
	ws := New(Options{Analyzers: rules.All, Roots: []string{repo}, Confine: true})
	for _, f := range []string{site, outside} {
		roots, err := ws.RootsOf(f)
		if err != nil || len(roots) != 1 || roots[0] != f {
			t.Errorf("confined: %s is judged in %v (%v), want alone", f, roots, err)
		}
	}
}
