package analysis

import (
	"fmt"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/nginxls/nginxls/analysis/config"
	"github.com/nginxls/nginxls/analysis/syntax"
)

// A shared value is made once per analysis, however many rules ask for it
// side by side, and made again by the next analysis.
func TestSharedOncePerAnalysis(t *testing.T) {
	type key struct{}
	var made atomic.Int32
	var analyzers []*Analyzer
	for i := range 8 {
		analyzers = append(analyzers, &Analyzer{ID: "r" + string(rune('a'+i)), Severity: Info, Run: func(p *Pass) {
			v := Shared(p, key{}, func() *int { made.Add(1); n := 0; return &n })
			p.Reportf(p.Config.Files[0], syntax.Span{}, "%p", v)
		}})
	}
	cfg := config.Load(syntax.Parse("a.conf", []byte("events {}\n")))
	for round := 1; round <= 2; round++ {
		diags, errs := Run(cfg, analyzers, DefaultSettings())
		if len(errs) > 0 || len(diags) != len(analyzers) {
			t.Fatalf("round %d: %d findings, errors %v", round, len(diags), errs)
		}
		for _, d := range diags[1:] {
			if d.Message != diags[0].Message {
				t.Errorf("round %d: rules saw different values: %s and %s", round, d.Message, diags[0].Message)
			}
		}
		if n := made.Load(); n != int32(round) {
			t.Errorf("after %d analyses the value was made %d times", round, n)
		}
	}
	// Outside an analysis (a pass of a test harness), nothing is kept.
	p := &Pass{}
	a := Shared(p, key{}, func() *int { return new(int) })
	if b := Shared(p, key{}, func() *int { return new(int) }); a == b {
		t.Error("a pass without an analysis kept a value")
	}
}

// A shared value whose making panics fails every rule that asks for it with
// that panic, not with a puzzling nil.
func TestSharedPanicReachesEveryRule(t *testing.T) {
	type key struct{}
	var analyzers []*Analyzer
	for i := range 4 {
		analyzers = append(analyzers, &Analyzer{ID: "p" + string(rune('a'+i)), Severity: Info, Run: func(p *Pass) {
			_ = Shared(p, key{}, func() *int { panic("boom") })
		}})
	}
	cfg := config.Load(syntax.Parse("a.conf", []byte("events {}\n")))
	_, errs := Run(cfg, analyzers, DefaultSettings())
	if len(errs) != len(analyzers) {
		t.Fatalf("%d errors, want one per rule: %v", len(errs), errs)
	}
	for _, err := range errs {
		if msg := err.Error(); !strings.Contains(msg, ": boom") {
			t.Errorf("error does not carry the panic: %.200s", msg)
		}
	}
}

// One key asked for as two types names two values: a type assertion
// cannot fail in the rule that asks second.
func TestSharedTyped(t *testing.T) {
	type key struct{}
	var got []string
	a := &Analyzer{ID: "typed", Severity: Info, Run: func(p *Pass) {
		n := Shared(p, key{}, func() int { return 7 })
		s := Shared(p, key{}, func() string { return "seven" })
		var none error = Shared(p, key{}, func() error { return nil })
		got = append(got, fmt.Sprintf("%d %s %v", n, s, none))
	}}
	cfg := config.Load(syntax.Parse("a.conf", []byte("events {}\n")))
	if _, errs := Run(cfg, []*Analyzer{a}, DefaultSettings()); len(errs) > 0 || len(got) != 1 || got[0] != "7 seven <nil>" {
		t.Errorf("got %q, errors %v", got, errs)
	}
}
