package main

import (
	"bufio"
	"bytes"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/nginxls/nginxls/analysis"
	"github.com/nginxls/nginxls/analysis/config"
	"github.com/nginxls/nginxls/analysis/syntax"
)

// A unit is what is analysed together: a main configuration with every file
// it includes, or a file that no checked configuration includes, alone.
type unit struct {
	path string    // the main file, or the file
	name string    // the name findings are reported under (for standard input)
	tree bool      // follow includes
	fs   config.FS // where files are read from
}

// load parses and models a unit. Files are read through fs, so that the fix
// loop can serve its edited, not yet written, texts.
func (u unit) load(fs config.FS) (*config.Config, error) {
	if u.tree {
		return config.LoadTree(fs, u.path, nil)
	}
	src, err := fs.ReadFile(u.path)
	if err != nil {
		return nil, err
	}
	name := u.name
	if name == "" {
		name = u.path
	}
	return config.Load(syntax.Parse(name, src)), nil
}

// plan turns the checked files into units: the main configurations first,
// then the files none of them includes. A file is analysed once, in the
// first tree that holds it.
func plan(files []string, fs config.FS, parsed map[string]*syntax.File) []unit {
	var units []unit
	covered := map[string]bool{}
	for _, p := range files {
		if f := parsed[p]; f != nil && config.IsMain(f) && !covered[samePath(p)] {
			units = append(units, unit{path: p, tree: true, fs: fs})
			if cfg, err := config.LoadTree(fs, p, nil); err == nil {
				for _, f := range cfg.Files {
					covered[samePath(f.Name)] = true
				}
			}
		}
	}
	for _, p := range files {
		if !covered[samePath(p)] {
			units = append(units, unit{path: p, fs: fs})
		}
	}
	return units
}

// samePath is a key under which two spellings of one file meet: absolute,
// with symbolic links resolved (an include may name /etc/nginx/conf.d/a.conf
// while the command line says conf.d/a.conf).
func samePath(p string) string {
	if abs, err := filepath.Abs(p); err == nil {
		p = abs
	}
	if real, err := filepath.EvalSymlinks(p); err == nil {
		p = real
	}
	return p
}

// dumpPrefix starts each file in the output of `nginx -T`.
const dumpPrefix = "# configuration file "

// splitDump reads the output of `nginx -T` (or of `nginx -T` piped
// through anything that keeps the lines): files follow each other, each
// after a `# configuration file PATH:` line. It returns the files and the
// first one, the main configuration.
func splitDump(data []byte) (config.MemFS, string, error) {
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

// dedupe drops findings reported twice (a file checked in two trees, whose
// findings come from two different parses of it): they are the same when
// the file name, the span, the rule and the message are.
func dedupe[T any](xs []T, diag func(T) analysis.Diagnostic) []T {
	type key struct {
		file       string
		start, end int
		rule, msg  string
	}
	seen := map[key]bool{}
	out := xs[:0]
	for _, x := range xs {
		d := diag(x)
		k := key{d.File.Name, d.Span.Start, d.Span.End, d.Rule, d.Message}
		if !seen[k] {
			seen[k] = true
			out = append(out, x)
		}
	}
	return out
}
