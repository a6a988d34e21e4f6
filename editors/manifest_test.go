package editors

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/nginxls/nginxls/analysis/rules"
)

// The VS Code settings list every rule with its default severity, as
// scripts/sync-rules.mjs writes them from `nginxls rules`: a rule added or
// a severity changed without running it would show users stale defaults.
func TestVSCodeRuleSettingsInSync(t *testing.T) {
	data, err := os.ReadFile("vscode/package.json")
	if err != nil {
		t.Fatal(err)
	}
	var pkg struct {
		Contributes struct {
			Configuration struct {
				Properties map[string]struct {
					Properties map[string]struct {
						MarkdownDescription string `json:"markdownDescription"`
					} `json:"properties"`
				} `json:"properties"`
			} `json:"configuration"`
		} `json:"contributes"`
	}
	if err := json.Unmarshal(data, &pkg); err != nil {
		t.Fatal(err)
	}
	listed := pkg.Contributes.Configuration.Properties["nginxls.rules"].Properties
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
