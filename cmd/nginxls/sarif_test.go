package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nginxls/nginxls/internal/testenv"
)

const suppressedConf = "testdata/check/suppressed.conf"

// The rules whose findings the output tests look at.
const outputRules = "--only=tls-protocol-legacy-tls,hsts-max-age,hsts-dropped-in-block,https-redirect-missing,proxy-forwarded-proto-missing,nginxls-ignore"

// TestSARIFSchema validates the SARIF output against the SARIF 2.1.0 JSON
// schema (testdata/sarif) with Python's jsonschema.
func TestSARIFSchema(t *testing.T) {
	t.Parallel()
	r := nginxls(t, "", "check", "--format", "sarif", outputRules, suppressedConf)
	r.wantCode(t, 0)
	validateSARIF(t, r.stdout)

	// Absolute paths become file: URIs; every rule of the registry is there.
	abs := filepath.Join(repoRoot, filepath.FromSlash(suppressedConf))
	r = nginxls(t, "", "check", "--format=sarif", abs)
	validateSARIF(t, r.stdout)
	if !strings.Contains(r.stdout, `"uri": "file://`) {
		t.Errorf("no file: URI for an absolute path")
	}
}

func validateSARIF(t *testing.T, out string) {
	t.Helper()
	py, err := exec.LookPath("python3")
	if err == nil {
		err = exec.Command(py, "-c", "import jsonschema").Run()
	}
	if err != nil {
		if testenv.Required() {
			t.Fatalf("NGINXLS_REQUIRE_TOOLS=1 but python3 with jsonschema is missing: %v", err)
		}
		t.Skipf("python3 with jsonschema is needed to validate SARIF: %v", err)
	}
	dir := t.TempDir()
	log := filepath.Join(dir, "out.sarif")
	if err := os.WriteFile(log, []byte(out), 0o644); err != nil {
		t.Fatal(err)
	}
	schema := filepath.Join(repoRoot, "testdata", "sarif", "sarif-schema-2.1.0-rtm.5.json")
	script := `import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
log = json.load(open(sys.argv[2]))
v = jsonschema.Draft4Validator(schema)
errs = sorted(v.iter_errors(log), key=lambda e: list(e.path))
for e in errs[:20]:
    print("/".join(str(p) for p in e.path), e.message)
sys.exit(1 if errs else 0)
`
	if b, err := exec.Command(py, "-c", script, schema, log).CombinedOutput(); err != nil {
		t.Fatalf("the SARIF output does not follow the schema: %v\n%s", err, b)
	}
}

// The content of the SARIF log: rules with help, results with regions and
// fixes, suppressed results with their justification.
func TestSARIFContent(t *testing.T) {
	t.Parallel()
	r := nginxls(t, "", "check", "--format", "sarif", outputRules, suppressedConf)
	var log struct {
		Version string
		Runs    []struct {
			Tool struct {
				Driver struct {
					Name  string
					Rules []struct {
						ID      string
						HelpURI string
						Help    struct{ Text string }
					}
				}
			}
			Results []struct {
				RuleID    string
				RuleIndex int
				Level     string
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI, URIBaseID string }
						Region           struct{ StartLine, StartColumn, EndLine, EndColumn int }
					}
				}
				Fixes []struct {
					Description     struct{ Text string }
					ArtifactChanges []struct {
						Replacements []struct {
							InsertedContent struct{ Text string }
						}
					}
				}
				Suppressions []struct {
					Kind, Status, Justification string
				}
			}
		}
	}
	if err := json.Unmarshal([]byte(r.stdout), &log); err != nil {
		t.Fatalf("%v\n%s", err, r.stdout)
	}
	if log.Version != "2.1.0" || len(log.Runs) != 1 || log.Runs[0].Tool.Driver.Name != "nginxls" {
		t.Fatalf("log = %+v", log)
	}
	run := log.Runs[0]
	byRule := map[string]int{}
	for _, res := range run.Results {
		byRule[res.RuleID]++
		rule := run.Tool.Driver.Rules[res.RuleIndex]
		if rule.ID != res.RuleID || rule.Help.Text == "" || rule.HelpURI == "" {
			t.Errorf("result %s points at rule %+v", res.RuleID, rule)
		}
		loc := res.Locations[0].PhysicalLocation
		if loc.ArtifactLocation.URI != suppressedConf || loc.ArtifactLocation.URIBaseID != "%SRCROOT%" || loc.Region.StartLine == 0 || loc.Region.EndColumn == 0 {
			t.Errorf("location of %s = %+v", res.RuleID, loc)
		}
		switch res.RuleID {
		case "tls-protocol-legacy-tls":
			if res.Level != "warning" || loc.Region.StartLine != 6 || loc.Region.StartColumn != 19 || loc.Region.EndColumn != 24 {
				t.Errorf("TLSv1 result = %+v", res)
			}
			if len(res.Fixes) != 1 || res.Fixes[0].ArtifactChanges[0].Replacements[0].InsertedContent.Text != "TLSv1.2 TLSv1.3" {
				t.Errorf("TLSv1 fix = %+v", res.Fixes)
			}
		case "hsts-max-age":
			if len(res.Suppressions) != 1 || res.Suppressions[0].Kind != "inSource" ||
				!strings.HasPrefix(res.Suppressions[0].Justification, "the site is moving") {
				t.Errorf("suppressed result = %+v", res)
			}
		case "proxy-forwarded-proto-missing":
			if len(res.Suppressions) != 1 || res.Suppressions[0].Justification != "" {
				t.Errorf("suppressed result = %+v", res)
			}
		}
	}
	for rule, n := range map[string]int{"tls-protocol-legacy-tls": 1, "hsts-max-age": 1, "hsts-dropped-in-block": 1,
		"https-redirect-missing": 1, "proxy-forwarded-proto-missing": 1, "nginxls-ignore": 1} {
		if byRule[rule] != n {
			t.Errorf("%d %s results, want %d:\n%v", byRule[rule], rule, n, byRule)
		}
	}
}

func TestShowSuppressed(t *testing.T) {
	t.Parallel()
	r := nginxls(t, "", "check", outputRules, suppressedConf)
	if strings.Contains(r.stdout, "(suppressed:") || strings.Contains(r.stdout, "[hsts-max-age]") {
		t.Errorf("suppressed findings shown without --show-suppressed:\n%s", r.stdout)
	}
	if !strings.Contains(r.stdout, suppressedConf+":15:48: warning: this suppression gives no reason") {
		t.Errorf("the suppression without a reason is not reported:\n%s", r.stdout)
	}
	r = nginxls(t, "", "check", "--show-suppressed", outputRules, suppressedConf)
	if !strings.Contains(r.stdout, "[hsts-max-age] (suppressed: the site is moving to HTTPS, the age grows next month)") ||
		!strings.Contains(r.stdout, "[proxy-forwarded-proto-missing] (suppressed: no reason given)") {
		t.Errorf("--show-suppressed:\n%s", r.stdout)
	}
	r = nginxls(t, "", "check", "--show-suppressed", "--format", "json", outputRules, suppressedConf)
	var v struct {
		Suppressed []struct {
			Rule, Reason string
			Comment      struct{ Line int }
		}
	}
	if err := json.Unmarshal([]byte(r.stdout), &v); err != nil || len(v.Suppressed) != 2 || v.Suppressed[0].Rule != "hsts-max-age" || v.Suppressed[0].Comment.Line != 12 {
		t.Errorf("json suppressed = %+v (%v)\n%s", v.Suppressed, err, r.stdout)
	}
}

func TestGitHubFormat(t *testing.T) {
	t.Parallel()
	r := nginxls(t, "", "check", "--format", "github", outputRules, suppressedConf)
	r.wantCode(t, 0)
	want := "::warning file=" + suppressedConf + ",line=6,endLine=6,col=19,endColumn=24,title=tls-protocol-legacy-tls%3A TLS 1.0 or TLS 1.1 is enabled::TLSv1 is enabled"
	if !strings.Contains(r.stdout, want) {
		t.Errorf("no annotation %q in:\n%s", want, r.stdout)
	}
	for _, line := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
		if !strings.HasPrefix(line, "::warning ") && !strings.HasPrefix(line, "::error ") && !strings.HasPrefix(line, "::notice ") {
			t.Errorf("not a workflow command: %q", line)
		}
	}
}

// --fix --unsafe-fixes --profile conforms a configuration to a Mozilla
// profile in one run; the profile's fix is unsafe, so --fix alone keeps it.
func TestFixProfile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "nginx.conf")
	src := "events {}\nhttp {\n    ssl_protocols TLSv1 TLSv1.1 TLSv1.2;\n    server {\n        listen 443 ssl;\n        ssl_prefer_server_ciphers on;\n    }\n    server {\n        listen 8443 ssl;\n        ssl_ciphers HIGH:!aNULL;\n    }\n}\n"
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	nginxls(t, "", "check", "--fix", "--profile", "intermediate", "--only=tls-mozilla-profile", path)
	if got, _ := os.ReadFile(path); string(got) != src {
		t.Errorf("--fix without --unsafe-fixes applied the profile:\n%s", got)
	}
	for _, p := range []string{"intermediate", "modern"} {
		r := nginxls(t, "", "check", "--fix", "--unsafe-fixes", "--profile", p, "--only=tls-mozilla-profile", path)
		r.wantCode(t, 0)
		if !noFindings(t, r.stdout) {
			t.Errorf("--profile %s: findings left after --fix:\n%s", p, r.stdout)
		}
	}
	got, _ := os.ReadFile(path)
	for _, want := range []string{"ssl_protocols TLSv1.3;", "ssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256:"} {
		if !strings.Contains(string(got), want) {
			t.Errorf("the fixed file lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(string(got), "HIGH:!aNULL") {
		t.Errorf("the server's own ssl_ciphers is left:\n%s", got)
	}
}
