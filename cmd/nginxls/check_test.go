package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nginxls/nginxls/analysis"
	"github.com/nginxls/nginxls/analysis/analysistest"
	"github.com/nginxls/nginxls/analysis/rules"
)

const explicit = "testdata/rules/tls-protocol-legacy-tls/explicit.conf"

func TestCheckText(t *testing.T) {
	t.Parallel()
	r := nginxls(t, "", "check", explicit)
	r.wantCode(t, 0) // warnings and information only
	equalFindings(t, parseText(t, r.stdout), []finding{
		{explicit, 2, 19, "warning", "tls-protocol-legacy-tls"},
		{explicit, 2, 19, "info", "tls-protocol-no-tls13"},
		{explicit, 12, 13, "warning", "tls-protocol-legacy-tls"},
	})
	if r.stderr != "" {
		t.Errorf("stderr = %q", r.stderr)
	}
	if !strings.Contains(r.stdout, explicit+":2:19: warning: TLSv1 and TLSv1.1 are enabled") {
		t.Errorf("the message does not follow the severity:\n%s", r.stdout)
	}
}

// The JSON types of the schema, decoded strictly: a field added or renamed
// by mistake fails the test.
type jsonOut struct {
	Findings []struct {
		File      string `json:"file"`
		Line      int    `json:"line"`
		Column    int    `json:"column"`
		EndLine   int    `json:"endLine"`
		EndColumn int    `json:"endColumn"`
		Severity  string `json:"severity"`
		Rule      string `json:"rule"`
		Message   string `json:"message"`
		Fixes     []struct {
			Title  string `json:"title"`
			Unsafe bool   `json:"unsafe"`
			Edits  []struct {
				File      string `json:"file"`
				Line      int    `json:"line"`
				Column    int    `json:"column"`
				EndLine   int    `json:"endLine"`
				EndColumn int    `json:"endColumn"`
				NewText   string `json:"newText"`
			} `json:"edits"`
		} `json:"fixes"`
	} `json:"findings"`
}

// decodeJSON checks the schema, then decodes. Every field must be present
// and arrays must never be null.
func decodeJSON(t *testing.T, out string) jsonOut {
	t.Helper()
	var raw map[string]json.RawMessage
	if err := json.Unmarshal([]byte(out), &raw); err != nil {
		t.Fatalf("output is not a JSON object: %v\n%s", err, out)
	}
	if len(raw) != 1 || !bytes.HasPrefix(raw["findings"], []byte("[")) {
		t.Fatalf(`output is not exactly {"findings": [...]}:%s`, out)
	}
	var findings []map[string]json.RawMessage
	json.Unmarshal(raw["findings"], &findings)
	for _, f := range findings {
		for _, k := range []string{"file", "line", "column", "endLine", "endColumn", "severity", "rule", "message", "fixes"} {
			if _, ok := f[k]; !ok {
				t.Errorf("finding lacks %q: %v", k, f)
			}
		}
		if !bytes.HasPrefix(f["fixes"], []byte("[")) {
			t.Errorf(`"fixes" is %s, want an array`, f["fixes"])
		}
		var fixes []map[string]json.RawMessage
		json.Unmarshal(f["fixes"], &fixes)
		for _, fix := range fixes {
			if !bytes.HasPrefix(fix["edits"], []byte("[")) || len(fix["title"]) == 0 {
				t.Errorf("fix without a title or an edits array: %v", fix)
			}
		}
	}
	dec := json.NewDecoder(strings.NewReader(out))
	dec.DisallowUnknownFields()
	var v jsonOut
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("decoding: %v\n%s", err, out)
	}
	if dec.More() {
		t.Errorf("output goes on after the JSON object:\n%s", out)
	}
	return v
}

func TestCheckJSON(t *testing.T) {
	t.Parallel()
	// Flags after the path are read too.
	r := nginxls(t, "", "check", explicit, "--format", "json")
	r.wantCode(t, 0)
	v := decodeJSON(t, r.stdout)
	if len(v.Findings) != 3 {
		t.Fatalf("%d findings, want 3:\n%s", len(v.Findings), r.stdout)
	}
	f := v.Findings[0]
	if f.File != explicit || f.Line != 2 || f.Column != 19 || f.EndLine != 2 || f.EndColumn != 24 ||
		f.Severity != "warning" || f.Rule != "tls-protocol-legacy-tls" || !strings.HasPrefix(f.Message, "TLSv1 and TLSv1.1 are enabled") {
		t.Errorf("first finding = %+v", f)
	}
	if len(f.Fixes) != 1 || len(f.Fixes[0].Edits) != 1 || f.Fixes[0].Title == "" {
		t.Fatalf("fixes = %+v", f.Fixes)
	}
	// The fix rewrites the whole value "TLSv1 TLSv1.1 TLSv1.2" (columns 19-39).
	e := f.Fixes[0].Edits[0]
	if e.File != f.File || e.Line != 2 || e.Column != 19 || e.EndLine != 2 || e.EndColumn != 40 || e.NewText != "TLSv1.2 TLSv1.3" {
		t.Errorf("edit = %+v", e)
	}
	last := v.Findings[2]
	if last.Line != 12 || last.Column != 13 || last.EndColumn != 20 || last.Rule != "tls-protocol-legacy-tls" {
		t.Errorf("last finding = %+v", last)
	}

	// No finding: still an array.
	r = nginxls(t, "", "check", "--format=json", "testdata/rules/tls-protocol-legacy-tls/default-1.28.conf")
	r.wantCode(t, 0)
	if v := decodeJSON(t, r.stdout); len(v.Findings) != 0 {
		t.Errorf("findings = %+v", v.Findings)
	}
	if !strings.Contains(r.stdout, `"findings": []`) {
		t.Errorf("empty findings are not printed as []:\n%s", r.stdout)
	}

	// A finding without a fix has "fixes": [].
	r = nginxls(t, "", "check", "--format", "json", "testdata/rules/syntax/errors.conf")
	r.wantCode(t, 1)
	v = decodeJSON(t, r.stdout)
	if len(v.Findings) == 0 || v.Findings[0].Rule != "syntax" || v.Findings[0].Fixes == nil {
		t.Errorf("findings = %+v", v.Findings)
	}
}

func TestExitStatus(t *testing.T) {
	t.Parallel()
	const syntaxErrs = "testdata/rules/syntax/errors.conf"
	for _, tc := range []struct {
		args []string
		code int
	}{
		{[]string{explicit}, 0},
		{[]string{"--fail-on", "warning", explicit}, 1},
		{[]string{"--fail-on", "never", explicit}, 0},
		{[]string{syntaxErrs}, 1},
		{[]string{"--fail-on=never", syntaxErrs}, 0},
		{[]string{"--rule", "tls-protocol-legacy-tls=error", explicit}, 1},
		{[]string{"--rule", "tls-protocol-legacy-tls=off", "--fail-on", "warning", explicit}, 0},
		// Only the findings shown decide: hidden warnings do not fail.
		{[]string{"--min-severity", "error", "--fail-on", "warning", explicit}, 0},
		{[]string{"--min-severity", "warning", "--fail-on", "warning", explicit}, 1},
		// Usage errors.
		{[]string{}, 2},
		{[]string{"--format", "xml", explicit}, 2},
		{[]string{"--openssl", "2.0", explicit}, 2},
		{[]string{"--nginx-version", "latest", explicit}, 2},
		{[]string{"--fail-on", "info", explicit}, 2},
		{[]string{"--min-severity", "loud", explicit}, 2},
		{[]string{"--rule", "no-such-rule=off", explicit}, 2},
		{[]string{"--rule", "tls-early-data", explicit}, 2},
		{[]string{"--rule", "tls-early-data=loud", explicit}, 2},
		{[]string{"-", "-"}, 2},
		{[]string{"--fix", "-"}, 2},
		{[]string{"--no-such-flag", explicit}, 2},
	} {
		r := nginxls(t, "", append([]string{"check"}, tc.args...)...)
		if r.code != tc.code {
			t.Errorf("nginxls check %s: exit status %d, want %d\nstdout:\n%s\nstderr:\n%s",
				strings.Join(tc.args, " "), r.code, tc.code, r.stdout, r.stderr)
		}
		if tc.code == 2 && !strings.Contains(r.stderr, "nginxls check: ") {
			t.Errorf("nginxls check %s: usage error without a message: %q", strings.Join(tc.args, " "), r.stderr)
		}
	}
}

func TestCheckFilters(t *testing.T) {
	t.Parallel()
	r := nginxls(t, "", "check", "--min-severity", "warning", explicit)
	if got := rulesOf(parseText(t, r.stdout)); got["tls-protocol-no-tls13"] || !got["tls-protocol-legacy-tls"] {
		t.Errorf("--min-severity warning shows %v", got)
	}
	r = nginxls(t, "", "check", "--rule", "tls-protocol-legacy-tls=off", "--rule", "tls-protocol-no-tls13=hint", explicit)
	equalFindings(t, parseText(t, r.stdout), []finding{{explicit, 2, 19, "hint", "tls-protocol-no-tls13"}})
	// --nginx-version decides the defaults: 1.22 enabled TLSv1 and TLSv1.1.
	const def = "testdata/rules/tls-protocol-legacy-tls/default-1.22.conf"
	r = nginxls(t, "", "check", "--nginx-version", "1.22.1", def)
	if !rulesOf(parseText(t, r.stdout))["tls-protocol-legacy-tls"] {
		t.Errorf("nginx 1.22.1: no legacy TLS finding:\n%s", r.stdout)
	}
	r = nginxls(t, "", "check", def)
	if rulesOf(parseText(t, r.stdout))["tls-protocol-legacy-tls"] {
		t.Errorf("default nginx version: legacy TLS finding:\n%s", r.stdout)
	}
	// --openssl decides which names exist: secp256r1 is OpenSSL 3's spelling.
	src := "ssl_ecdh_curve secp256r1;\n"
	if got := rulesOf(parseText(t, nginxls(t, src, "check", "--openssl", "1.1.1", "-").stdout)); !got["tls-curve-unknown"] {
		t.Errorf("OpenSSL 1.1.1: secp256r1 not reported: %v", got)
	}
	if got := rulesOf(parseText(t, nginxls(t, src, "check", "-").stdout)); got["tls-curve-unknown"] {
		t.Errorf("OpenSSL 3.0: secp256r1 reported: %v", got)
	}
}

func TestCheckStdin(t *testing.T) {
	t.Parallel()
	src := "server {\n    listen 443 ssl;\n    ssl_protocols TLSv1 TLSv1.2 TLSv1.3;\n}\n"
	r := nginxls(t, src, "check", "-")
	r.wantCode(t, 0)
	equalFindings(t, parseText(t, r.stdout), []finding{{"<stdin>", 3, 19, "warning", "tls-protocol-legacy-tls"}})
	r = nginxls(t, src, "check", "--format", "json", "-")
	if v := decodeJSON(t, r.stdout); len(v.Findings) != 1 || v.Findings[0].File != "<stdin>" {
		t.Errorf("findings = %+v", v.Findings)
	}
}

const legacyConf = "ssl_protocols TLSv1.1 TLSv1.2 TLSv1.3;\n"

func TestCheckDirectory(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, name := range []string{
		"a.conf", "nginx.conf", "site.nginx", "app.conf.template", "sub/deep/b.conf",
		// Not configurations by name, or hidden.
		"notes.txt", "default", "nginx.conf.bak", "a.conf.orig", ".git/x.conf",
	} {
		writeFile(t, dir, name, legacyConf)
	}
	outside := writeFile(t, t.TempDir(), "target", legacyConf)
	if err := os.Symlink(outside, filepath.Join(dir, "linked.conf")); err != nil {
		t.Fatal(err)
	}
	// A link to a directory is not followed: it could make a cycle.
	if err := os.Symlink(filepath.Join(dir, "sub"), filepath.Join(dir, "loop")); err != nil {
		t.Fatal(err)
	}
	r := nginxls(t, "", "check", dir)
	r.wantCode(t, 0)
	var got []string
	for _, f := range parseText(t, r.stdout) {
		rel, _ := filepath.Rel(dir, f.file)
		got = append(got, filepath.ToSlash(rel))
	}
	want := []string{"a.conf", "app.conf.template", "linked.conf", "nginx.conf", "site.nginx", "sub/deep/b.conf"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("files reported: %v\nwant: %v", got, want)
	}
	// A file named on the command line is checked whatever its name.
	r = nginxls(t, "", "check", filepath.Join(dir, "default"))
	if fs := parseText(t, r.stdout); len(fs) != 1 {
		t.Errorf("explicit file: %v", fs)
	}
}

func TestCheckBadPaths(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	bin := writeFile(t, dir, "bin.conf", legacyConf+"\x00\x01\x02")
	empty := filepath.Join(dir, "empty")
	writeFile(t, empty, "README.md", "no configuration here\n")
	missing := filepath.Join(dir, "missing.conf")
	r := nginxls(t, "", "check", missing, bin, empty, explicit)
	r.wantCode(t, 2)
	for _, want := range []string{
		missing + ": no such file or directory",
		bin + ": binary file",
		empty + ": no nginx configuration files",
	} {
		if !strings.Contains(r.stderr, "nginxls: "+want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	// The good path is still checked.
	if fs := parseText(t, r.stdout); len(fs) != 3 || fs[0].file != explicit {
		t.Errorf("findings of the remaining path: %v", fs)
	}
}

// A rule that panics is an internal error: it goes to stderr and the exit
// status is 2, while the other rules still report. This runs in-process, as
// the binary has no way to load another rule.
func TestCheckRulePanic(t *testing.T) {
	boom := &analysis.Analyzer{ID: "boom", Title: "Panics", Severity: analysis.Error, Run: func(*analysis.Pass) { panic("kaboom") }}
	saved := analyzers
	analyzers = append(append([]*analysis.Analyzer(nil), rules.All...), boom)
	defer func() { analyzers = saved }()
	var stdout, stderr bytes.Buffer
	code := run([]string{"check", "--min-severity", "hint", "--only", pinnedRules + ",boom", filepath.Join(repoRoot, filepath.FromSlash(explicit))}, strings.NewReader(""), &stdout, &stderr)
	if code != 2 {
		t.Errorf("exit status %d, want 2", code)
	}
	if !strings.Contains(stderr.String(), "internal error in rule boom: kaboom") {
		t.Errorf("stderr = %q", stderr.String())
	}
	if fs := parseText(t, stdout.String()); len(fs) != 3 {
		t.Errorf("the other rules' findings: %v", fs)
	}
}

// The project file sets the targets and rules; flags override it; an error
// in it names its line and exits 2.
func TestCheckProjectFile(t *testing.T) {
	dir := t.TempDir()
	conf := filepath.Join(dir, "a.conf")
	os.WriteFile(conf, []byte("ssl_protocols TLSv1 TLSv1.2;\nssl_ecdh_curve secp192r1:X25519;\n"), 0o644)
	toml := filepath.Join(dir, ".nginxls.toml")
	os.WriteFile(toml, []byte("nginx-version = \"1.22.1\"\n[rules]\n\"tls-protocol-legacy-tls\" = \"off\"\n"), 0o644)

	r := nginxls(t, "", "check", conf)
	fs := parseText(t, r.stdout)
	if rulesOf(fs)["tls-protocol-legacy-tls"] || !rulesOf(fs)["tls-curve-weak"] {
		t.Errorf("the project's rules were not applied:\n%s", r.stdout)
	}
	if !strings.Contains(r.stdout, "assumed nginx 1.22.1 ("+toml+")") {
		t.Errorf("the summary does not name the project's version:\n%s", r.stdout)
	}
	r = nginxls(t, "", "check", "--nginx-version", "1.28.0", "--rule", "tls-protocol-legacy-tls=error", conf)
	if !strings.Contains(r.stdout, "assumed nginx 1.28.0 (flag)") || !rulesOf(parseText(t, r.stdout))["tls-protocol-legacy-tls"] {
		t.Errorf("flags do not override the project file:\n%s", r.stdout)
	}

	os.WriteFile(toml, []byte("nginx-version = \"1.22.1\"\nprofil = \"modern\"\n"), 0o644)
	r = nginxls(t, "", "check", conf)
	r.wantCode(t, 2)
	if !strings.Contains(r.stderr, ".nginxls.toml:2:") || !strings.Contains(r.stderr, "profil") {
		t.Errorf("the error does not name the file, line and key: %q", r.stderr)
	}
}

// Text output shows errors and warnings; the notes are counted in the
// summary, which says how to see them. JSON keeps everything.
func TestCheckDefaultSeverity(t *testing.T) {
	t.Parallel()
	r := runBinary(t, binary, "", "check", "--only", pinnedRules, explicit)
	fs := parseText(t, r.stdout)
	for _, f := range fs {
		if f.severity != "warning" && f.severity != "error" {
			t.Errorf("a note shown by default: %+v", f)
		}
	}
	if len(fs) != 2 || !strings.Contains(r.stdout, "(2 fixable with --fix; 1 note not shown: --min-severity hint)") {
		t.Errorf("default text output:\n%s", r.stdout)
	}
	j := runBinary(t, binary, "", "check", "--only", pinnedRules, "--format", "json", explicit)
	if v := decodeJSON(t, j.stdout); len(v.Findings) != 3 {
		t.Errorf("JSON keeps %d findings, want 3", len(v.Findings))
	}
}

// Colour only when asked or on a terminal (a pipe here gets none);
// --quiet leaves the summary out.
func TestCheckColorAndQuiet(t *testing.T) {
	t.Parallel()
	plain := runBinary(t, binary, "", "check", explicit)
	if strings.Contains(plain.stdout, "\x1b[") {
		t.Errorf("colour on a pipe:\n%q", plain.stdout)
	}
	colored := runBinary(t, binary, "", "check", "--color", "always", explicit)
	if !strings.Contains(colored.stdout, "\x1b[1;33mwarning\x1b[0m:") {
		t.Errorf("no colour with --color always:\n%q", colored.stdout)
	}
	quiet := runBinary(t, binary, "", "check", "--quiet", explicit)
	if strings.Contains(quiet.stdout, "nginxls: ") || !strings.Contains(quiet.stdout, explicit+":2:19: warning:") {
		t.Errorf("--quiet:\n%s", quiet.stdout)
	}
}

// Every rule's test folder, checked as a user would with all the rules
// (findings of one rule show up in another's folder, included files too):
// each message is one line of at most analysistest.MaxMessage characters.
func TestCheckMessagesFit(t *testing.T) {
	t.Parallel()
	var ids []string
	for _, a := range rules.All {
		ids = append(ids, a.ID)
	}
	dirs, err := filepath.Glob(filepath.Join(repoRoot, "testdata", "rules", "*"))
	if err != nil || len(dirs) < len(rules.All)-1 {
		t.Fatalf("rule folders: %v %v", dirs, err)
	}
	seen := map[string]bool{}
	for _, dir := range dirs {
		confs, _ := filepath.Glob(filepath.Join(dir, "*.conf"))
		args := []string{"check", "--only", strings.Join(ids, ","), "--format", "json", "--nginx-version", "1.28.0"}
		for _, c := range confs {
			rel, _ := filepath.Rel(repoRoot, c)
			args = append(args, rel)
		}
		r := nginxls(t, "", args...)
		var out jsonOut
		if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
			t.Fatalf("%s: %v\n%s", dir, err, r.stderr)
		}
		for _, f := range out.Findings {
			seen[f.Rule] = true
			if n := len([]rune(f.Message)); n > analysistest.MaxMessage || strings.ContainsAny(f.Message, "\r\n") {
				t.Errorf("%s:%d:%d: %s: %d characters: %q", f.File, f.Line, f.Column, f.Rule, n, f.Message)
			}
		}
	}
	if len(seen) < len(rules.All)/2 {
		t.Errorf("only %d rules report in their folders: %v", len(seen), seen)
	}
}

// The summary counts what --fix would fix for these paths: a fix that
// edits nginx.conf (ssl_protocols for every server of its http block) is
// not --fix's to apply when only a site file is given.
func TestSummaryFixableInScope(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "sites"), 0o755)
	os.WriteFile(filepath.Join(dir, "nginx.conf"), []byte("events {}\nhttp {\n    include sites/*.conf;\n}\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "sites", "a.conf"), []byte("server {\n    listen 443 ssl;\n    ssl_certificate /etc/ssl/a.pem;\n    ssl_certificate_key /etc/ssl/a.key;\n}\n"), 0o644)
	args := []string{"check", "--only", "tls-protocol-legacy-tls", "--nginx-version", "1.22.1"}
	site := runBinary(t, binary, "", append(args, filepath.Join(dir, "sites", "a.conf"))...)
	all := runBinary(t, binary, "", append(args, dir)...)
	if strings.Contains(site.stdout, "fixable") || !strings.Contains(all.stdout, "(1 fixable with --fix)") {
		t.Errorf("site alone:\n%s\nwhole tree:\n%s", site.stdout, all.stdout)
	}
}

// The JSON report is written finding by finding; it must be exactly what
// encoding/json makes of the whole report, so that tools reading either
// see the same bytes.
func TestJSONStreamedAsEncoded(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{
		{"--format", "json", "testdata/examples"},
		{"--format", "json", "--show-suppressed", "testdata/rules/nginxls-ignore"},
		{"--format", "json", "--only", "syntax", "testdata/examples"},
	} {
		r := runBinary(t, binary, "", append([]string{"check"}, args...)...)
		var rep jsonReport
		if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, r.stdout)
		}
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			t.Fatal(err)
		}
		if r.stdout != want.String() {
			t.Errorf("%v: the streamed report differs from its encoding:\n%s\nwant:\n%s", args, r.stdout, want.String())
		}
	}
}

// A platform sets the security level the model assumes: Debian 12's level 2
// refuses TLS 1.0, so the finding says it is not negotiable there. The
// flag and the project file say so alike; an explicit version still wins
// over the platform's.
func TestCheckPlatform(t *testing.T) {
	dir := t.TempDir()
	conf := filepath.Join(dir, "a.conf")
	os.WriteFile(conf, []byte("http {\n    server {\n        listen 443 ssl;\n        ssl_protocols TLSv1 TLSv1.2;\n    }\n}\n"), 0o644)
	const refused = "security level 2 refuses them here"
	args := []string{"check", "--min-severity", "hint", "--only", "tls-protocol-legacy-tls"}

	r := nginxls(t, "", append(args, conf)...)
	if strings.Contains(r.stdout, refused) || strings.Contains(r.stdout, "platform") {
		t.Fatalf("without a platform the level is OpenSSL's default, which may be lowered:\n%s", r.stdout)
	}
	r = nginxls(t, "", append(args, "--platform", "debian-12", conf)...)
	if !strings.Contains(r.stdout, refused) || !strings.Contains(r.stdout, "assumed nginx 1.22.1 (debian-12), OpenSSL 3.0 (debian-12), Mozilla intermediate, platform debian-12 (flag)") {
		t.Errorf("--platform debian-12:\n%s", r.stdout)
	}
	r = nginxls(t, "", append(args, "--platform", "debian-12", "--nginx-version", "1.28.0", "--format", "sarif", conf)...)
	if !strings.Contains(r.stdout, `"nginx": "1.28.0",`) || !strings.Contains(r.stdout, `"nginxFrom": "flag",`) || !strings.Contains(r.stdout, `"platformFrom": "flag"`) {
		t.Errorf("an explicit version does not win over the platform's, or SARIF does not say it:\n%s", r.stdout)
	}

	toml := filepath.Join(dir, ".nginxls.toml")
	os.WriteFile(toml, []byte("platform = \"debian-12\"\n"), 0o644)
	r = nginxls(t, "", append(args, conf)...)
	if !strings.Contains(r.stdout, refused) || !strings.Contains(r.stdout, "platform debian-12 ("+toml+")") {
		t.Errorf("platform in the project file:\n%s", r.stdout)
	}
	r = nginxls(t, "", append(args, "--format", "sarif", conf)...)
	if !strings.Contains(r.stdout, `"platform": "debian-12"`) {
		t.Errorf("SARIF does not carry the platform:\n%s", r.stdout)
	}
}
