package rules

import (
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/nginxls/nginxls/analysis"
	"github.com/nginxls/nginxls/analysis/config"
	"github.com/nginxls/nginxls/analysis/openssl"
	"github.com/nginxls/nginxls/analysis/syntax"
	"github.com/nginxls/nginxls/analysis/tlsdata"
)

// The cipher rules judge every cipher string of the configuration by what
// OpenSSL enables with it on the target profile (package openssl), not by
// its words: `HIGH` enables static-RSA suites, `!RC4` enables nothing. Each
// finding sits on the item of the string that enabled the suites.
//
// A word the target OpenSSL ignores is not innocent: `RC4`, `EXPORT`,
// `RC4+RSA` or `DES-CBC3-SHA` do nothing on OpenSSL 3 but enable weak suites
// on legacy builds, so the string is also evaluated on the legacy profile
// and such dead words are reported as information: nothing a client can
// negotiate on the target, a trap when the configuration moves.
//
// All cipher findings on one value share one fix, so that applying them
// together is consistent: append the exclusions every weakness found needs,
// or, when the result would still be CBC-only or the string is invalid,
// replace the value with Mozilla's intermediate list.

// The cipher rules, one per weakness; each one's documentation is
// docs/<id>.md.
var (
	CipherNull      = cipherRule(openssl.WeakNull, "tls-cipher-null", "Cipher suites without encryption are enabled", analysis.Error)
	CipherAnonymous = cipherRule(openssl.WeakAnonymous, "tls-cipher-anonymous", "Anonymous cipher suites are enabled", analysis.Error)
	CipherExport    = cipherRule(openssl.WeakExport, "tls-cipher-export", "Export-grade cipher suites are enabled", analysis.Error)
	CipherRC4       = cipherRule(openssl.WeakRC4, "tls-cipher-rc4", "RC4 cipher suites are enabled", analysis.Error)
	CipherDES       = cipherRule(openssl.WeakDES, "tls-cipher-des", "DES, RC2, IDEA or SEED cipher suites are enabled", analysis.Error)
	Cipher3DES      = cipherRule(openssl.Weak3DES, "tls-cipher-3des", "3DES cipher suites are enabled", analysis.Warning)
	CipherMD5       = cipherRule(openssl.WeakMD5, "tls-cipher-md5", "Cipher suites with an MD5 MAC are enabled", analysis.Warning)
	CipherNoFS      = cipherRule(openssl.WeakNoFS, "tls-cipher-no-forward-secrecy", "Cipher suites without forward secrecy are enabled", analysis.Warning)
	CipherCBC       = cipherRule(openssl.WeakCBC, "tls-cipher-cbc", "CBC cipher suites are enabled", analysis.Info)
	CipherDHE       = withDefaultDHE(cipherRule(openssl.WeakDHE, "tls-cipher-dhe", "Finite-field DHE cipher suites are enabled", analysis.Info))
)

var CipherNoAEAD = &analysis.Analyzer{
	ID:        "tls-cipher-no-aead",
	Title:     "No AEAD cipher suite is enabled",
	Severity:  analysis.Warning,
	Run:       noAEAD.Run,
	RunServer: noAEAD.RunServer,
}

var noAEAD = analysis.Split(cipherValues, runNoAEAD)

// cipherRule builds the analyzer of one weakness.
func cipherRule(w openssl.Weakness, id, title string, sev analysis.Severity) *analysis.Analyzer {
	a := &analysis.Analyzer{ID: id, Title: title, Severity: sev}
	h := analysis.Split(cipherValues, func(p *analysis.Pass, v cipherValue) { runCipherWeakness(p, a, w, v) })
	a.Run, a.RunServer = h.Run, h.RunServer
	return a
}

// cipherRuleIDs maps weaknesses to their rules, for the shared fix.
var cipherRuleIDs = map[openssl.Weakness]string{
	openssl.WeakNull: "tls-cipher-null", openssl.WeakAnonymous: "tls-cipher-anonymous", openssl.WeakExport: "tls-cipher-export",
	openssl.WeakRC4: "tls-cipher-rc4", openssl.WeakDES: "tls-cipher-des", openssl.Weak3DES: "tls-cipher-3des",
	openssl.WeakMD5: "tls-cipher-md5", openssl.WeakNoFS: "tls-cipher-no-forward-secrecy", openssl.WeakCBC: "tls-cipher-cbc",
	openssl.WeakDHE: "tls-cipher-dhe",
}

// legacyChecked are the weaknesses whose dead words are looked up on legacy builds.
const legacyChecked = openssl.WeakNull | openssl.WeakAnonymous | openssl.WeakExport | openssl.WeakRC4 |
	openssl.WeakDES | openssl.Weak3DES | openssl.WeakMD5 | openssl.WeakNoFS

// cipherValue is one cipher string of the configuration.
type cipherValue struct {
	file     *syntax.File
	dir      *syntax.Directive
	word     *syntax.Word
	value    string
	offsets  *valueOffsetsOnce // file offset of each byte of value, and of its end; computed when needed
	upstream bool              // proxy_/grpc_/uwsgi_: nginx is the client
}

func newCipherValue(f *syntax.File, d *syntax.Directive, w *syntax.Word) cipherValue {
	return cipherValue{file: f, dir: d, word: w, value: w.Value, offsets: new(valueOffsetsOnce), upstream: !strings.HasPrefix(d.Name.Value, "ssl_")}
}

// valueOffsetsOnce holds a value's offsets, worked out by the first rule
// that needs them: the values outside servers are shared by the rules.
type valueOffsetsOnce struct {
	once sync.Once
	offs []int
}

func (v cipherValue) offs() []int {
	v.offsets.once.Do(func() { v.offsets.offs = valueOffsets(v.word) })
	return v.offsets.offs
}

var (
	cipherDirectives      = []string{"ssl_ciphers", "proxy_ssl_ciphers", "grpc_ssl_ciphers", "uwsgi_ssl_ciphers"}
	confCommandDirectives = []string{"ssl_conf_command", "proxy_ssl_conf_command", "grpc_ssl_conf_command", "uwsgi_ssl_conf_command"}
)

var cipherValueDirectives = append(append([]string(nil), cipherDirectives...), confCommandDirectives...)

// cipherValues are the cipher strings of the configuration: the ciphers
// directives and the CipherString commands (which nginx applies last, over
// ssl_ciphers); values with variables are left alone.
var cipherValues = analysis.NamedValues(func(l config.Located) (cipherValue, bool) {
	return cipherValueOf(l.File, l.Dir)
}, cipherValueDirectives...)

func cipherValueOf(f *syntax.File, d *syntax.Directive) (cipherValue, bool) {
	var w *syntax.Word
	switch {
	case slices.Contains(cipherDirectives, d.Name.Value) && len(d.Args) == 1:
		w = d.Args[0]
	case slices.Contains(confCommandDirectives, d.Name.Value) && len(d.Args) == 2 && strings.EqualFold(d.Args[0].Value, "CipherString"):
		w = d.Args[1]
	default:
		return cipherValue{}, false
	}
	if strings.Contains(w.Value, "$") {
		return cipherValue{}, false
	}
	return newCipherValue(f, d, w), true
}

// valueOffsets maps each byte of a word's value to the file, through quotes
// and the escapes nginx resolves.
func valueOffsets(w *syntax.Word) []int {
	body, base := w.Raw, w.Start
	if w.Quote != 0 && len(body) > 0 {
		body, base = body[1:], base+1
	}
	offs := make([]int, 0, len(w.Value)+1)
	i := 0
	for i < len(body) && len(offs) < len(w.Value) {
		offs = append(offs, base+i)
		if body[i] == '\\' && i+1 < len(body) && strings.IndexByte(`"'\trn`, body[i+1]) >= 0 {
			i += 2
			continue
		}
		i++
	}
	offs = append(offs, base+i)
	if len(offs) != len(w.Value)+1 {
		// Should not happen; fall back to the whole word.
		offs = make([]int, len(w.Value)+1)
		for j := range offs {
			offs[j] = w.Start
		}
		offs[len(w.Value)] = w.End
	}
	return offs
}

// span maps a range of the value to the file.
func (v cipherValue) span(start, end int) syntax.Span {
	if start < 0 || end > len(v.value) || start > end {
		return v.word.Span
	}
	offs := v.offs()
	return syntax.Span{Start: offs[start], End: offs[end]}
}

func (v cipherValue) whole() syntax.Span { return v.span(0, len(v.value)) }

// targetProfile is the OpenSSL profile the settings ask for.
func targetProfile(p *analysis.Pass) string { return openssl.Canonical(p.Settings.OpenSSL) }

func profileName(profile string) string {
	if profile == openssl.LegacyProfile {
		return "OpenSSL " + profile + " (legacy builds)"
	}
	return "OpenSSL " + profile
}

// finding is a group of weak suites credited to one item (and, merged,
// to more items of the same string).
type finding struct {
	item   *openssl.Item
	more   []*openssl.Item // other items of the string with suites of the weakness
	suites []*openssl.Suite
	// dead: the item does nothing on the target; suites are those it
	// selects on legacy builds. unknown: the target does not know a word.
	dead, unknown bool
	also          []openssl.Weakness // the dead item's other weaknesses
}

// weakFindings lists, for a weakness, the items that enable such suites on
// the target profile, then the items the target ignores that select such
// suites on legacy builds. Such an item is reported once, by the first of
// its weaknesses whose rule runs (RC4-MD5 by tls-cipher-rc4, or by
// tls-cipher-md5 when the RC4 rule is off).
func weakFindings(p *analysis.Pass, v cipherValue, w openssl.Weakness, profile string) []finding {
	rep := reportOf(v.value, profile)
	out := append([]finding(nil), rep.live[w]...)
	if w&legacyChecked == 0 {
		return out
	}
	for _, f := range rep.dead {
		for i, x := range f.also {
			if !ruleOn(p, cipherRuleIDs[x]) {
				continue
			}
			if x == w {
				f.also = append(append([]openssl.Weakness(nil), f.also[:i]...), f.also[i+1:]...)
				out = append(out, f)
			}
			break
		}
	}
	return out
}

// cipherReport is what every cipher rule needs to know about one string on
// one profile. Configurations repeat the same strings in many servers, and
// fourteen rules ask, so reports are cached (and dropped whole when full).
type cipherReport struct {
	live map[openssl.Weakness][]finding
	dead []finding
}

var reports = struct {
	sync.Mutex
	m map[[2]string]*cipherReport
}{m: map[[2]string]*cipherReport{}}

func reportOf(value, profile string) *cipherReport {
	k := [2]string{value, profile}
	reports.Lock()
	rep := reports.m[k]
	reports.Unlock()
	if rep != nil {
		return rep
	}
	rep = &cipherReport{live: map[openssl.Weakness][]finding{}, dead: deadFindings(value, profile)}
	if r := openssl.Evaluate(value, profile); r.Err == nil {
		for _, w := range openssl.Weaknesses {
			byItem := map[int][]*openssl.Suite{}
			var order []int
			for i, s := range r.Suites {
				if openssl.Classify(s)&w == 0 || !openssl.UsableSuite(s) {
					continue
				}
				it := r.EnabledBy[i]
				if byItem[it] == nil {
					order = append(order, it)
				}
				byItem[it] = append(byItem[it], s)
			}
			for _, it := range order {
				rep.live[w] = append(rep.live[w], finding{item: &r.Items[it], suites: byItem[it]})
			}
		}
	}
	reports.Lock()
	if len(reports.m) >= 1024 {
		reports.m = map[[2]string]*cipherReport{}
	}
	reports.m[k] = rep
	reports.Unlock()
	return rep
}

// legacyOrder breaks ties when a dead word selects as many suites of two
// weaknesses: the finding goes to the first.
var legacyOrder = []openssl.Weakness{openssl.WeakRC4, openssl.Weak3DES, openssl.WeakDES, openssl.WeakExport,
	openssl.WeakNull, openssl.WeakAnonymous, openssl.WeakMD5, openssl.WeakNoFS}

// deadFindings finds the items the target ignores that select weak suites
// on legacy builds (among those legacy builds end up enabling). Each is
// reported once, by the rule of the weakness most of its suites have; also
// lists that weakness first, then the others.
func deadFindings(value, profile string) []finding {
	if profile == openssl.LegacyProfile {
		return nil
	}
	target := openssl.EvaluateLenient(value, profile)
	legacy := openssl.EvaluateLenient(value, openssl.LegacyProfile)
	enabled := map[*openssl.Suite]bool{}
	for _, s := range legacy.Suites {
		enabled[s] = true
	}
	// The target's items by where they start: looked up once per item, a
	// scan each time made a long string quadratic (100,000 words: 10 s).
	onTarget := make(map[int]*openssl.Item, len(target.Items))
	for i := range target.Items {
		if _, ok := onTarget[target.Items[i].Start]; !ok {
			onTarget[target.Items[i].Start] = &target.Items[i]
		}
	}
	var out []finding
	for i := range legacy.Items {
		it := &legacy.Items[i]
		if it.Op != openssl.OpAdd {
			continue
		}
		dead, unknown := deadOn(onTarget[it.Start])
		if !dead {
			continue
		}
		var sel []*openssl.Suite
		for _, s := range it.Matched {
			if enabled[s] && openssl.UsableSuite(s) {
				sel = append(sel, s)
			}
		}
		best, bestN := openssl.Weakness(0), 0
		var also []openssl.Weakness
		for _, w := range legacyOrder {
			if n := len(openssl.Select(sel, w)); n > 0 {
				also = append(also, w)
				if n > bestN {
					best, bestN = w, n
				}
			}
		}
		if best == 0 {
			continue
		}
		rest := []openssl.Weakness{best}
		for _, w := range also {
			if w != best {
				rest = append(rest, w)
			}
		}
		out = append(out, finding{item: it, suites: openssl.Select(sel, best), dead: true, unknown: unknown, also: rest})
	}
	return out
}

// deadOn reports whether the item starting at an offset does nothing on a
// (lenient) result, and whether that is because a word is unknown there.
func deadOn(it *openssl.Item) (dead, unknown bool) {
	if it == nil {
		return true, true
	}
	return it.Ignored() || it.Op == openssl.OpInvalid, !it.Known
}

func runCipherWeakness(p *analysis.Pass, a *analysis.Analyzer, w openssl.Weakness, v cipherValue) {
	if w == openssl.WeakDHE && v.upstream {
		return // the DH group is the upstream server's business
	}
	profile := targetProfile(p)
	e := openssl.Explain(w)
	var fixes []analysis.SuggestedFix // the same for every finding on the value
	var rel []analysis.Related        // and the servers that inherit it
	for _, f := range mergeLive(weakFindings(p, v, w, profile)) {
		if fixes == nil {
			fixes = cipherFixes(p, v, w)
			if inheritable(v) {
				rel = inheritedBy(p, v.file, v.dir)
			}
		}
		sev, extra := a.Severity, ""
		d := analysis.Diagnostic{File: v.file, Span: v.span(f.item.Start, f.item.End), Fixes: fixes}
		if f.dead {
			sev = analysis.Info // a word the target ignores: nothing is inherited
			if note := alsoNote(f); note != "" {
				d.Related = append(d.Related, analysis.Related{File: v.file, Span: d.Span, Message: note})
			}
			for _, it := range f.more[:min(len(f.more), maxRelatedItems)] {
				d.Related = append(d.Related, analysis.Related{File: v.file, Span: v.span(it.Start, it.End), Message: "the same word again"})
			}
		} else {
			sev, extra = adjustSeverity(p, v, w, sev, profile)
			if !v.upstream {
				if why, ok := suitesRefused(p, servedBy(p, v.dir), f.suites); ok {
					sev, extra = lowered(a.Severity), hereNote(why)
				}
			}
			for _, it := range f.more[:min(len(f.more), maxRelatedItems)] {
				d.Related = append(d.Related, analysis.Related{File: v.file, Span: v.span(it.Start, it.End), Message: "also enables such suites"})
			}
			d.Related = append(d.Related, rel...)
		}
		d.Severity, d.Message = sev, weakMessage(f, e, profile, extra)
		if len(d.Message) > analysis.MaxMessage && strings.HasPrefix(extra, hereNote("")) {
			d.Message = weakMessage(f, e, profile, hereNote("")[:len(hereNote(""))-2])
		}
		p.Report(d)
	}
	if inheritable(v) {
		reportCipherInherited(p, v, w, profile)
	}
}

// maxRelatedItems is how many other items of a string a finding points
// at: the message counts them all, and a hostile string repeats one word
// 100,000 times.
const maxRelatedItems = 100

// mergeLive makes the items of one string that enable suites of one
// weakness one finding, on the first, the others related: a list of
// fourteen DHE suites is one thing to fix, not fourteen. Items the target
// ignores keep their own findings, which say so.
func mergeLive(fs []finding) []finding {
	var out []finding
	first := -1
	dead := map[string]int{} // a word the target ignores -> its finding in out
	for _, f := range fs {
		if f.dead {
			// The same ignored word again ("RC4:RC4:...") is the same
			// note: one, with the repeats related.
			k := f.item.Text
			if i, ok := dead[k]; ok && out[i].unknown == f.unknown {
				out[i].more = append(out[i].more, f.item)
				continue
			}
			dead[k] = len(out)
			out = append(out, f)
			continue
		}
		if first < 0 {
			first = len(out)
			f.suites = append([]*openssl.Suite(nil), f.suites...)
			out = append(out, f)
			continue
		}
		m := &out[first]
		m.more = append(m.more, f.item)
		m.suites = append(m.suites, f.suites...)
	}
	return out
}

// inheritable reports a server-side ssl_ciphers value, whose servers
// inherit it whole (a server's own value has no heirs).
func inheritable(v cipherValue) bool { return v.dir.Name.Value == "ssl_ciphers" }

// inheritedWeaknesses are the weaknesses a server is told it inherits; DHE
// is not among them, as whether its suites are used depends on the
// server's ssl_dhparam.
var inheritedWeaknesses = []openssl.Weakness{openssl.WeakNull, openssl.WeakAnonymous, openssl.WeakExport,
	openssl.WeakRC4, openssl.WeakDES, openssl.Weak3DES, openssl.WeakMD5, openssl.WeakNoFS, openssl.WeakCBC}

// reportCipherInherited tells each server in another file, once for all
// the cipher rules, what the weak value it inherits enables: the rule of
// the first weakness the value has speaks for the others.
func reportCipherInherited(p *analysis.Pass, v cipherValue, w openssl.Weakness, profile string) {
	rep := reportOf(v.value, profile)
	var names []string
	first := openssl.Weakness(0)
	for _, x := range inheritedWeaknesses {
		if len(rep.live[x]) > 0 && !p.Settings.RuleOff(cipherRuleIDs[x]) {
			if first == 0 {
				first = x
			}
			names = append(names, openssl.Explain(x).Many)
		}
	}
	if first != w {
		return
	}
	reportInherited(p, v.file, v.dir, names)
}

// nginx1110 stopped using built-in DH parameters: DHE needs ssl_dhparam.
var nginx1110 = config.MustVersion("1.11.0")

// adjustSeverity applies the rules' exceptions: anonymous suites are
// refused at security level 1 and above; without any forward-secret suite
// the lack of forward secrecy is an error; DHE depends on ssl_dhparam.
func adjustSeverity(p *analysis.Pass, v cipherValue, w openssl.Weakness, sev analysis.Severity, profile string) (analysis.Severity, string) {
	r := openssl.Evaluate(v.value, profile)
	switch w {
	case openssl.WeakAnonymous:
		if profile != openssl.LegacyProfile && r.SecLevel != 0 {
			return analysis.Info, "; OpenSSL refuses anonymous suites unless @SECLEVEL=0"
		}
	case openssl.WeakNoFS:
		for _, s := range r.Usable() {
			if s.ForwardSecret() {
				return sev, ""
			}
		}
		return analysis.Error, "; no enabled suite has forward secrecy"
	case openssl.WeakDHE:
		// Where an include could not be read, ssl_dhparam may be in it.
		if d := p.Config.Effective(v.dir, "ssl_dhparam"); d == nil && !p.Config.Incomplete(v.dir.Parent) {
			if p.Settings.Nginx.AtLeast(nginx1110) {
				return sev, fmt.Sprintf("; nginx %s negotiates no DHE without ssl_dhparam", p.Settings.Nginx)
			}
			return sev, fmt.Sprintf("; without ssl_dhparam, nginx %s uses built-in 1024-bit DH", p.Settings.Nginx)
		}
	}
	return sev, ""
}

// weakMessage says what the item enables, in one short sentence: the why
// is the rule's documentation, the suites beyond the first two are in
// hover and `nginxls explain ciphers`.
func weakMessage(f finding, e *openssl.Explanation, profile, extra string) string {
	what := fmt.Sprintf("%d %s", len(f.suites), e.Many)
	if len(f.suites) == 1 {
		what = e.One
	}
	on := profileName(profile)
	it := f.item
	subject := it.Text
	switch {
	case len(f.more) > 0 && !f.dead:
		items := append([]*openssl.Item{it}, f.more...)
		suitesOnly := len(items) == len(f.suites)
		names := make([]string, 0, len(items))
		for _, m := range items {
			names = append(names, m.Text)
			suitesOnly = suitesOnly && len(m.Words) == 1 && m.Words[0].Kind == openssl.WordSuite
		}
		var msgs []string
		for _, subject := range []string{capList(names, 2, "items"), capList(names, 1, "items"), fmt.Sprintf("%d items of this list", len(names))} {
			if suitesOnly {
				msgs = append(msgs, fmt.Sprintf("%s are %s on %s%s", subject, e.Many, on, extra))
				continue
			}
			for _, list := range suiteLists(f.suites) {
				msgs = append(msgs, fmt.Sprintf("%s enable %s on %s%s%s", subject, what, on, list, extra))
			}
		}
		return firstShort(msgs)
	case it.Op == openssl.OpDefault:
		subject = "DEFAULT"
	case it.Op == openssl.OpSuiteB:
		subject = "the Suite B keyword"
	}
	isSuite := len(it.Words) == 1 && it.Words[0].Kind == openssl.WordSuite && len(f.suites) == 1
	if f.dead {
		ignored := "is unknown to"
		if !f.unknown {
			ignored = "matches no suite on"
		}
		if len(f.more) > 0 {
			subject = fmt.Sprintf("%s (%d times in this list)", subject, len(f.more)+1)
		}
		if isSuite {
			return fmt.Sprintf("%s %s %s, but is %s on OpenSSL 1.0.2 and older", subject, ignored, on, what)
		}
		var msgs []string
		for _, list := range suiteLists(f.suites) {
			msgs = append(msgs, fmt.Sprintf("%s %s %s, but selects %s on OpenSSL 1.0.2 and older%s", subject, ignored, on, what, list))
		}
		return firstShort(msgs)
	}
	if isSuite {
		return fmt.Sprintf("%s is %s on %s%s", subject, e.One, on, extra)
	}
	var msgs []string
	for _, list := range suiteLists(f.suites) {
		msgs = append(msgs, fmt.Sprintf("%s enables %s on %s%s%s", subject, what, on, list, extra))
	}
	return firstShort(msgs)
}

// suiteLists are the ways to name suites in a message, longest first: two
// names, one, none.
func suiteLists(suites []*openssl.Suite) []string {
	return []string{" (" + openssl.Summarize(suites, 2) + ")", " (" + openssl.Summarize(suites, 1) + ")", ""}
}

// capList joins names, the first n of them and a count of the others
// ("RC4-SHA, RC4-MD5 and 3 more"): the whole list is in related
// information and hover.
func capList(names []string, n int, others string) string {
	if len(names) > n+1 {
		names = append(names[:n:n], strings.TrimSpace(fmt.Sprintf("%d more %s", len(names)-n, others)))
	}
	if len(names) == 1 {
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// firstShort returns the first message of at most 130 characters, else
// the shortest.
func firstShort(msgs []string) string {
	best := msgs[0]
	for _, m := range msgs {
		if len(m) <= 130 {
			return m
		}
		if len(m) < len(best) {
			best = m
		}
	}
	return best
}

// alsoNote names the other weaknesses of the suites a dead item selects,
// which their own rules leave to this finding.
func alsoNote(f finding) string {
	var also []string
	for _, w := range f.also {
		if len(f.suites) == 1 {
			also = append(also, openssl.Explain(w).One)
		} else {
			also = append(also, openssl.Explain(w).Many)
		}
	}
	switch {
	case len(also) == 0:
		return ""
	case len(f.suites) == 1:
		return f.suites[0].Name + " is also " + strings.Join(also, " and ")
	}
	return "some of these suites are also " + strings.Join(also, " or ")
}

func runNoAEAD(p *analysis.Pass, v cipherValue) {
	profile := targetProfile(p)
	r := openssl.Evaluate(v.value, profile)
	suites := r.Usable()
	if r.Err != nil || len(suites) == 0 {
		return
	}
	var aead, other []*openssl.Suite
	for _, s := range suites {
		if s.IsAEAD() {
			aead = append(aead, s)
		} else {
			other = append(other, s)
		}
	}
	var servers []*config.Server
	if !v.upstream {
		servers = servedBy(p, v.dir)
	}
	if len(aead) > 0 {
		// The AEAD suites may all be refused here (DHE ones without
		// ssl_dhparam) while others are not: clients get no AEAD.
		why, refused := suitesRefused(p, servers, aead)
		if !refused || len(other) == 0 {
			return
		}
		if _, none := suitesRefused(p, servers, other); none {
			return
		}
		msg := firstShort([]string{
			fmt.Sprintf("no AEAD suite of this list is negotiable here (%s): %s", openssl.Summarize(aead, 1), why),
			"no AEAD suite of this list is negotiable here: " + why})
		p.Report(analysis.Diagnostic{File: v.file, Span: v.whole(), Message: msg[:min(len(msg), analysis.MaxMessage)],
			Fixes: cipherFixes(p, v, 0)})
		return
	}
	what := fmt.Sprintf("none of the %d suites this list enables on %s is AEAD", len(suites), profileName(profile))
	if len(suites) == 1 {
		what = fmt.Sprintf("the only suite this list enables on %s, %s, is not AEAD", profileName(profile), suites[0].Name)
	}
	d := analysis.Diagnostic{File: v.file, Span: v.whole(), Message: what, Fixes: cipherFixes(p, v, 0)}
	if why, ok := suitesRefused(p, servers, suites); ok {
		d.Severity, d.Message = lowered(analysis.Warning), withNote(what, why)
	}
	p.Report(d)
}

// ruleOn reports whether the settings run a rule.
func ruleOn(p *analysis.Pass, id string) bool {
	return !p.Settings.RuleOff(id)
}

// cipherFixes returns the fix every cipher finding on the value shares and,
// when that is the Mozilla list, the smaller fix of this weakness alone.
func cipherFixes(p *analysis.Pass, v cipherValue, w openssl.Weakness) []analysis.SuggestedFix {
	profile := targetProfile(p)
	shared := sharedCipherFix(p, v, profile)
	fixes := []analysis.SuggestedFix{shared}
	if w == 0 || w == openssl.WeakCBC {
		return fixes
	}
	var ex []string
	for _, f := range weakFindings(p, v, w, profile) {
		ex = appendNew(ex, w.Exclusions(f.suites)...)
	}
	if own := appendFix(v, ex); len(ex) > 0 && own.Edits[0] != shared.Edits[0] {
		fixes = append(fixes, own)
	}
	return fixes
}

// sharedCipherFix appends the exclusions of every weakness found on the
// value by a rule that runs; it replaces the value with Mozilla's list when
// the string is rejected or would still enable only CBC suites (or any CBC
// suite while tls-cipher-cbc runs).
func sharedCipherFix(p *analysis.Pass, v cipherValue, profile string) analysis.SuggestedFix {
	r := openssl.Evaluate(v.value, profile)
	if r.Err != nil {
		return mozillaFix(v)
	}
	var ex []string
	for _, w := range openssl.Weaknesses {
		if w == openssl.WeakCBC || !ruleOn(p, cipherRuleIDs[w]) || w == openssl.WeakDHE && v.upstream {
			continue
		}
		for _, f := range weakFindings(p, v, w, profile) {
			ex = appendNew(ex, w.Exclusions(f.suites)...)
		}
	}
	after := openssl.Evaluate(v.value+":"+strings.Join(ex, ":"), profile)
	if after.Err != nil {
		return mozillaFix(v)
	}
	suites := after.Usable()
	aead, cbc := false, false
	for _, s := range suites {
		aead = aead || s.IsAEAD()
		cbc = cbc || openssl.Classify(s)&openssl.WeakCBC != 0
	}
	if len(suites) == 0 || !aead && ruleOn(p, "tls-cipher-no-aead") || cbc && ruleOn(p, "tls-cipher-cbc") {
		return mozillaFix(v)
	}
	return appendFix(v, ex)
}

func appendNew(list []string, add ...string) []string {
	for _, a := range add {
		dup := false
		for _, x := range list {
			dup = dup || x == a
		}
		if !dup {
			list = append(list, a)
		}
	}
	return list
}

func appendFix(v cipherValue, ex []string) analysis.SuggestedFix {
	text := ":" + strings.Join(ex, ":")
	end := v.offs()[len(v.value)]
	return analysis.SuggestedFix{
		Title: fmt.Sprintf("Append %s to %s", text, v.dir.Name.Value),
		Edits: []analysis.TextEdit{replace(v.file, syntax.Span{Start: end, End: end}, text)},
	}
}

func mozillaFix(v cipherValue) analysis.SuggestedFix {
	return analysis.SuggestedFix{
		Title: "Use Mozilla's intermediate cipher list (forward-secret AEAD suites only)",
		Edits: []analysis.TextEdit{replace(v.file, v.whole(), tlsdata.MozillaIntermediate)},
	}
}
