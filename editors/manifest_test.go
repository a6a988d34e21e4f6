package editors

import (
	"encoding/json"
	"os"
	"slices"
	"testing"

	"github.com/nginxls/nginxls/analysis"
	"github.com/nginxls/nginxls/analysis/negotiate"
	"github.com/nginxls/nginxls/analysis/openssl"
	"github.com/nginxls/nginxls/analysis/rules"
	"github.com/nginxls/nginxls/analysis/tlsdata"
)

// The VS Code settings list every rule with its default severity, as
// scripts/sync-rules.mjs writes them from `nginxls rules`: a rule added or
// a severity changed without running it would show users stale defaults.
func TestVSCodeRuleSettingsInSync(t *testing.T) {
	props := vscodeSettings(t)
	listed := props["nginxls.rules"].Properties
	for _, a := range rules.All {
		want := a.Title + " (default: " + a.Severity.String() + ")"
		if got := listed[a.ID].MarkdownDescription; got != want {
			t.Errorf("nginxls.rules.%s says %q, want %q (run node scripts/sync-rules.mjs in editors/vscode)", a.ID, got, want)
		}
	}
	if len(listed) != len(rules.All) {
		t.Errorf("package.json lists %d rules, the registry has %d", len(listed), len(rules.All))
	}
}

// Every setting the server takes is declared in the VS Code settings, and
// the choices offered are the lists the server accepts (plus "", the
// server's default).
func TestVSCodeSettingsDeclared(t *testing.T) {
	props := vscodeSettings(t)
	for _, s := range analysis.SettingList {
		p, ok := props["nginxls."+s.JSON]
		want := "string"
		if s.Number {
			want = "number"
		}
		if !ok || p.Type != want {
			t.Errorf("nginxls.%s: declared %v, type %q; want a %s", s.JSON, ok, p.Type, want)
		}
	}
	for key, list := range map[string][]string{"nginxls.openssl": openssl.Profiles, "nginxls.profile": tlsdata.ProfileNames, "nginxls.platform": negotiate.PlatformNames()} {
		got := slices.Sorted(slices.Values(props[key].Enum))
		want := slices.Sorted(slices.Values(append([]string{""}, list...)))
		if !slices.Equal(got, want) {
			t.Errorf("%s offers %q, the server takes %q", key, got, want)
		}
	}
}

// vscodeSetting is what the tests read of a setting in package.json.
type vscodeSetting struct {
	Type       string   `json:"type"`
	Enum       []string `json:"enum"`
	Properties map[string]struct {
		MarkdownDescription string `json:"markdownDescription"`
	} `json:"properties"`
}

// vscodeSettings are the settings the VS Code extension declares, by name.
func vscodeSettings(t *testing.T) map[string]vscodeSetting {
	t.Helper()
	data, err := os.ReadFile("vscode/package.json")
	if err != nil {
		t.Fatal(err)
	}
	var pkg struct {
		Contributes struct {
			Configuration struct {
				Properties map[string]vscodeSetting `json:"properties"`
			} `json:"configuration"`
		} `json:"contributes"`
	}
	if err := json.Unmarshal(data, &pkg); err != nil {
		t.Fatal(err)
	}
	return pkg.Contributes.Configuration.Properties
}
