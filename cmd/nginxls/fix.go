package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/aymanbagabas/go-udiff"

	"github.com/nginxls/nginxls/analysis"
	"github.com/nginxls/nginxls/analysis/config"
	"github.com/nginxls/nginxls/analysis/syntax"
	"github.com/nginxls/nginxls/analysis/workspace"
)

// maxFixRounds bounds the fix loop. Fixes that collide are held back by
// analysis.MergeFixes and come back in the next round's analysis; a few
// rounds settle every file seen so far, and the bound stops two fixes that
// would undo each other.
const maxFixRounds = 5

// fixFiles applies the fixes of the findings at or above --min-severity
// in the checked files (and the files they include), round after round on
// texts kept in the workspace as unsaved buffers, writes each changed file
// once, and returns the findings that remain. A fix that would edit a file
// outside the paths given (a shared snippet, certbot's options file
// reached through an include) is not applied: it is listed, with its
// finding, among the findings that remain. A main configuration given
// stands for its folder: the files it includes there are its own.
func fixFiles(ws *workspace.Workspace, files, given []string, opts checkOptions) (workspace.Report, []change, error) {
	ctx := context.Background()
	var roots []string
	for _, g := range given {
		roots = append(roots, realAbs(g))
		if ws.IsMain(g) {
			roots = append(roots, realAbs(filepath.Dir(g)))
		}
	}
	inScope := func(d analysis.Diagnostic, fix analysis.SuggestedFix) bool {
		for _, e := range fix.Edits {
			f := e.File
			if f == nil {
				f = d.File
			}
			if !underAny(realAbs(f.Name), roots) {
				return false
			}
		}
		return true
	}
	// fixable keeps, of each finding shown, the fixes --fix may apply:
	// in scope, and safe unless --unsafe-fixes. The first one left is
	// applied.
	fixable := func(diags []analysis.Diagnostic) []analysis.Diagnostic {
		var out []analysis.Diagnostic
		for _, d := range visible(diags, opts.fixSeverity) {
			var fixes []analysis.SuggestedFix
			for _, fix := range d.Fixes {
				if (!fix.Unsafe || opts.unsafeFixes) && inScope(d, fix) {
					fixes = append(fixes, fix)
				}
			}
			if len(fixes) > 0 {
				d.Fixes = fixes
				out = append(out, d)
			}
		}
		return out
	}
	pending := map[string][]byte{}
	set := func(p string, text []byte) {
		pending[p] = text
		ws.SetOverlay(p, &workspace.Overlay{Text: text})
	}
	rep := ws.Check(ctx, files)
	for round := 0; round < maxFixRounds; round++ {
		before := len(visible(rep.Diagnostics, opts.fixSeverity))
		saved := maps.Clone(pending)
		edits, _ := analysis.MergeFixes(fixable(rep.Diagnostics))
		changed := false
		for f, es := range edits {
			if len(es) == 0 {
				continue
			}
			out, err := analysis.ApplyEdits(f.Src, es)
			if err != nil {
				return rep, nil, err
			}
			if !bytes.Equal(out, f.Src) {
				set(f.Name, out)
				changed = true
			}
		}
		if !changed {
			break
		}
		next := ws.Check(ctx, files)
		if len(visible(next.Diagnostics, opts.fixSeverity)) >= before {
			// A round that fixes nothing would only be repeated (a fix whose
			// finding stays, applied again and again): undo it and stop.
			for p := range pending {
				if text, ok := saved[p]; ok {
					set(p, text)
				} else {
					delete(pending, p)
					ws.SetOverlay(p, nil)
				}
			}
			rep = ws.Check(ctx, files)
			break
		}
		rep = next
	}
	// Never write a file the fixes made worse: more syntax errors than it
	// had means a fix went wrong, and nginx would not start.
	for p, text := range pending {
		orig, err := config.ReadFile(p)
		if err != nil {
			return rep, nil, err
		}
		if n, m := len(syntax.Parse(p, orig).Errors), len(syntax.Parse(p, text).Errors); m > n {
			return rep, nil, fmt.Errorf("the fixes would add syntax errors to %s (%d before, %d after); nothing was written", p, n, m)
		}
	}
	paths := make([]string, 0, len(pending))
	for p := range pending {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	var changes []change
	for _, p := range paths {
		orig, err := config.ReadFile(p)
		if err == nil && bytes.Equal(orig, pending[p]) {
			continue
		}
		changes = append(changes, change{path: p, before: orig, after: pending[p]})
		if opts.diff {
			continue
		}
		if err := writeFileAtomic(p, pending[p]); err != nil {
			return rep, changes, err
		}
	}
	return rep, changes, nil
}

// change is a file --fix rewrote (or --diff would).
type change struct {
	path          string
	before, after []byte
}

// printDiffs writes the changes as unified diffs, paths as shown in
// findings (a/ and b/ prefixes, as git and patch -p1 expect).
func printDiffs(w io.Writer, changes []change) error {
	for _, c := range changes {
		name := filepath.ToSlash(shown(c.path))
		d := udiff.Unified("a/"+strings.TrimPrefix(name, "/"), "b/"+strings.TrimPrefix(name, "/"), string(c.before), string(c.after))
		if _, err := io.WriteString(w, d); err != nil {
			return err
		}
	}
	return nil
}

// realAbs is a path absolute, with its links resolved when it exists.
func realAbs(p string) string {
	p = workspace.Abs(p)
	if r, err := filepath.EvalSymlinks(p); err == nil {
		return r
	}
	return p
}

// underAny reports whether path is one of roots or lies in one of them.
func underAny(path string, roots []string) bool {
	for _, r := range roots {
		if rel, err := filepath.Rel(r, path); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return true
		}
	}
	return false
}

// writeFileAtomic replaces the file at path with data so that readers (a
// reloading nginx) see either the old or the new content: it writes a
// temporary file in the same directory, gives it the old file's mode and
// renames it over the old one. A symbolic link (sites-enabled/...) is
// resolved first, so that the link stays a link.
func writeFileAtomic(path string, data []byte) error {
	target, err := filepath.EvalSymlinks(path)
	if err != nil {
		return err
	}
	st, err := os.Stat(target)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(target), "."+filepath.Base(target)+".nginxls-*")
	if err != nil {
		return err
	}
	done := false
	defer func() {
		if !done {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err := tmp.Write(data); err != nil {
		return err
	}
	if err := tmp.Chmod(st.Mode().Perm()); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), target); err != nil {
		os.Remove(tmp.Name())
		done = true
		return fmt.Errorf("replacing %s: %w", target, err)
	}
	done = true
	return nil
}
