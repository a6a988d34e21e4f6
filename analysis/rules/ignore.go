package rules

import "github.com/nginxls/nginxls/analysis"

// The engine checks suppression comments (analysis.Ignore); the registry
// tells it which rule ids exist, so that a comment naming a rule that did
// not run in a partial analysis is not taken for a typo.
func init() {
	analysis.RuleExists = func(id string) bool { return Lookup(id) != nil }
}
