package workspace

import (
	"path"
	"path/filepath"
	"slices"
	"strings"
)

// Which files are nginx configurations by their name: what a folder's check
// covers, what the editor is asked to watch and what messages list. A main
// configuration brings the files it includes whatever their names.
var (
	// ConfigPatterns match the name of a configuration file.
	ConfigPatterns = []string{"*.conf", "nginx.conf", "*.nginx", "*.conf.template"}
	// SiteFolders hold configuration files of any name: Debian's site
	// files have no extension.
	SiteFolders = []string{"sites-available", "sites-enabled"}
)

// IsConfigName reports whether a file's name says it is an nginx
// configuration.
func IsConfigName(name string) bool {
	for _, pat := range ConfigPatterns {
		if ok, _ := path.Match(pat, name); ok {
			return true
		}
	}
	return false
}

// IsConfigFile reports whether a file is an nginx configuration by its
// name, or by the folder it is in (any site of sites-enabled/, but for
// notes and leftovers).
func IsConfigFile(name string) bool {
	base := filepath.Base(name)
	if IsConfigName(base) {
		return true
	}
	return slices.Contains(SiteFolders, filepath.Base(filepath.Dir(name))) && !notSite(base)
}

// WatchPatterns are the glob patterns, relative to a workspace folder, of
// the files IsConfigFile takes and of the project file.
func WatchPatterns() []string {
	var out []string
	for _, pat := range ConfigPatterns {
		out = append(out, "**/"+pat)
	}
	for _, dir := range SiteFolders {
		out = append(out, "**/"+dir+"/*")
	}
	return append(out, "**/"+ProjectFileName)
}

// ConfigPatternsText lists the patterns for people: "*.conf, nginx.conf,
// *.nginx and *.conf.template".
func ConfigPatternsText() string {
	n := len(ConfigPatterns)
	return strings.Join(ConfigPatterns[:n-1], ", ") + " and " + ConfigPatterns[n-1]
}

// notSite reports a file of a sites folder that is no site: notes, editor
// and package manager leftovers.
func notSite(name string) bool {
	if strings.HasSuffix(name, "~") || strings.Contains(name, ".dpkg-") || strings.Contains(name, ".ucf-") {
		return true
	}
	switch filepath.Ext(name) {
	case ".md", ".txt", ".bak", ".old", ".orig", ".rej", ".swp", ".save", ".disabled", ".sample", ".example":
		return true
	}
	return false
}
