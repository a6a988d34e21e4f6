package analysistest

import (
	"bytes"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/nginxls/nginxls/analysis"
	"github.com/nginxls/nginxls/analysis/config"
	"github.com/nginxls/nginxls/analysis/syntax"
)

// archivePrefix is where an archive's files are: nginx's prefix, so that
// absolute paths under /etc/nginx in the configuration reach them.
const archivePrefix = "/etc/nginx"

// RunArchiveWith checks the configuration of one txtar archive and returns
// its findings.
func RunArchiveWith(t *testing.T, file string, analyzers []*analysis.Analyzer, opts Options) []analysis.Diagnostic {
	t.Helper()
	ar, err := txtar.ParseFile(file)
	if err != nil {
		t.Fatal(err)
	}
	inputs, goldens := map[string][]byte{}, map[string][]byte{}
	var order []string // the inputs, in the archive's order
	for _, f := range ar.Files {
		if _, dup := inputs[f.Name]; dup || goldens[f.Name] != nil || path.IsAbs(f.Name) || strings.HasPrefix(path.Clean(f.Name), "..") {
			t.Fatalf("%s: file %q is repeated or not under the archive", file, f.Name)
		}
		if name, ok := strings.CutSuffix(f.Name, ".golden"); ok {
			goldens[name] = f.Data
			continue
		}
		inputs[f.Name] = f.Data
		order = append(order, f.Name)
	}
	if len(order) == 0 {
		t.Fatalf("%s: no configuration file", file)
	}
	for name := range goldens {
		if inputs[name] == nil {
			t.Fatalf("%s: %s.golden has no file %s", file, name, name)
		}
	}
	root := order[0]
	if inputs["nginx.conf"] != nil {
		root = "nginx.conf"
	}
	extra := map[string]string{"fixed": ""}
	settings := analysis.DefaultSettings()
	for _, line := range strings.Split(string(ar.Comment), "\n") {
		if err := parseSettingsLine(&settings, line, extra); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
	}
	if v := extra["fixed"]; v != "" && v != "silent" {
		t.Fatalf("%s: fixed=%s: the only value is silent", file, v)
	}

	cfg, name := loadArchive(t, inputs, root, opts)
	// The root file's own analysistest line counts too, as in a NAME.conf.
	for _, c := range cfg.Files[0].Comments {
		if err := parseSettingsLine(&settings, cfg.Files[0].Text(c), nil); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
	}
	analyzers, settings = withRegistry(analyzers, settings, opts.Registry)
	diags, errs := analysis.Run(cfg, analyzers, settings)
	for _, e := range errs {
		t.Error(e)
	}
	Check(t, cfg.Files, diags, name)
	CheckMessages(t, diags)

	fixed := archiveGolden(t, file, ar, cfg, diags, goldens, name)
	if extra["fixed"] == "silent" {
		if fixed == nil {
			t.Fatalf("%s: fixed=silent, but no file has a golden version (name the archive fix*.txtar and run -update)", file)
		}
		after, name := loadArchive(t, fixed, root, opts)
		left, _ := analysis.Run(after, analyzers, settings)
		for _, d := range left {
			line, _ := d.File.Position(d.Span.Start)
			t.Errorf("%s:%d: after the fixes, a %s finding is left: %s", name(d.File), line, d.Rule, d.Message)
		}
	}
	return diags
}

// loadArchive loads the files as the configuration rooted at root, which
// is a fragment unless it has the blocks of a main configuration. name
// gives a file's name in the archive.
func loadArchive(t *testing.T, files map[string][]byte, root string, opts Options) (*config.Config, func(*syntax.File) string) {
	t.Helper()
	fs := config.MemFS{}
	for name, data := range files {
		fs[path.Join(archivePrefix, name)] = data
	}
	for name, data := range opts.Files {
		p := filepath.Clean(name)
		if !filepath.IsAbs(p) {
			p = filepath.Join(archivePrefix, p)
		}
		if _, ok := fs[p]; !ok {
			fs[p] = data
		}
	}
	rootPath := path.Join(archivePrefix, root)
	main := config.IsMain(syntax.Parse(rootPath, files[root]))
	cfg, err := config.Open(fs, rootPath, config.Options{Fragment: !main})
	if err != nil {
		t.Fatal(err)
	}
	return cfg, func(f *syntax.File) string {
		if rel, ok := strings.CutPrefix(f.Name, archivePrefix+"/"); ok {
			return rel
		}
		return f.Name
	}
}

// archiveGolden applies the first fix of every finding and compares each
// file the fixes change with its NAME.golden; -update rewrites those in
// the archive. It returns the fixed files (all of them, changed or not),
// or nil when the archive has no golden file and is not to get one.
func archiveGolden(t *testing.T, file string, ar *txtar.Archive, cfg *config.Config, diags []analysis.Diagnostic,
	goldens map[string][]byte, name func(*syntax.File) string) map[string][]byte {
	t.Helper()
	if len(goldens) == 0 && !(*update && strings.HasPrefix(filepath.Base(file), "fix")) {
		return nil
	}
	edits, _ := analysis.MergeFixes(diags)
	fixed := map[string][]byte{}
	for _, f := range ar.Files {
		if !strings.HasSuffix(f.Name, ".golden") {
			fixed[f.Name] = f.Data
		}
	}
	changed := map[string]bool{}
	for _, f := range cfg.Files {
		out, err := analysis.ApplyEdits(f.Src, edits[f])
		if err != nil {
			t.Fatalf("%s: %v", name(f), err)
		}
		if !bytes.Equal(out, f.Src) {
			fixed[name(f)], changed[name(f)] = out, true
		}
	}
	if *update {
		var files []txtar.File
		for _, f := range ar.Files {
			if strings.HasSuffix(f.Name, ".golden") {
				continue
			}
			files = append(files, f)
			if changed[f.Name] {
				files = append(files, txtar.File{Name: f.Name + ".golden", Data: fixed[f.Name]})
			}
		}
		ar.Files = files
		if err := os.WriteFile(file, txtar.Format(ar), 0o644); err != nil {
			t.Fatal(err)
		}
		return fixed
	}
	for n := range changed {
		if goldens[n] == nil {
			t.Errorf("%s: the fixes change %s, which has no %s.golden:\n%s", file, n, n, fixed[n])
		}
	}
	for n, want := range goldens {
		if got := fixed[n]; !bytes.Equal(got, want) {
			t.Errorf("%s: the fixed %s differs from %s.golden:\n--- got\n%s\n--- want\n%s", file, n, n, got, want)
		}
	}
	return fixed
}
