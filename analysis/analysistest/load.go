package analysistest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nginxls/nginxls/analysis"
	"github.com/nginxls/nginxls/analysis/config"
	"github.com/nginxls/nginxls/analysis/syntax"
	"golang.org/x/tools/txtar"
)

// Load loads a test case (a NAME.conf or a NAME.txtar) as Run does, with
// the settings its analysistest line sets, and checks nothing: for tests
// that judge the findings of every case by another measure.
func Load(t *testing.T, file string, opts Options) (*config.Config, analysis.Settings) {
	t.Helper()
	if strings.HasSuffix(file, ".txtar") {
		ar, err := txtar.ParseFile(file)
		if err != nil {
			t.Fatal(err)
		}
		inputs := map[string][]byte{}
		root := ""
		for _, f := range ar.Files {
			if strings.HasSuffix(f.Name, ".golden") {
				continue
			}
			inputs[f.Name] = f.Data
			if root == "" {
				root = f.Name
			}
		}
		if inputs["nginx.conf"] != nil {
			root = "nginx.conf"
		}
		settings := analysis.DefaultSettings()
		for _, line := range strings.Split(string(ar.Comment), "\n") {
			if err := parseSettingsLine(&settings, line, map[string]string{"fixed": ""}); err != nil {
				t.Fatalf("%s: %v", file, err)
			}
		}
		cfg, _ := loadArchive(t, inputs, root, opts)
		for _, c := range cfg.Files[0].Comments {
			if err := parseSettingsLine(&settings, cfg.Files[0].Text(c), nil); err != nil {
				t.Fatalf("%s: %v", file, err)
			}
		}
		return cfg, settings
	}
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	f := syntax.Parse(filepath.Base(file), src)
	settings, err := ParseSettings(f)
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	cfg := config.Load(f)
	if opts.Files != nil {
		mem := config.MemFS{}
		for name, data := range opts.Files {
			mem[filepath.Clean(cfg.Resolve(name))] = data
		}
		cfg.FS = mem
	}
	return cfg, settings
}
