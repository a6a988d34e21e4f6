package analysis

import (
	"context"
	"fmt"
	"runtime/debug"
	"sort"
	"strings"

	"github.com/nginxls/nginxls/analysis/config"
)

// Run applies the analyzers to a configuration and returns their findings
// sorted by file and position. Rules switched off in the settings do not run;
// severities are overridden as configured. A rule that panics does not take
// the others down: its panic comes back as an error.
func Run(cfg *config.Config, analyzers []*Analyzer, s Settings) ([]Diagnostic, []error) {
	return RunContext(context.Background(), cfg, analyzers, s)
}

// RunContext is Run that gives up between rules once ctx is done (the
// language server cancels the analysis of a text that was edited since);
// it then returns ctx's error among the errors.
//
// Findings silenced by `# nginxls:ignore` comments are left out (see
// AnalyzeContext for them).
func RunContext(ctx context.Context, cfg *config.Config, analyzers []*Analyzer, s Settings) ([]Diagnostic, []error) {
	r := AnalyzeContext(ctx, cfg, analyzers, s)
	return r.Diagnostics, r.Errors
}

// Analyze is AnalyzeContext without cancellation.
func Analyze(cfg *config.Config, analyzers []*Analyzer, s Settings) Result {
	return AnalyzeContext(context.Background(), cfg, analyzers, s)
}

// AnalyzeContext runs the analyzers and applies the suppression comments:
// the result has the findings to show and, apart, the silenced ones with
// the comment that silenced each.
func AnalyzeContext(ctx context.Context, cfg *config.Config, analyzers []*Analyzer, s Settings) Result {
	diags, errs := runAll(ctx, cfg, analyzers, s)
	if ctx.Err() != nil {
		return Result{Diagnostics: diags, Errors: errs}
	}
	return suppress(cfg, analyzers, s, diags, errs)
}

func runAll(ctx context.Context, cfg *config.Config, analyzers []*Analyzer, s Settings) ([]Diagnostic, []error) {
	var diags []Diagnostic
	var errs []error
	for _, a := range analyzers {
		if err := ctx.Err(); err != nil {
			return nil, append(errs, err)
		}
		override := Severity(0)
		if v, ok := s.Rules[a.ID]; ok {
			if strings.EqualFold(v, "off") {
				continue
			}
			if sev, err := ParseSeverity(v); err == nil {
				override = sev
			}
		}
		pass := &Pass{Analyzer: a, Config: cfg, Settings: s, report: func(d Diagnostic) {
			if override != 0 {
				d.Severity = override
			}
			diags = append(diags, d)
		}}
		if err := runOne(a, pass); err != nil {
			errs = append(errs, err)
		}
	}
	SortDiagnostics(diags)
	return dedupe(diags), errs
}

// dedupe drops repeated findings: a snippet included in several servers is
// analysed once per inclusion, but its finding is one finding.
func dedupe(diags []Diagnostic) []Diagnostic {
	out := diags[:0]
	for i, d := range diags {
		if i > 0 {
			prev := out[len(out)-1]
			if prev.File == d.File && prev.Span == d.Span && prev.Rule == d.Rule && prev.Message == d.Message {
				out[len(out)-1].Related = append(out[len(out)-1].Related, d.Related...)
				continue
			}
		}
		out = append(out, d)
	}
	return out
}

func runOne(a *Analyzer, pass *Pass) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("internal error in rule %s: %v\n%s", a.ID, r, debug.Stack())
		}
	}()
	a.Run(pass)
	return nil
}

// SortDiagnostics orders findings by file name, position, then rule id.
func SortDiagnostics(diags []Diagnostic) {
	sort.SliceStable(diags, func(i, j int) bool {
		a, b := diags[i], diags[j]
		if a.File.Name != b.File.Name {
			return a.File.Name < b.File.Name
		}
		if a.Span.Start != b.Span.Start {
			return a.Span.Start < b.Span.Start
		}
		return a.Rule < b.Rule
	})
}
