package workspace

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/nginxls/nginxls/analysis"
	"github.com/nginxls/nginxls/analysis/config"
	"github.com/nginxls/nginxls/analysis/syntax"
)

// dumpPrefix starts each file in the output of `nginx -T`.
const dumpPrefix = "# configuration file "

// IsDump reports a text that is the output of nginx -T: it starts with a
// "# configuration file PATH:" line.
func IsDump(src []byte) bool {
	line, _, _ := bytes.Cut(src, []byte("\n"))
	line = bytes.TrimSuffix(line, []byte("\r"))
	return bytes.HasPrefix(line, []byte(dumpPrefix)) && bytes.HasSuffix(line, []byte(":"))
}

// SplitDump reads the output of `nginx -T` (or of `nginx -T` piped through
// anything that keeps the lines): files follow each other, each after a
// `# configuration file PATH:` line. It returns the files and the first
// one, the main configuration.
func SplitDump(data []byte) (config.MemFS, string, error) {
	fs := config.MemFS{}
	main := ""
	var cur string
	var buf bytes.Buffer
	flush := func() {
		if cur != "" {
			fs[filepath.Clean(cur)] = append([]byte(nil), buf.Bytes()...)
		}
		buf.Reset()
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for sc.Scan() {
		line := sc.Text()
		if rest, ok := strings.CutPrefix(line, dumpPrefix); ok && strings.HasSuffix(rest, ":") {
			flush()
			cur = strings.TrimSuffix(rest, ":")
			if main == "" {
				main = filepath.Clean(cur)
			}
			continue
		}
		if cur != "" {
			buf.WriteString(line)
			buf.WriteByte('\n')
		}
	}
	if err := sc.Err(); err != nil {
		return nil, "", err
	}
	flush()
	if main == "" {
		return nil, "", fmt.Errorf("no %q lines: this is not the output of nginx -T", dumpPrefix+"PATH:")
	}
	return fs, main, nil
}

// CheckDump analyses the output of `nginx -T`: the configuration files are
// the dump's, never this machine's; the certificates, keys and DH files it
// names are read from this machine when they are here (nginx -T is often
// run where they are), and said not to be checked when they are not.
func (w *Workspace) CheckDump(ctx context.Context, data []byte) (Report, error) {
	files, main, err := SplitDump(data)
	if err != nil {
		return Report{}, err
	}
	cfg, err := config.Open(files, main, config.Options{})
	if err != nil {
		return Report{}, err
	}
	cfg.Refs = config.OSFS{}
	cfg.Elsewhere = true
	// The dump's nginx is not this machine's: its nginx -v says nothing.
	si := w.settingsFor(nil, false)
	res := analysis.AnalyzeContext(ctx, cfg, w.opts.Analyzers, si.Settings)
	return Report{Diagnostics: res.Diagnostics, Suppressed: res.Suppressed, Errors: res.Errors, Settings: []SettingsInfo{si}}, nil
}

// CheckSource analyses a text that is no file (standard input) alone; the
// files it names are read from the disk, relative to the current folder.
func (w *Workspace) CheckSource(ctx context.Context, name string, src []byte) Report {
	cfg := config.Load(syntax.Parse(name, src))
	cfg.FS, cfg.Prefix = w.files(nil), "."
	p, err := w.projectFor(Abs("."))
	if err != nil {
		return Report{Errors: []error{err}}
	}
	si := w.settings(p)
	res := analysis.AnalyzeContext(ctx, cfg, w.opts.Analyzers, si.Settings)
	return Report{Diagnostics: res.Diagnostics, Suppressed: res.Suppressed, Errors: res.Errors, Settings: []SettingsInfo{si}}
}
