// Package workspace reads a project's .nginxls.toml: which file is the main
// configuration, the nginx and OpenSSL targeted, where the folders nginx
// sees are found here, which files to skip and how rules are set.
package workspace

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	toml "github.com/pelletier/go-toml/v2"
	"github.com/pelletier/go-toml/v2/unstable"

	"github.com/nginxls/nginxls/analysis"
	"github.com/nginxls/nginxls/analysis/config"
	_ "github.com/nginxls/nginxls/analysis/rules" // the registry the rule ids are checked against
	"github.com/nginxls/nginxls/analysis/syntax"
)

// ProjectFileName is the name of the project file.
const ProjectFileName = ".nginxls.toml"

// maxProjectSize bounds what LoadProject reads: real files are a few lines.
const maxProjectSize = 1 << 20

// Project is a parsed .nginxls.toml.
type Project struct {
	File string // absolute, clean path of the .nginxls.toml
	Dir  string // its folder: the project root
	Main string // absolute clean path of `main`, or ""
	// The settings of analysis.SettingList it sets, and [rules].
	analysis.SettingValues
	Exclude []string         // patterns as written
	Paths   []config.PathMap // sorted longest From first
}

// ProjectError is a problem in the file, with its place.
type ProjectError struct {
	File         string
	Line, Column int // 1-based, 0 when unknown
	Msg          string
}

func (e *ProjectError) Error() string {
	switch {
	case e.Line == 0:
		return fmt.Sprintf("%s: %s", e.File, e.Msg)
	case e.Column == 0:
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Column, e.Msg)
}

// projectFile is the file's schema besides the settings of
// analysis.SettingList, which are read by name. A pointer tells `key = ""`
// from no key, so that an empty value is an error rather than "unset".
type projectFile struct {
	Main    *string           `toml:"main"`
	Exclude []string          `toml:"exclude"`
	Paths   map[string]string `toml:"paths"`
	Rules   map[string]string `toml:"rules"`
}

// topKeys are the top-level keys, and what each must hold.
var topKeys = func() map[string]string {
	keys := map[string]string{
		"main":    "a string",
		"exclude": "an array of strings",
		"paths":   "a table of strings",
		"rules":   "a table of strings",
	}
	for _, s := range analysis.SettingList {
		keys[s.Name] = "a string"
		if s.Number {
			keys[s.Name] = "an integer"
		}
	}
	return keys
}()

// LoadProject reads and parses the project file; registry is the rules
// its rule settings may name (nil: any).
func LoadProject(file string, registry []*analysis.Analyzer) (*Project, error) {
	file, err := filepath.Abs(file)
	if err != nil {
		return nil, err
	}
	// Stat before opening: opening a FIFO would block.
	fi, err := os.Stat(file)
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, &ProjectError{File: file, Msg: "not a regular file"}
	}
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	src, err := io.ReadAll(io.LimitReader(f, maxProjectSize+1))
	if err != nil {
		return nil, err
	}
	if len(src) > maxProjectSize {
		return nil, &ProjectError{File: file, Msg: "larger than 1 MiB"}
	}
	return parseProject(file, src, true, registry)
}

// ParseProject parses the text of a project file named file (an absolute
// path). The error, if any, is a *ProjectError for the first problem found:
// syntax, then unknown keys, then types, then values.
func ParseProject(file string, src []byte, registry []*analysis.Analyzer) (*Project, error) {
	return parseProject(file, src, false, registry)
}

// projectReader reads one project file. onDisk also checks that the main
// configuration and the folders mapped to exist (a typo there would
// otherwise surface as a confusing finding in the configuration).
type projectReader struct {
	file, dir string
	onDisk    bool
	registry  []*analysis.Analyzer // the rules a rule setting may name
	pl        keyPlaces
}

// at is an error at a place of the file.
func (r *projectReader) at(pos unstable.Position, format string, args ...any) error {
	return &ProjectError{File: r.file, Line: pos.Line, Column: pos.Column, Msg: fmt.Sprintf(format, args...)}
}

func parseProject(file string, src []byte, onDisk bool, registry []*analysis.Analyzer) (*Project, error) {
	file, err := filepath.Abs(file)
	if err != nil {
		return nil, err
	}
	r := &projectReader{file: file, dir: filepath.Dir(file), onDisk: onDisk, registry: registry}
	pf, settings, err := r.decode(src)
	if err != nil {
		return nil, err
	}
	p := &Project{File: file, Dir: r.dir, Exclude: pf.Exclude}
	if err := r.main(p, pf.Main); err != nil {
		return nil, err
	}
	for _, s := range analysis.SettingList {
		if text, ok := settings[s.Name]; ok {
			if err := s.Set(&p.SettingValues, text); err != nil {
				return nil, r.at(r.pl.valAt(s.Name), "%v", err)
			}
		}
	}
	for i, pat := range pf.Exclude {
		if msg := checkPattern(pat); msg != "" {
			return nil, r.at(r.pl.valAt("exclude", strconv.Itoa(i)), "exclude pattern %s: %s", syntax.Quote(pat), msg)
		}
	}
	if err := r.paths(p, pf.Paths); err != nil {
		return nil, err
	}
	for _, id := range r.pl.keysIn("rules", pf.Rules) {
		if err := p.SetRule(id, pf.Rules[id], r.registry); err != nil {
			var se *analysis.SettingError
			if errors.As(err, &se) && se.Key {
				return nil, r.at(r.pl.keyAt("rules", id), "%v", err)
			}
			return nil, r.at(r.pl.valAt("rules", id), "%v", err)
		}
	}
	return p, nil
}

// decode finds syntax errors, unknown keys and values of the wrong type,
// in this order, and returns the schema's values and the text of each
// setting of analysis.SettingList the file sets.
func (r *projectReader) decode(src []byte) (*projectFile, map[string]string, error) {
	// Unknown keys are found from the positions, not by the decoder's strict
	// mode: go-toml matches field names case-insensitively, and TOML is not.
	pl, perr := locateKeys(src)
	r.pl = pl
	if perr == nil {
		for _, k := range pl.order {
			if len(k) == 1 && topKeys[k[0]] == "" {
				return nil, nil, r.at(pl.keyAt(k...), "unknown key %s", showKey(k))
			}
		}
	}
	var pf projectFile
	if err := toml.NewDecoder(bytes.NewReader(src)).Decode(&pf); err != nil {
		return nil, nil, r.decodeError(err)
	}
	if perr != nil { // the decoder uses the same parser; it cannot accept what locateKeys refused
		return nil, nil, &ProjectError{File: r.file, Msg: perr.Error()}
	}
	var all map[string]any
	if err := toml.Unmarshal(src, &all); err != nil {
		return nil, nil, &ProjectError{File: r.file, Msg: err.Error()}
	}
	settings := map[string]string{}
	for _, s := range analysis.SettingList {
		v, ok := all[s.Name]
		if !ok {
			continue
		}
		n, isInt := v.(int64)
		text, isString := v.(string)
		switch {
		case s.Number && isInt:
			text = strconv.FormatInt(n, 10)
		case s.Number || !isString:
			pos := pl.valAt(s.Name)
			if pos.Line == 0 { // a table
				pos = pl.keyAt(s.Name)
			}
			return nil, nil, r.at(pos, "%s must be %s", s.Name, topKeys[s.Name])
		}
		settings[s.Name] = text
	}
	return &pf, settings, nil
}

// decodeError is the decoder's error at its place; a type error says what
// the file must hold rather than naming Go types.
func (r *projectReader) decodeError(err error) error {
	var de *toml.DecodeError
	if !errors.As(err, &de) {
		return &ProjectError{File: r.file, Msg: err.Error()}
	}
	line, col := de.Position()
	msg := strings.TrimPrefix(de.Error(), "toml: ")
	if key := de.Key(); len(key) > 0 && topKeys[key[0]] != "" &&
		(strings.HasPrefix(msg, "cannot decode") || strings.HasPrefix(msg, "cannot store")) {
		k, want := key[:1], topKeys[key[0]]
		if len(key) > 1 && (key[0] == "paths" || key[0] == "rules") {
			k, want = key[:2], "a string"
		}
		msg = fmt.Sprintf("%s must be %s", showKey(k), want)
	}
	return &ProjectError{File: r.file, Line: line, Column: col, Msg: msg}
}

// main sets p.Main from the main key.
func (r *projectReader) main(p *Project, main *string) error {
	if main == nil {
		return nil
	}
	m := *main
	clean := filepath.Clean(m)
	if m == "" || os.IsPathSeparator(m[len(m)-1]) || clean == filepath.Dir(clean) || slices.Contains([]string{".", ".."}, filepath.Base(clean)) {
		return r.at(r.pl.valAt("main"), "main must name a file, not %s", syntax.Quote(m))
	}
	if !filepath.IsAbs(clean) {
		clean = filepath.Join(r.dir, clean)
	}
	p.Main = clean
	if st, err := os.Stat(clean); r.onDisk && (err != nil || !st.Mode().IsRegular()) {
		return r.at(r.pl.valAt("main"), "main: %s is not a file here", clean)
	}
	return nil
}

// paths sets p.Paths from the [paths] table, longest first, so that the
// most specific mapping wins.
func (r *projectReader) paths(p *Project, paths map[string]string) error {
	seen := map[string]bool{}
	for _, from := range r.pl.keysIn("paths", paths) {
		to := paths[from]
		if !filepath.IsAbs(from) {
			return r.at(r.pl.keyAt("paths", from), "paths: %s is not an absolute path", syntax.Quote(from))
		}
		if to == "" {
			return r.at(r.pl.valAt("paths", from), "paths: %s is mapped to an empty path", syntax.Quote(from))
		}
		m := config.PathMap{From: filepath.Clean(from), To: filepath.Clean(to)}
		if !filepath.IsAbs(m.To) {
			m.To = filepath.Join(r.dir, m.To)
		}
		if seen[m.From] {
			return r.at(r.pl.keyAt("paths", from), "paths: %s is mapped twice", m.From)
		}
		if st, err := os.Stat(m.To); r.onDisk && (err != nil || !st.IsDir()) {
			return r.at(r.pl.valAt("paths", from), "paths: %s is mapped to %s, which is not a folder here", m.From, m.To)
		}
		seen[m.From] = true
		p.Paths = append(p.Paths, m)
	}
	slices.SortFunc(p.Paths, func(a, b config.PathMap) int {
		return cmp.Or(cmp.Compare(len(b.From), len(a.From)), cmp.Compare(a.From, b.From))
	})
	return nil
}

// checkPattern says what is wrong with an exclude pattern, or "".
func checkPattern(pat string) string {
	clean := path.Clean(pat)
	switch {
	case pat == "" || clean == ".":
		return "empty"
	case path.IsAbs(clean) || filepath.IsAbs(pat):
		return "must be relative to the project folder"
	case clean == ".." || strings.HasPrefix(clean, "../"):
		return "goes out of the project folder"
	}
	for _, seg := range strings.Split(clean, "/") {
		if _, err := path.Match(seg, ""); err != nil {
			return err.Error()
		}
	}
	return ""
}

// FindProject looks for the project file in dir and its parents, up to the
// repository root (the folder that holds .git) or the file-system root. It
// returns the file's absolute path, or "".
func FindProject(dir string) string {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return ""
	}
	for {
		// Whatever is there is returned: if it is not a readable file,
		// LoadProject says so rather than the project being skipped silently.
		name := filepath.Join(dir, ProjectFileName)
		if _, err := os.Lstat(name); err == nil {
			return name
		}
		if _, err := os.Lstat(filepath.Join(dir, ".git")); err == nil { // a folder, or a file in worktrees
			return ""
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// Excluded reports whether path (absolute) matches an exclude pattern.
// Patterns are relative to p.Dir and matched folder by folder: "*" stays in
// one folder, "**" spans any number of them. A pattern that matches a folder
// excludes everything under it too.
func (p *Project) Excluded(name string) bool {
	rel, err := filepath.Rel(p.Dir, name)
	if err != nil || rel == "." || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return false
	}
	segs := strings.Split(filepath.ToSlash(rel), "/")
	for _, pat := range p.Exclude {
		ps := strings.Split(path.Clean(pat), "/")
		if ps[len(ps)-1] != "**" {
			ps = append(ps, "**") // and everything under it
		}
		if matchSegments(ps, segs) {
			return true
		}
	}
	return false
}

// matchSegments matches path segments against pattern segments.
func matchSegments(pat, segs []string) bool {
	if len(pat) == 0 {
		return len(segs) == 0
	}
	if pat[0] == "**" {
		for i := range len(segs) + 1 {
			if matchSegments(pat[1:], segs[i:]) {
				return true
			}
		}
		return false
	}
	if len(segs) == 0 {
		return false
	}
	ok, _ := path.Match(pat[0], segs[0])
	return ok && matchSegments(pat[1:], segs[1:])
}

// keyPlaces is where each key and value of the file starts, by key path;
// array elements have their index as the last part. The decoder gives
// positions only for its own errors; ours come from here.
type keyPlaces struct {
	key, val map[string]unstable.Position
	order    [][]string // key paths, in the order they first appear
}

// locateKeys parses src with go-toml's parser to find every key and value.
func locateKeys(src []byte) (keyPlaces, error) {
	pl := keyPlaces{key: map[string]unstable.Position{}, val: map[string]unstable.Position{}}
	var p unstable.Parser
	p.Reset(src)
	var table []string
	for p.NextExpression() {
		e := p.Expression()
		switch e.Kind {
		case unstable.Table, unstable.ArrayTable:
			table = pl.keyPath(&p, nil, e.Key())
		case unstable.KeyValue:
			pl.keyValue(&p, table, e)
		}
	}
	return pl, p.Error()
}

func (pl *keyPlaces) keyPath(p *unstable.Parser, prefix []string, it unstable.Iterator) []string {
	k := slices.Clone(prefix)
	for it.Next() {
		k = append(k, string(it.Node().Data))
		j := strings.Join(k, "\x00")
		if _, seen := pl.key[j]; !seen {
			pl.key[j] = p.Shape(it.Node().Raw).Start
			pl.order = append(pl.order, slices.Clone(k))
		}
	}
	return k
}

func (pl *keyPlaces) keyValue(p *unstable.Parser, prefix []string, kv *unstable.Node) {
	pl.value(p, pl.keyPath(p, prefix, kv.Key()), kv.Value())
}

func (pl *keyPlaces) value(p *unstable.Parser, k []string, v *unstable.Node) {
	switch v.Kind {
	case unstable.Array:
		it := v.Children()
		for i := 0; it.Next(); i++ {
			pl.value(p, append(slices.Clip(k), strconv.Itoa(i)), it.Node())
		}
	case unstable.InlineTable:
		it := v.Children()
		for it.Next() {
			pl.keyValue(p, k, it.Node())
		}
	default:
		pl.val[strings.Join(k, "\x00")] = p.Shape(v.Raw).Start
	}
}

func (pl *keyPlaces) keyAt(k ...string) unstable.Position {
	return pl.key[strings.Join(k, "\x00")]
}

func (pl *keyPlaces) valAt(k ...string) unstable.Position {
	return pl.val[strings.Join(k, "\x00")]
}

// keysIn lists the keys of a table, in the order the file has them, so
// that the first problem reported is the first in the file.
func (pl *keyPlaces) keysIn(table string, m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int {
		return cmp.Compare(pl.keyAt(table, a).Offset, pl.keyAt(table, b).Offset)
	})
	return keys
}

// showKey writes a key path as TOML does, quoting parts that need it.
func showKey(k []string) string {
	parts := make([]string, len(k))
	for i, s := range k {
		parts[i] = s
		if s == "" || strings.IndexFunc(s, func(r rune) bool {
			return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_')
		}) >= 0 {
			parts[i] = strconv.Quote(s)
		}
	}
	return strings.Join(parts, ".")
}
