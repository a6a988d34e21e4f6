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
	"github.com/nginxls/nginxls/analysis/directives"
	"github.com/nginxls/nginxls/analysis/syntax"
	"github.com/nginxls/nginxls/analysis/workspace"
)

// maxFixRounds bounds the fix loop. Fixes that collide are held back by
// analysis.MergeFixes and come back in the next round's analysis; a few
// rounds settle every file seen so far, and the bound stops two fixes that
// would undo each other.
const maxFixRounds = 5

// notFixed is a fix --fix left out, and why.
type notFixed struct {
	diag   analysis.Diagnostic
	title  string
	reason string
}

// fixFiles applies the fixes of the findings at or above --min-severity
// in the checked files (and the files they include), round after round on
// texts kept in the workspace as unsaved buffers, writes each changed file
// once, and returns the findings that remain. A fix that would edit a file
// outside the paths given (a shared snippet, certbot's options file
// reached through an include) is not applied: it is listed among the
// fixes left out, with its finding among the findings that remain. A main
// configuration given stands for its folder: the files it includes there
// are its own.
//
// A fix never makes the configuration worse: after each round the
// configuration is analysed again, and a round that adds an error finding
// or a directive nginx would call duplicate (in one block, includes
// followed) is undone and its fixes tried one by one; those that do harm
// are left out, with the reason, and the others kept.
// fixScope returns, for a fix, the first file it edits that lies outside
// the paths given, or "" when --fix may write all of them. A main
// configuration given stands for its folder.
func fixScope(ws *workspace.Workspace, given []string) func(analysis.Diagnostic, analysis.SuggestedFix) string {
	var roots []string
	for _, g := range given {
		roots = append(roots, realAbs(g))
		if ws.IsMain(g) {
			roots = append(roots, realAbs(filepath.Dir(g)))
		}
	}
	return func(d analysis.Diagnostic, fix analysis.SuggestedFix) string {
		for _, e := range fix.Edits {
			f := e.File
			if f == nil {
				f = d.File
			}
			if !underAny(realAbs(f.Name), roots) {
				return f.Name
			}
		}
		return ""
	}
}

func fixFiles(ws *workspace.Workspace, files, given []string, opts checkOptions) (workspace.Report, []change, []notFixed, error) {
	ctx := context.Background()
	outside := fixScope(ws, given)
	// refused are the fixes found to do harm, by fixKey, with the reason.
	refused := map[string]string{}
	// fixable keeps, of each finding shown, the fixes --fix may apply:
	// in scope, not refused, and safe unless --unsafe-fixes. The first one
	// left is applied.
	fixable := func(diags []analysis.Diagnostic) []analysis.Diagnostic {
		var out []analysis.Diagnostic
		for _, d := range visible(diags, opts.fixSeverity) {
			var fixes []analysis.SuggestedFix
			for _, fix := range d.Fixes {
				if (!fix.Unsafe || opts.unsafeFixes) && outside(d, fix) == "" && refused[fixKey(d, fix)] == "" {
					fixes = append(fixes, fix)
				}
			}
			if len(fixes) > 0 {
				d.Fixes = fixes[:1]
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
	restore := func(saved map[string][]byte) {
		for p := range pending {
			if text, ok := saved[p]; ok {
				set(p, text)
			} else {
				delete(pending, p)
				ws.SetOverlay(p, nil)
			}
		}
	}
	// apply applies the fixes of diags; it reports whether a file changed.
	apply := func(diags []analysis.Diagnostic) (bool, error) {
		edits, _ := analysis.MergeFixes(diags)
		changed := false
		for f, es := range edits {
			if len(es) == 0 {
				continue
			}
			out, err := analysis.ApplyEdits(f.Src, es)
			if err != nil {
				return false, err
			}
			if !bytes.Equal(out, f.Src) {
				set(f.Name, out)
				changed = true
			}
		}
		return changed, nil
	}
	rep := ws.Check(ctx, files)
	base := fixHealth(ctx, ws, files, rep)
	var left []notFixed
	for round := 0; round < maxFixRounds; round++ {
		before := len(visible(rep.Diagnostics, opts.fixSeverity))
		saved := maps.Clone(pending)
		todo := fixable(rep.Diagnostics)
		changed, err := apply(todo)
		if err != nil {
			return rep, nil, nil, err
		}
		if !changed {
			break
		}
		next := ws.Check(ctx, files)
		if harm := fixHealth(ctx, ws, files, next).worse(base); harm != "" {
			// Some fix of this round does harm: undo the round, then take
			// its fixes one at a time and keep those that do none.
			restore(saved)
			next = ws.Check(ctx, files)
			for _, d := range todo {
				kept := maps.Clone(pending)
				if ok, err := apply([]analysis.Diagnostic{d}); err != nil {
					return rep, nil, nil, err
				} else if !ok {
					continue
				}
				try := ws.Check(ctx, files)
				if harm := fixHealth(ctx, ws, files, try).worse(base); harm != "" {
					restore(kept)
					refused[fixKey(d, d.Fixes[0])] = harm
					left = append(left, notFixed{d, d.Fixes[0].Title, harm})
					continue
				}
				next = try
			}
			if maps.EqualFunc(pending, saved, bytes.Equal) {
				rep = ws.Check(ctx, files)
				continue
			}
		}
		if len(visible(next.Diagnostics, opts.fixSeverity)) >= before {
			// A round that fixes nothing would only be repeated (a fix whose
			// finding stays, applied again and again): undo it and stop.
			restore(saved)
			rep = ws.Check(ctx, files)
			break
		}
		rep = next
	}
	// The fixes of the findings left that --fix may not apply here: they
	// edit a file outside the paths given.
	for _, d := range visible(rep.Diagnostics, opts.fixSeverity) {
		for _, fix := range d.Fixes {
			if !fix.Unsafe || opts.unsafeFixes {
				if f := outside(d, fix); f != "" && refused[fixKey(d, fix)] == "" {
					left = append(left, notFixed{d, fix.Title, "it edits " + shown(f) + ", outside the paths given"})
				}
				break
			}
		}
	}
	// Never write a file the fixes made worse: more syntax errors than it
	// had means a fix went wrong, and nginx would not start.
	for p, text := range pending {
		orig, err := config.ReadFile(p)
		if err != nil {
			return rep, nil, left, err
		}
		if n, m := len(syntax.Parse(p, orig).Errors), len(syntax.Parse(p, text).Errors); m > n {
			return rep, nil, left, fmt.Errorf("the fixes would add syntax errors to %s (%d before, %d after); nothing was written", p, n, m)
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
			return rep, changes, left, err
		}
	}
	return rep, changes, left, nil
}

// fixKey names a fix across rounds, where its offsets move: its rule,
// title and what it writes where.
func fixKey(d analysis.Diagnostic, fix analysis.SuggestedFix) string {
	key := d.Rule + "\x00" + fix.Title
	for _, e := range fix.Edits {
		f := e.File
		if f == nil {
			f = d.File
		}
		key += "\x00" + f.Name + "\x00" + f.Text(e.Span) + "\x00" + e.NewText
	}
	return key
}

// health is what a fix must not add to: error findings by rule, and
// directives nginx would reject as duplicate, by name.
type health map[string]int

func fixHealth(ctx context.Context, ws *workspace.Workspace, files []string, rep workspace.Report) health {
	h := health{}
	for _, d := range rep.Diagnostics {
		if d.Severity == analysis.Error {
			h["an error finding ["+d.Rule+"]"]++
		}
	}
	seen := map[string]bool{}
	for _, f := range files {
		roots, err := ws.RootsOf(f)
		if err != nil {
			continue
		}
		for _, r := range roots {
			if seen[r] {
				continue
			}
			seen[r] = true
			res, err := ws.Analyze(ctx, r)
			if err != nil {
				continue
			}
			for _, b := range res.Config.Blocks() {
				count := map[string]int{}
				for _, d := range b.Dir.Children() {
					if n := d.Name.Value; directives.Single(n) {
						if count[n]++; count[n] > 1 {
							h["a second "+n+" in one "+b.Dir.Name.Value+" block, which nginx rejects as duplicate"]++
						}
					}
				}
			}
		}
	}
	return h
}

// worse says what h has more of than base, or "".
func (h health) worse(base health) string {
	var out []string
	for k, n := range h {
		if n > base[k] {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	if len(out) == 0 {
		return ""
	}
	return "it would add " + strings.Join(out, " and ")
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
// temporary file in the same directory, gives it the old file's mode,
// owner and group, and renames it over the old one. When the owner or the
// group cannot be given (a user who is not root rewriting a file of
// another group), the file is rewritten in place instead, which keeps
// them. A symbolic link (sites-enabled/...) is resolved first, so that the
// link stays a link.
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
	if !keepOwner(tmp, st) {
		return writeInPlace(target, data)
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

// writeInPlace rewrites the file itself: its inode, mode, owner and group
// stay.
func writeInPlace(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_TRUNC, 0)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
