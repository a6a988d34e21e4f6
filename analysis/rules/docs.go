package rules

import (
	"embed"
	"fmt"
	"strings"
)

// Every rule's documentation is a Markdown file beside the rules,
// docs/<rule-id>.md: what the rule finds and why, a "Severity:" paragraph,
// the fix, and a closing "References:" list. The registry fills
// Analyzer.Doc and Analyzer.Refs from it; docs/rules.md, `nginxls explain`,
// hover and SARIF all read those. A paragraph several rules share lives in
// docs/_NAME.md, and a doc takes it with a line of its own:
//
//	<!-- include _NAME.md -->
//
//go:embed docs/*.md
var docFiles embed.FS

// docErrors are the rules whose documentation is missing or malformed; a
// test reports them (a rule without its doc still runs).
var docErrors []error

func init() {
	for _, a := range All {
		doc, refs, err := readDoc(a.ID)
		if err != nil {
			docErrors = append(docErrors, err)
			continue
		}
		a.Doc, a.Refs = doc, refs
	}
}

// refsHeading opens the list of references that ends every doc.
const refsHeading = "\nReferences:\n\n"

// readDoc returns a rule's documentation without its references, and the
// references.
func readDoc(id string) (doc string, refs []string, err error) {
	path := "docs/" + id + ".md"
	b, err := docFiles.ReadFile(path)
	if err != nil {
		return "", nil, fmt.Errorf("rule %s has no documentation: %v", id, err)
	}
	text, err := expandIncludes(path, string(b))
	if err != nil {
		return "", nil, err
	}
	i := strings.LastIndex(text, refsHeading)
	if i < 0 {
		return "", nil, fmt.Errorf("%s: no %q list at the end", path, strings.TrimSpace(refsHeading))
	}
	for _, line := range strings.Split(strings.TrimSpace(text[i+len(refsHeading):]), "\n") {
		ref, ok := strings.CutPrefix(line, "- ")
		if !ok || strings.TrimSpace(ref) == "" {
			return "", nil, fmt.Errorf("%s: %q in the references is not a \"- \" item", path, line)
		}
		refs = append(refs, strings.TrimSpace(ref))
	}
	return strings.TrimSpace(text[:i]), refs, nil
}

// expandIncludes replaces each `<!-- include _NAME.md -->` line with the
// shared paragraph's text.
func expandIncludes(path, text string) (string, error) {
	lines := strings.Split(text, "\n")
	for i, line := range lines {
		name, ok := strings.CutPrefix(strings.TrimSpace(line), "<!-- include ")
		if !ok {
			continue
		}
		name, ok = strings.CutSuffix(name, " -->")
		if !ok || !strings.HasPrefix(name, "_") || strings.Contains(name, "/") {
			return "", fmt.Errorf("%s: malformed include line %q", path, line)
		}
		b, err := docFiles.ReadFile("docs/" + name)
		if err != nil {
			return "", fmt.Errorf("%s: %v", path, err)
		}
		lines[i] = strings.TrimSpace(string(b))
	}
	return strings.Join(lines, "\n"), nil
}
