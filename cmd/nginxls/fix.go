package main

import (
	"bytes"
	"context"
	"errors"
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
//
// A file is written only if it still holds the text the fixes were made
// on, and may be written (see writeChanges); the error then names the
// files written and those not, and the findings returned are those of
// what the files hold.
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
	// read is the text each file of pending had when it was read: what
	// the file must still hold when it is replaced.
	read := map[string][]byte{}
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
				if _, ok := read[f.Name]; !ok {
					read[f.Name] = f.Src
				}
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
			// Some fix of this round does harm: undo the round, try each
			// of its fixes alone on the round's text (their edits are made
			// on it), then apply together those that do none.
			restore(saved)
			var good []analysis.Diagnostic
			for _, d := range todo {
				ok, err := apply([]analysis.Diagnostic{d})
				if err != nil {
					return rep, nil, nil, err
				}
				if ok {
					if harm := fixHealth(ctx, ws, files, ws.Check(ctx, files)).worse(base); harm != "" {
						refused[fixKey(d, d.Fixes[0])] = harm
						left = append(left, notFixed{d, d.Fixes[0].Title, harm})
					} else {
						good = append(good, d)
					}
				}
				restore(saved)
			}
			if _, err := apply(good); err != nil {
				return rep, nil, nil, err
			}
			next = ws.Check(ctx, files)
			if harm := fixHealth(ctx, ws, files, next).worse(base); harm != "" {
				// Harmless alone, harmful together: none of them this round.
				restore(saved)
				for _, d := range good {
					refused[fixKey(d, d.Fixes[0])] = harm + " (with another fix)"
					left = append(left, notFixed{d, d.Fixes[0].Title, harm + " (with another fix)"})
				}
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
		if n, m := len(syntax.Parse(p, read[p]).Errors), len(syntax.Parse(p, text).Errors); m > n {
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
		if !bytes.Equal(read[p], pending[p]) {
			changes = append(changes, change{path: p, before: read[p], after: pending[p]})
		}
	}
	if opts.diff || len(changes) == 0 {
		return rep, changes, left, nil
	}
	if err := writeChanges(changes); err != nil {
		// The findings reported are those of what the files now hold.
		for p := range pending {
			ws.SetOverlay(p, nil)
		}
		return ws.Check(ctx, files), changes, left, err
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

// beforeReplace, when set (by tests), is called with each file --fix is
// about to replace, after its new text is ready and before the file is
// checked one last time: where an edit made meanwhile must be caught.
var beforeReplace func(path string)

var (
	errReadOnly = errors.New("read-only")
	errChanged  = errors.New("changed since it was read")
)

// writeChanges writes the files --fix changed, each only if it still
// holds the text the fixes were made on. The fixes were checked together
// (a fix may rely on another in a file it includes), so every file is
// checked first: one that changed or is read-only holds all of them back.
// Each is checked again just before it is replaced; one found changed
// then stops the writing, and the files already written stay written. The
// error names the files written and those not.
func writeChanges(changes []change) error {
	var errs []error
	for _, c := range changes {
		if err := checkFile(c.path, c.before); err != nil {
			errs = append(errs, notWritten(c.path, err))
		}
	}
	if len(errs) > 0 {
		return errors.Join(append(errs, wroteWhat(nil, changes))...)
	}
	for i, c := range changes {
		if err := writeFixed(c.path, c.before, c.after); err != nil {
			return errors.Join(notWritten(c.path, err), wroteWhat(changes[:i], changes[i:]))
		}
	}
	return nil
}

// notWritten says why the file at path was not written.
func notWritten(path string, err error) error {
	switch {
	case errors.Is(err, errReadOnly):
		return fmt.Errorf("not fixed: %s is read-only", shown(path))
	case errors.Is(err, errChanged):
		return fmt.Errorf("not fixed: %s changed since --fix read it (edited meanwhile); run --fix again", shown(path))
	}
	return fmt.Errorf("not fixed: %s: %v", shown(path), err)
}

// wroteWhat names the files written and those not.
func wroteWhat(written, not []change) error {
	names := func(cs []change) string {
		var out []string
		for _, c := range cs {
			out = append(out, shown(c.path))
		}
		return strings.Join(out, ", ")
	}
	w := "nothing"
	if len(written) > 0 {
		w = names(written)
	}
	return fmt.Errorf("--fix wrote %s; not written: %s", w, names(not))
}

// checkFile reports whether the file at path (a link: the file it leads
// to) may be replaced: it is writable and still holds read.
func checkFile(path string, read []byte) error {
	target, err := filepath.EvalSymlinks(path)
	if err != nil {
		return err
	}
	st, err := os.Stat(target)
	if err != nil {
		return err
	}
	if !st.Mode().IsRegular() {
		return config.ErrNotRegular
	}
	if readOnly(target, st) {
		return errReadOnly
	}
	now, err := config.ReadFileLimit(target, int64(len(read))+1)
	if errors.Is(err, config.ErrTooLarge) {
		return errChanged // it grew
	}
	if err != nil {
		return err
	}
	if !bytes.Equal(now, read) {
		return errChanged
	}
	return nil
}

// unchanged reports whether f, open on the file at path, is still the
// file there and still holds read.
func unchanged(f *os.File, path string, read []byte) error {
	st, err := f.Stat()
	if err != nil {
		return err
	}
	if now, err := os.Stat(path); err != nil || !os.SameFile(st, now) {
		return errChanged // replaced (another run, an editor's save)
	}
	if st.Size() != int64(len(read)) {
		return errChanged
	}
	now, err := io.ReadAll(io.NewSectionReader(f, 0, int64(len(read))+1)) // more is a change
	if err != nil {
		return err
	}
	if !bytes.Equal(now, read) {
		return errChanged
	}
	return nil
}

// writeFixed replaces the text of the file at path, read, with data, so
// that readers (a reloading nginx) see either the old or the new text: it
// writes a temporary file in the same folder, gives it everything the old
// file has besides its text (owner, group, mode with setuid, setgid and
// sticky bits, extended attributes: SELinux label, ACLs), and renames it
// over the old one. A symbolic link (sites-enabled/...) is resolved first,
// so that the link stays a link.
//
// Just before the rename, with the file locked against other --fix runs,
// it checks that the file is the one read and still holds read; if not,
// it returns errChanged and writes nothing. An editor's save in the
// moment between that check and the rename is not caught: editors take
// no lock.
//
// The file is rewritten in place instead when the rename would lose
// something: a file with more than one name (a hard link), since the new
// file would have this name only and split the link; a file whose owner,
// group, mode or attributes cannot be given (a user who is not root
// rewriting a file of another group); a folder the user may not create
// files in.
func writeFixed(path string, read, data []byte) error {
	target, err := filepath.EvalSymlinks(path)
	if err != nil {
		return err
	}
	f, err := openFile(target, os.O_RDONLY)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	if !st.Mode().IsRegular() {
		return config.ErrNotRegular
	}
	if readOnly(target, st) {
		return errReadOnly
	}
	if linkCount(st) > 1 {
		return writeInPlace(target, read, data)
	}
	tmp, err := os.CreateTemp(filepath.Dir(target), "."+filepath.Base(target)+".nginxls-*")
	if isReadOnlyErr(err) {
		return writeInPlace(target, read, data)
	}
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
	if !keepMeta(tmp, target, st) {
		tmp.Close()
		os.Remove(tmp.Name())
		done = true
		return writeInPlace(target, read, data)
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	unlock, err := lockUnchanged(f, target, read)
	if err != nil {
		return err
	}
	defer unlock()
	if closeBeforeRename {
		f.Close()
	}
	if err := os.Rename(tmp.Name(), target); err != nil {
		return fmt.Errorf("replacing %s: %w", target, err)
	}
	done = true
	syncDir(filepath.Dir(target))
	return nil
}

// lockUnchanged takes the file's lock (concurrent --fix runs take turns)
// and checks, under it, that the file still holds read: the last check
// before it is replaced or rewritten. The caller unlocks.
func lockUnchanged(f *os.File, path string, read []byte) (unlock func(), err error) {
	if beforeReplace != nil {
		beforeReplace(path)
	}
	if unlock, err = lockFile(f); err != nil {
		return nil, err
	}
	if err := unchanged(f, path, read); err != nil {
		unlock()
		return nil, err
	}
	return unlock, nil
}

// writeInPlace rewrites the file itself, when it still holds read: its
// inode, names, owner, group, mode and attributes stay.
func writeInPlace(path string, read, data []byte) error {
	f, err := openFile(path, os.O_RDWR)
	if isReadOnlyErr(err) {
		return errReadOnly
	}
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	unlock, err := lockUnchanged(f, path, read)
	if err != nil {
		return err
	}
	defer unlock()
	if _, err := f.WriteAt(data, 0); err != nil {
		return err
	}
	if err := f.Truncate(int64(len(data))); err != nil {
		return err
	}
	keepMode(f, st)
	return f.Sync()
}
