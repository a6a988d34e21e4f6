package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/nginxls/nginxls/analysis"
	"github.com/nginxls/nginxls/analysis/syntax"
	"github.com/nginxls/nginxls/analysis/workspace"
)

// SARIF 2.1.0 output (OASIS Static Analysis Results Interchange Format),
// which GitHub code scanning and other CI tools read. Only the parts of the
// format nginxls has something for are written; the test validates the
// output against the OASIS schema.

const (
	sarifVersion = "2.1.0"
	sarifSchema  = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
	srcRoot      = "%SRCROOT%"
)

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool               sarifTool                   `json:"tool"`
	OriginalURIBaseIDs map[string]sarifArtifactLoc `json:"originalUriBaseIds,omitempty"`
	Results            []sarifResult               `json:"results"`
	ColumnKind         string                      `json:"columnKind"`
	// Properties.targets are what the configurations were judged for.
	Properties map[string]any `json:"properties,omitempty"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version,omitempty"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifText struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type sarifRule struct {
	ID                   string          `json:"id"`
	Name                 string          `json:"name"`
	ShortDescription     sarifText       `json:"shortDescription"`
	FullDescription      sarifText       `json:"fullDescription"`
	Help                 sarifText       `json:"help"`
	HelpURI              string          `json:"helpUri"`
	DefaultConfiguration sarifRuleConfig `json:"defaultConfiguration"`
	Properties           map[string]any  `json:"properties,omitempty"`
}

type sarifRuleConfig struct {
	Level string `json:"level"`
}

type sarifResult struct {
	RuleID           string             `json:"ruleId"`
	RuleIndex        int                `json:"ruleIndex"`
	Level            string             `json:"level"`
	Message          sarifText          `json:"message"`
	Locations        []sarifLocation    `json:"locations"`
	RelatedLocations []sarifLocation    `json:"relatedLocations,omitempty"`
	Fixes            []sarifFix         `json:"fixes,omitempty"`
	Suppressions     []sarifSuppression `json:"suppressions,omitempty"`
	Fingerprints     map[string]string  `json:"partialFingerprints,omitempty"`
	Properties       map[string]any     `json:"properties,omitempty"`
}

type sarifLocation struct {
	ID               int                   `json:"id,omitempty"`
	PhysicalLocation sarifPhysicalLocation `json:"physicalLocation"`
	Message          *sarifText            `json:"message,omitempty"`
}

type sarifPhysicalLocation struct {
	ArtifactLocation sarifArtifactLoc `json:"artifactLocation"`
	Region           sarifRegion      `json:"region"`
}

type sarifArtifactLoc struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId,omitempty"`
}

type sarifRegion struct {
	StartLine   int        `json:"startLine"`
	StartColumn int        `json:"startColumn"`
	EndLine     int        `json:"endLine"`
	EndColumn   int        `json:"endColumn"`
	Snippet     *sarifText `json:"snippet,omitempty"`
}

type sarifFix struct {
	Description     sarifText             `json:"description"`
	ArtifactChanges []sarifArtifactChange `json:"artifactChanges"`
}

type sarifArtifactChange struct {
	ArtifactLocation sarifArtifactLoc   `json:"artifactLocation"`
	Replacements     []sarifReplacement `json:"replacements"`
}

type sarifReplacement struct {
	DeletedRegion   sarifRegion `json:"deletedRegion"`
	InsertedContent sarifText   `json:"insertedContent"`
}

type sarifSuppression struct {
	Kind          string         `json:"kind"`
	Status        string         `json:"status"`
	Justification string         `json:"justification,omitempty"`
	Location      *sarifLocation `json:"location,omitempty"`
}

// sarifLevel maps severities: SARIF has no "hint", and "note" is its
// informational level.
func sarifLevel(s analysis.Severity) string {
	switch s {
	case analysis.Error:
		return "error"
	case analysis.Warning:
		return "warning"
	}
	return "note"
}

// securitySeverity is the CVSS-like score GitHub code scanning sorts
// security alerts by.
func securitySeverity(s analysis.Severity) string {
	switch s {
	case analysis.Error:
		return "8.0"
	case analysis.Warning:
		return "5.0"
	case analysis.Info:
		return "3.0"
	}
	return "1.0"
}

// artifact turns a file name into a SARIF artifact location: relative
// names stay relative to %SRCROOT% (the working directory), absolute ones
// become file: URIs.
func artifact(name string) sarifArtifactLoc {
	name = shown(name)
	if name == stdinName {
		return sarifArtifactLoc{URI: "stdin"}
	}
	slash := filepath.ToSlash(name)
	if filepath.IsAbs(name) {
		return sarifArtifactLoc{URI: (&url.URL{Scheme: "file", Path: slash}).String()}
	}
	return sarifArtifactLoc{URI: (&url.URL{Path: strings.TrimPrefix(slash, "./")}).String(), URIBaseID: srcRoot}
}

// region converts a span: 1-based lines and columns counted in Unicode
// code points (the run's columnKind), the end column exclusive.
func region(f *syntax.File, s syntax.Span) sarifRegion {
	col := func(off int) (int, int) {
		line, _ := f.Position(off)
		start := f.LineStart(off)
		return line, utf8.RuneCount(f.Src[start:off]) + 1
	}
	var r sarifRegion
	r.StartLine, r.StartColumn = col(s.Start)
	r.EndLine, r.EndColumn = col(s.End)
	return r
}

func location(f *syntax.File, s syntax.Span) sarifPhysicalLocation {
	return sarifPhysicalLocation{ArtifactLocation: artifact(f.Name), Region: region(f, s)}
}

// firstParagraph is a rule's documentation up to its first blank line.
func firstParagraph(doc string) string {
	p, _, _ := strings.Cut(doc, "\n\n")
	return strings.Join(strings.Fields(p), " ")
}

func sarifRules(as []*analysis.Analyzer) ([]sarifRule, map[string]int) {
	index := map[string]int{}
	var out []sarifRule
	for _, a := range as {
		index[a.ID] = len(out)
		help := a.Doc
		if len(a.Refs) > 0 {
			help += "\n\nReferences: " + strings.Join(a.Refs, ", ")
		}
		out = append(out, sarifRule{
			ID: a.ID, Name: ruleName(a.ID),
			ShortDescription:     sarifText{Text: a.Title},
			FullDescription:      sarifText{Text: firstParagraph(a.Doc)},
			Help:                 sarifText{Text: help, Markdown: help},
			HelpURI:              a.URL(),
			DefaultConfiguration: sarifRuleConfig{Level: sarifLevel(a.Severity)},
			Properties:           map[string]any{"tags": []string{"security", "nginx"}, "security-severity": securitySeverity(a.Severity)},
		})
	}
	return out, index
}

// ruleName is the id in CamelCase, as SARIF's rule names are.
func ruleName(id string) string {
	var b strings.Builder
	for _, part := range strings.FieldsFunc(id, func(r rune) bool { return r == '-' || r == '_' }) {
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	return b.String()
}

func sarifResultOf(d analysis.Diagnostic, index map[string]int) sarifResult {
	r := sarifResult{
		RuleID: d.Rule, RuleIndex: index[d.Rule], Level: sarifLevel(d.Severity),
		Message:    sarifText{Text: shownText(d.Message)},
		Locations:  []sarifLocation{{PhysicalLocation: location(d.File, d.Span)}},
		Properties: map[string]any{"nginxls-severity": d.Severity.String()},
	}
	for i, rel := range d.Related {
		f := rel.File
		if f == nil {
			f = d.File
		}
		r.RelatedLocations = append(r.RelatedLocations, sarifLocation{ID: i + 1, PhysicalLocation: location(f, rel.Span), Message: &sarifText{Text: shownText(rel.Message)}})
	}
	for _, fix := range d.Fixes {
		byFile := map[*syntax.File][]sarifReplacement{}
		var order []*syntax.File
		for _, e := range fix.Edits {
			f := e.File
			if f == nil {
				f = d.File
			}
			if _, ok := byFile[f]; !ok {
				order = append(order, f)
			}
			byFile[f] = append(byFile[f], sarifReplacement{DeletedRegion: region(f, e.Span), InsertedContent: sarifText{Text: e.NewText}})
		}
		sf := sarifFix{Description: sarifText{Text: fix.Title}}
		for _, f := range order {
			sf.ArtifactChanges = append(sf.ArtifactChanges, sarifArtifactChange{ArtifactLocation: artifact(f.Name), Replacements: byFile[f]})
		}
		if len(sf.ArtifactChanges) > 0 {
			r.Fixes = append(r.Fixes, sf)
		}
	}
	// A fingerprint that survives unrelated edits above the finding.
	line := strings.TrimSpace(string(d.File.Src[d.File.LineStart(d.Span.Start):d.Span.End]))
	r.Fingerprints = map[string]string{"primaryLocationLineHash": fmt.Sprintf("%s:%x", d.Rule, fnv(line))}
	return r
}

func fnv(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

// printSARIF writes one run with every rule of the registry (so that rule
// indexes are stable), the findings, and the suppressed findings carrying
// their nginxls:ignore comment as an in-source suppression.
func printSARIF(w io.Writer, diags []analysis.Diagnostic, suppressed []analysis.Suppressed, as []*analysis.Analyzer, settings []workspace.SettingsInfo) error {
	rules, index := sarifRules(append(append([]*analysis.Analyzer(nil), as...), missingIgnore(as)...))
	run := sarifRun{
		Tool:       sarifTool{Driver: sarifDriver{Name: "nginxls", Version: versionString(), InformationURI: "https://github.com/nginxls/nginxls", Rules: rules}},
		Results:    []sarifResult{},
		ColumnKind: "unicodeCodePoints",
	}
	if t := targetsOf(settings); len(t) > 0 {
		run.Properties = map[string]any{"targets": t}
	}
	if wd, err := os.Getwd(); err == nil {
		run.OriginalURIBaseIDs = map[string]sarifArtifactLoc{srcRoot: {URI: (&url.URL{Scheme: "file", Path: filepath.ToSlash(wd) + "/"}).String()}}
	}
	for _, d := range diags {
		run.Results = append(run.Results, sarifResultOf(d, index))
	}
	for _, s := range suppressed {
		r := sarifResultOf(s.Diagnostic, index)
		loc := sarifLocation{PhysicalLocation: location(s.By.File, s.By.Span)}
		r.Suppressions = []sarifSuppression{{Kind: "inSource", Status: "accepted", Justification: s.By.Reason, Location: &loc}}
		run.Results = append(run.Results, r)
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(sarifLog{Schema: sarifSchema, Version: sarifVersion, Runs: []sarifRun{run}})
}

// missingIgnore adds the suppression rule when the analyzers lack it, so
// that its results always have a rule to point at.
func missingIgnore(as []*analysis.Analyzer) []*analysis.Analyzer {
	for _, a := range as {
		if a.ID == analysis.Ignore.ID {
			return nil
		}
	}
	return []*analysis.Analyzer{analysis.Ignore}
}

func versionString() string {
	if version == "" {
		return "devel"
	}
	return version
}

func sortSuppressed(ss []analysis.Suppressed) {
	sort.SliceStable(ss, func(i, j int) bool {
		a, b := ss[i], ss[j]
		if a.File.Name != b.File.Name {
			return a.File.Name < b.File.Name
		}
		if a.Span.Start != b.Span.Start {
			return a.Span.Start < b.Span.Start
		}
		return a.Rule < b.Rule
	})
}
