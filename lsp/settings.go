package lsp

import (
	"bytes"
	"encoding/json"
	"maps"
	"slices"
	"strings"

	"go.lsp.dev/jsonrpc2"

	"github.com/nginxls/nginxls/analysis"
	registry "github.com/nginxls/nginxls/analysis/rules"
)

// editorSettings are the settings clients send, in initializationOptions,
// didChangeConfiguration or the "nginxls" configuration section.
type editorSettings struct {
	// values are the settings of analysis.SettingList, under their JSON
	// names, and the rules: parsed as the command line and the project
	// file parse them.
	values     analysis.SettingValues
	mainConfig string // the main configuration to try first
	// maxDiags: show at most this many diagnostics per file (0: all;
	// absent: defaultMaxDiagnostics). The language server's own: the
	// command line prints every finding.
	maxDiags int
}

// parseSettings reads settings given bare or under "nginxls" (VS Code's
// section). A value that is not valid is reported and left unset; the
// others apply.
func parseSettings(raw []byte) (editorSettings, error) {
	out := editorSettings{maxDiags: defaultMaxDiagnostics}
	fields, err := settingFields(raw)
	if err != nil {
		return out, jsonrpc2.Errorf(jsonrpc2.InvalidParams, "settings: %v", err)
	}
	var problems []string
	for _, s := range analysis.SettingList {
		text, ok, err := settingText(s, fields[s.JSON])
		if err == nil && ok {
			err = s.Set(&out.values, text)
		}
		if err != nil {
			problems = append(problems, err.Error())
		}
	}
	problems = append(problems, parseRules(&out.values, fields["rules"])...)
	if v := fields["mainConfig"]; !isNull(v) && json.Unmarshal(v, &out.mainConfig) != nil {
		problems = append(problems, "mainConfig must be a string")
	}
	if v := fields["maxDiagnostics"]; !isNull(v) {
		var n int
		if json.Unmarshal(v, &n) != nil || n < 0 {
			problems = append(problems, "maxDiagnostics must be a whole number, 0 or more")
		} else {
			out.maxDiags = n
		}
	}
	if len(problems) > 0 {
		return out, jsonrpc2.Errorf(jsonrpc2.InvalidParams, "settings: %s", strings.Join(problems, "; "))
	}
	return out, nil
}

// settingFields are the fields of the settings, bare or under "nginxls".
func settingFields(raw []byte) (map[string]json.RawMessage, error) {
	var fields map[string]json.RawMessage
	if isNull(raw) {
		return fields, nil
	}
	if err := json.Unmarshal(raw, &fields); err != nil {
		return nil, err
	}
	var inner map[string]json.RawMessage
	if v := fields["nginxls"]; !isNull(v) && json.Unmarshal(v, &inner) == nil {
		return inner, nil
	}
	return fields, nil
}

// settingText is the text of a setting's JSON value, for the parser; ok
// is false when it is unset. Editors send every setting they know of: ""
// (and 0 for a number, which is the default too) means unset, so that a
// project file's value stands.
func settingText(s *analysis.Setting, v json.RawMessage) (text string, ok bool, err error) {
	if isNull(v) {
		return "", false, nil
	}
	if s.Number {
		var n float64
		if json.Unmarshal(v, &n) != nil {
			return "", false, &analysis.SettingError{Msg: s.JSON + " must be a number"}
		}
		text = string(bytes.TrimSpace(v))
		return text, text != "0", nil
	}
	if json.Unmarshal(v, &text) != nil {
		return "", false, &analysis.SettingError{Msg: s.JSON + " must be a string"}
	}
	return text, text != "", nil
}

// parseRules reads the rules object, rule id -> off or a severity, into
// values, and says what it refused, in the order of the ids.
func parseRules(values *analysis.SettingValues, v json.RawMessage) []string {
	if isNull(v) {
		return nil
	}
	var rules map[string]string
	if json.Unmarshal(v, &rules) != nil {
		return []string{"rules must be an object of strings"}
	}
	var problems []string
	for _, id := range slices.Sorted(maps.Keys(rules)) {
		if err := values.SetRule(id, rules[id], registry.All); err != nil {
			problems = append(problems, err.Error())
		}
	}
	return problems
}

func isNull(v json.RawMessage) bool {
	v = bytes.TrimSpace(v)
	return len(v) == 0 || string(v) == "null"
}
