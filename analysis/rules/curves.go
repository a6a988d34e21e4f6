package rules

import (
	"fmt"
	"strings"

	"github.com/nginxls/nginxls/analysis"
	"github.com/nginxls/nginxls/analysis/negotiate"
	"github.com/nginxls/nginxls/analysis/syntax"
	"github.com/nginxls/nginxls/analysis/tlsdata"
)

var CurveWeak = &analysis.Analyzer{
	ID:       "tls-curve-weak",
	Title:    "Weak key exchange group (curve) offered",
	Severity: analysis.Error,
	Run:      runCurveWeak,
}

var CurveUnknown = &analysis.Analyzer{
	ID:       "tls-curve-unknown",
	Title:    "Group name unknown to the target OpenSSL",
	Severity: analysis.Error,
	Run:      runCurveUnknown,
}

// groupList is one list of groups in the configuration: an ssl_ecdh_curve
// value or an `ssl_conf_command Groups|Curves` value.
type groupList struct {
	file  *syntax.File
	dir   *syntax.Directive
	value *syntax.Word
	items []groupItem
}

type groupItem struct {
	name string
	span syntax.Span
	info tlsdata.GroupInfo
}

func groupLists(p *analysis.Pass) []groupList {
	var out []groupList
	for _, l := range p.Config.Named("ssl_ecdh_curve", "ssl_conf_command") {
		f, d := l.File, l.Dir
		var w *syntax.Word
		switch {
		case d.Name.Value == "ssl_ecdh_curve" && len(d.Args) == 1:
			w = d.Args[0]
		case d.Name.Value == "ssl_conf_command" && len(d.Args) == 2 &&
			(strings.EqualFold(d.Args[0].Value, "Groups") || strings.EqualFold(d.Args[0].Value, "Curves")):
			w = d.Args[1]
		default:
			continue
		}
		if w.Value == "auto" && d.Name.Value == "ssl_ecdh_curve" || strings.Contains(w.Value, "$") {
			continue
		}
		gl := groupList{file: f, dir: d, value: w}
		// Offsets of items inside the word are exact only when the raw text
		// and the value agree (no escapes); otherwise the whole word is used.
		body, base := w.Raw, w.Start
		if w.Quote != 0 {
			body, base = w.Raw[1:], w.Start+1
		}
		exact := strings.HasPrefix(body, w.Value)
		off := 0
		for _, name := range strings.Split(w.Value, ":") {
			span := w.Span
			if exact {
				span = syntax.Span{Start: base + off, End: base + off + len(name)}
			}
			off += len(name) + 1
			if name == "" {
				continue
			}
			gl.items = append(gl.items, groupItem{name, span, tlsdata.LookupGroup(name, p.Settings.OpenSSL)})
		}
		out = append(out, gl)
	}
	return out
}

func runCurveWeak(p *analysis.Pass) {
	for _, gl := range groupLists(p) {
		// One finding per kind of weakness in a list, on its first group,
		// the others related: a list of five weak curves is one thing to fix.
		kinds, weak := weakGroups(p, gl)
		for _, k := range kinds {
			first := k.items[0]
			p.Report(analysis.Diagnostic{File: gl.file, Span: first.span, Severity: k.sev, Message: k.message(p),
				Fixes:   []analysis.SuggestedFix{cleanGroupsFix(p, gl)},
				Related: append(k.related(gl), inheritedBy(p, gl.file, gl.dir)...)})
		}
		if len(weak) > 0 && gl.dir.Name.Value == "ssl_ecdh_curve" {
			reportInherited(p, gl.file, gl.dir, []string{"the weak " + capList(weak, 2, "groups")})
		}
	}
}

// groupWeakness is one kind of weakness of the groups of a list, and the
// groups that have it.
type groupWeakness struct {
	sev   analysis.Severity
	why   string
	items []groupItem
}

// weakGroups sorts the weak groups of a list by kind of weakness, in the
// order the list first names each, and returns the names of those worse
// than information. A group no server the list applies to can negotiate
// is a kind of its own, a level lower.
func weakGroups(p *analysis.Pass, gl groupList) (kinds []*groupWeakness, weak []string) {
	byWhy := map[string]*groupWeakness{}
	servers := servedBy(p, gl.dir)
	for _, it := range gl.items {
		var sev analysis.Severity
		var why string
		switch {
		case it.info.Status == tlsdata.Weak:
			sev, why = analysis.Error, "less than 112 bits of security"
		case it.info.Status == tlsdata.Legacy:
			sev, why = analysis.Warning, "112 bits of security, the bare minimum"
		case it.info.Group != nil && strings.HasPrefix(it.name, "brainpool"):
			sev, why = analysis.Info, it.info.Group.Note
		default:
			continue
		}
		if sev != analysis.Info && it.info.Group != nil {
			name := it.info.Group.Name
			if rw, ok := refusedHere(p, servers, func(e *negotiate.Endpoint) (bool, string) { return e.GroupNegotiable(name) }); ok {
				sev, why = lowered(sev), why+hereNote(rw)
			}
		}
		k := byWhy[why]
		if k == nil {
			k = &groupWeakness{sev: sev, why: why}
			byWhy[why] = k
			kinds = append(kinds, k)
		}
		k.items = append(k.items, it)
		if sev != analysis.Info {
			weak = append(weak, it.name)
		}
	}
	return kinds, weak
}

// message says what the groups are, and whether nginx starts with them.
func (k *groupWeakness) message(p *analysis.Pass) string {
	first := k.items[0]
	lo, hi := first.info.Bits, first.info.Bits
	for _, it := range k.items {
		lo, hi = min(lo, it.info.Bits), max(hi, it.info.Bits)
	}
	why := ": " + k.why
	if k.sev == analysis.Error && lo >= 224 {
		why = "" // a brainpool curve OpenSSL never offers, said below
	}
	msgs := []string{fmt.Sprintf("%s is a %d-bit group%s", first.name, first.info.Bits, why)}
	if len(k.items) > 1 {
		var names []string
		for _, it := range k.items {
			names = append(names, it.name)
		}
		bits := fmt.Sprintf("%d-bit", lo)
		if lo != hi {
			bits = fmt.Sprintf("%d- to %d-bit", lo, hi)
		}
		msgs = []string{fmt.Sprintf("%s are %s groups%s", capList(names, 2, ""), bits, why),
			fmt.Sprintf("%s and %d more are %s groups%s", names[0], len(names)-1, bits, why)}
	}
	var unknown []string
	for _, it := range k.items {
		if !it.info.Supported && it.info.Status == tlsdata.Weak {
			unknown = append(unknown, it.name)
		}
	}
	if len(unknown) > 0 {
		which := capList(unknown, 2, "")
		if len(k.items) == 1 {
			which = "it"
		}
		for i := range msgs {
			msgs[i] += fmt.Sprintf("; OpenSSL %s does not offer %s for TLS, so nginx refuses to start", p.Settings.OpenSSL, which)
		}
	}
	return firstShort(msgs)
}

// related points at the groups after the first.
func (k *groupWeakness) related(gl groupList) []analysis.Related {
	var rel []analysis.Related
	for _, it := range k.items[1:] {
		rel = append(rel, analysis.Related{File: gl.file, Span: it.span, Message: fmt.Sprintf("%s is a %d-bit group", it.name, it.info.Bits)})
	}
	return rel
}

func runCurveUnknown(p *analysis.Pass) {
	for _, gl := range groupLists(p) {
		for _, it := range gl.items {
			// Weak names are tls-curve-weak's, which says nginx will not start.
			if it.info.Supported || it.info.Status == tlsdata.Weak {
				continue
			}
			msg := fmt.Sprintf("OpenSSL %s does not know the group %q: nginx refuses to start", p.Settings.OpenSSL, it.name)
			if alt := tlsdata.SupportedSpelling(it.name, p.Settings.OpenSSL); alt != "" {
				msg = fmt.Sprintf("OpenSSL %s does not know the group %q (it spells it %q): nginx refuses to start", p.Settings.OpenSSL, it.name, alt)
			} else if g := it.info.Group; g != nil {
				msg = fmt.Sprintf("OpenSSL %s does not know the group %q (it needs OpenSSL %s): nginx refuses to start", p.Settings.OpenSSL, it.name, g.Since)
			}
			p.Report(analysis.Diagnostic{File: gl.file, Span: it.span, Message: msg,
				Fixes: []analysis.SuggestedFix{cleanGroupsFix(p, gl)}})
		}
	}
}

// cleanGroupsFix keeps the sound names the target OpenSSL knows (respelling
// those it knows under another name), or falls back to Mozilla's list. Every
// curve finding on a list shares this edit.
func cleanGroupsFix(p *analysis.Pass, gl groupList) analysis.SuggestedFix {
	var keep []string
	seen := map[string]bool{}
	for _, it := range gl.items {
		if it.info.Status == tlsdata.Weak || it.info.Status == tlsdata.Legacy {
			continue
		}
		name := it.name
		if !it.info.Supported {
			name = tlsdata.SupportedSpelling(it.name, p.Settings.OpenSSL)
		}
		if name != "" && !seen[name] {
			seen[name] = true
			keep = append(keep, name)
		}
	}
	value := strings.Join(keep, ":")
	title := "Keep only strong groups the target OpenSSL knows: " + value
	if len(keep) == 0 {
		value = tlsdata.RecommendedGroups
		if !p.Settings.OpenSSLAtLeast("1.1.1") {
			value = tlsdata.RecommendedGroups102
		}
		title = "Use the recommended groups " + value
	}
	return analysis.SuggestedFix{Title: title, Edits: []analysis.TextEdit{replace(gl.file, gl.value.Span, value)}}
}
