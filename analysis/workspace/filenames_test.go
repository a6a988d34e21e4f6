package workspace

import (
	"path"
	"strings"
	"testing"
)

func TestIsConfigFile(t *testing.T) {
	for name, want := range map[string]bool{
		"/etc/nginx/nginx.conf":                 true,
		"/srv/app/site.conf":                    true,
		"/srv/app/app.nginx":                    true,
		"/srv/app/default.conf.template":        true,
		"/etc/nginx/sites-enabled/app":          true,
		"/etc/nginx/sites-available/default":    true,
		"/etc/nginx/sites-available/README.md":  false,
		"/etc/nginx/sites-available/app~":       false,
		"/etc/nginx/sites-enabled/app.dpkg-old": false,
		"/etc/nginx/conf.d/app":                 false,
		"/srv/app/nginx.conf.bak":               false,
		"/srv/app/notes.txt":                    false,
	} {
		if got := IsConfigFile(name); got != want {
			t.Errorf("IsConfigFile(%s) = %v, want %v", name, got, want)
		}
	}
}

// The editor is asked to watch every file a folder's check covers: the
// patterns are made from the same lists as IsConfigFile.
func TestWatchPatternsCoverConfigFiles(t *testing.T) {
	watched := func(name string) bool {
		for _, pat := range WatchPatterns() {
			pat = strings.TrimPrefix(pat, "**/")
			dir, base := path.Split(pat)
			ok, _ := path.Match(base, path.Base(name))
			if ok && (dir == "" || path.Base(path.Dir(name))+"/" == dir) {
				return true
			}
		}
		return false
	}
	for _, name := range []string{"/a/nginx.conf", "/a/x.conf", "/a/x.nginx", "/a/x.conf.template",
		"/a/sites-enabled/app", "/a/sites-available/app", "/a/" + ProjectFileName} {
		if !watched(name) {
			t.Errorf("%s is not watched (patterns %q)", name, WatchPatterns())
		}
	}
	if watched("/a/notes.txt") {
		t.Error("notes.txt is watched")
	}
	if got := ConfigPatternsText(); got != "*.conf, nginx.conf, *.nginx and *.conf.template" {
		t.Errorf("ConfigPatternsText() = %q", got)
	}
}
