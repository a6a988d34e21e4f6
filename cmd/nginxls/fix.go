package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"

	"github.com/nginxls/nginxls/analysis"
)

// maxFixRounds bounds the fix loop. Fixes that collide are held back by
// analysis.MergeFixes and come back in the next round's analysis; a few
// rounds settle every file seen so far, and the bound stops two fixes that
// would undo each other.
const maxFixRounds = 5

// fixFile applies the fixes of the findings at or above --min-severity to
// the file at path, round after round, writes the result once, and returns
// the findings that remain.
func fixFile(path string, src []byte, opts checkOptions) ([]analysis.Diagnostic, []error, error) {
	orig := src
	f, diags, errs := analyse(path, src, opts.settings)
	for round := 0; round < maxFixRounds; round++ {
		edits, _ := analysis.MergeFixes(visible(diags, opts.minSeverity))
		if len(edits[f]) == 0 {
			break
		}
		out, err := analysis.ApplyEdits(src, edits[f])
		if err != nil {
			return diags, errs, err
		}
		if bytes.Equal(out, src) {
			break
		}
		src = out
		f, diags, errs = analyse(path, src, opts.settings)
	}
	if bytes.Equal(src, orig) {
		return diags, errs, nil
	}
	return diags, errs, writeFileAtomic(path, src)
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
