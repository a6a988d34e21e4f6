package analysis

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/nginxls/nginxls/analysis/config"
	"github.com/nginxls/nginxls/analysis/negotiate"
	"github.com/nginxls/nginxls/analysis/openssl"
	"github.com/nginxls/nginxls/analysis/syntax"
	"github.com/nginxls/nginxls/analysis/tlsdata"
)

// Severity of a finding. The numbering is the one of LSP's
// DiagnosticSeverity; zero means "the analyzer's default".
//
// A severity says what it costs to ignore a finding:
//
//   - Error: nginx will not start or a client cannot connect, or the
//     configuration is exploitable as it stands (broken cryptography a
//     client can be made to negotiate, authentication that can be
//     bypassed).
//   - Warning: a real weakness or a likely mistake that an admin should
//     fix, but the server works and is not trivially exploitable.
//   - Info: a hardening or conformance note that is right for most sites
//     but a matter of policy.
//   - Hint: style, or a speculative observation.
//
// Text output shows errors and warnings by default, so a finding at
// warning or above must be worth an admin's time on a real configuration.
// Every rule's Doc says, in a "Severity:" paragraph, why it has its
// default and when a finding is raised or lowered from it. SeverityScale
// is this scale for the rules' reference.
type Severity int

// SeverityScale is the scale of the Severity comment in Markdown, as the
// rules' reference (docs/rules.md) states it.
const SeverityScale = `- **error**: nginx will not start or a client cannot connect, or the configuration is exploitable
  as it stands (broken cryptography a client can be made to negotiate, authentication that can
  be bypassed).
- **warning**: a real weakness or a likely mistake that an admin should fix, but the server works
  and is not trivially exploitable.
- **info**: a hardening or conformance note that is right for most sites but a matter of policy.
- **hint**: style, or a speculative observation.

Text output shows errors and warnings by default (` + "`--min-severity`" + ` changes that), so a finding at
warning or above is meant to be worth an admin's time on a real configuration. Each rule's
"Severity" paragraph says why it has its default, and when a finding is raised or lowered from it.`

const (
	Error   Severity = 1
	Warning Severity = 2
	Info    Severity = 3
	Hint    Severity = 4
	// Off switches a rule off in Settings.Rules; no finding has it. It
	// sorts below Hint, as what is never shown.
	Off Severity = 5
)

func (s Severity) String() string {
	switch s {
	case Error:
		return "error"
	case Warning:
		return "warning"
	case Info:
		return "info"
	case Hint:
		return "hint"
	case Off:
		return "off"
	}
	return fmt.Sprintf("severity(%d)", int(s))
}

// ParseSeverity reads "error", "warning", "info" or "hint".
func ParseSeverity(s string) (Severity, error) {
	switch strings.ToLower(s) {
	case "error":
		return Error, nil
	case "warning", "warn":
		return Warning, nil
	case "info", "information":
		return Info, nil
	case "hint":
		return Hint, nil
	}
	return 0, fmt.Errorf("unknown severity %q (want error, warning, info or hint)", s)
}

// Analyzer is one rule.
type Analyzer struct {
	ID       string   // stable, public: used in output, settings and suppressions
	Title    string   // one line
	Doc      string   // why it matters and what to do, in Markdown
	Refs     []string // references: RFCs, CVEs, guidelines, nginx docs
	Severity Severity // default severity
	// Run checks the configuration, once per analysis.
	Run func(*Pass)
	// RunServer, when set, checks one server, and Run then checks only
	// what lies outside servers. The package documentation says what it
	// may depend on; Split makes both from one check over directives.
	RunServer func(*Pass, *config.Server)
}

// URL is where the rule's documentation is published.
func (a *Analyzer) URL() string {
	return "https://github.com/nginxls/nginxls/blob/main/docs/rules.md#" + a.ID
}

// Settings are what the rules depend on besides the configuration. The
// front ends read them with the one parser of settings.go.
type Settings struct {
	Nginx   config.Version // target nginx version
	OpenSSL string         // target OpenSSL profile: one of openssl.Profiles
	Profile string         // Mozilla profile: one of tlsdata.ProfileNames
	// Platform names the system nginx runs on (negotiate.Platforms:
	// "debian-12", "rhel-9", ...), which sets the security level its
	// libssl starts at; "" is OpenSSL as its authors build it (level 1).
	Platform string
	// SystemLevel, when SystemLevelFrom is set, is the security level the
	// system's OpenSSL configuration sets (a CipherString's @SECLEVEL under
	// system_default), found on this machine: it wins over the platform's.
	SystemLevel     int
	SystemLevelFrom string
	// CertExpiryDays is how many days before a certificate expires it is
	// reported; 0 means a third of its lifetime, at most 30 days (about
	// when certbot renews).
	CertExpiryDays int
	// Rules overrides per rule id: Off, or the severity its findings get.
	Rules map[string]Severity
}

// DefaultSettings are nginx 1.28.0 (the stable branch) with the newest
// OpenSSL modelled and Mozilla's intermediate profile.
func DefaultSettings() Settings {
	return Settings{Nginx: config.DefaultVersion, OpenSSL: openssl.Profiles[0], Profile: tlsdata.ProfileNames[0]}
}

// Target is the TLS library the settings describe: the OpenSSL profile,
// and the security level of the platform or the system configuration.
func (s Settings) Target() negotiate.Target {
	t := negotiate.TargetFor(s.OpenSSL, s.Platform)
	if s.SystemLevelFrom != "" {
		t.SecLevel, t.SecLevelFrom = s.SystemLevel, s.SystemLevelFrom
	}
	return t
}

// LevelKnown says the settings name the security level nginx starts at
// (a platform, or the system configuration), rather than assume OpenSSL's
// default, which a build or the system may lower.
func (s Settings) LevelKnown() bool { return s.Platform != "" || s.SystemLevelFrom != "" }

// RuleOff reports whether the settings switch a rule off.
func (s Settings) RuleOff(id string) bool { return s.Rules[id] == Off }

// OpenSSLAtLeast compares the target OpenSSL profile with "major.minor.patch".
func (s Settings) OpenSSLAtLeast(v string) bool {
	a, _ := config.ParseVersion(s.OpenSSL)
	b, _ := config.ParseVersion(v)
	return a.AtLeast(b)
}

// Tag marks a diagnostic, as LSP's DiagnosticTag does.
type Tag int

const (
	Unnecessary Tag = 1
	Deprecated  Tag = 2
)

// Diagnostic is one finding.
type Diagnostic struct {
	File     *syntax.File
	Span     syntax.Span // the exact bytes the finding is about
	Severity Severity
	Rule     string
	Message  string
	Fixes    []SuggestedFix
	Related  []Related
	Tags     []Tag
}

// Related points at another place involved in a finding.
type Related struct {
	File    *syntax.File
	Span    syntax.Span
	Message string
}

// SuggestedFix is one way to resolve a finding.
type SuggestedFix struct {
	Title string
	Edits []TextEdit
	// Unsafe marks a fix that changes behaviour beyond what its finding
	// names: it adds headers, redirects, cookie attributes, certificates
	// or upstream verification, changes what a listen means, or guesses a
	// name or a path. Safe fixes remove weak protocols, suites, groups or
	// early data, or rewrite syntax the target version no longer takes.
	// nginxls check --fix applies the unsafe ones only with
	// --unsafe-fixes; the editor offers them, never as preferred.
	Unsafe bool
}

// TextEdit replaces the bytes of Span in File with NewText.
type TextEdit struct {
	File    *syntax.File
	Span    syntax.Span
	NewText string
}

// Pass is what a rule's Run receives.
type Pass struct {
	Analyzer *Analyzer
	Config   *config.Config
	Settings Settings
	report   func(Diagnostic)
	shared   *shared      // one per analysis; nil computes every value anew
	scope    *serverScope // one per server checked, for RunServer
}

// Shared returns the value compute makes for key, made once per analysis
// and shared by the rules that ask for it with an equal key and the same
// type T: the HTTPS servers, say, which a dozen rules go through. key is a
// value of an unexported type of the asking package, as a context key is.
// The value is read by rules running side by side: none may change it.
// Outside an analysis (a Pass a test made) compute runs on every call.
//
// A RunServer check may use a shared value only for what depends on its
// own server alone, or on what lies outside every server (see the package
// documentation).
func Shared[K comparable, T any](p *Pass, key K, compute func() T) T {
	if p.shared == nil {
		return compute()
	}
	v, _ := p.shared.get(sharedKey[K, T]{key}, func() any { return compute() }).(T)
	return v
}

// sharedKey keeps apart the values of equal keys asked for as different
// types.
type sharedKey[K comparable, T any] struct{ key K }

type shared struct {
	mu     sync.Mutex
	values map[any]*sharedValue
}

type sharedValue struct {
	once     sync.Once
	v        any
	panicked any // what compute panicked with, raised again for every rule that asks
}

func (s *shared) get(key any, compute func() any) any {
	s.mu.Lock()
	e := s.values[key]
	if e == nil {
		e = &sharedValue{}
		s.values[key] = e
	}
	s.mu.Unlock()
	e.once.Do(func() {
		defer func() { e.panicked = recover() }()
		e.v = compute()
	})
	if e.panicked != nil {
		panic(e.panicked)
	}
	return e.v
}

// Report records a finding. Rule and a zero Severity default to the analyzer's.
func (p *Pass) Report(d Diagnostic) {
	if d.Rule == "" {
		d.Rule = p.Analyzer.ID
	}
	if d.Severity == 0 {
		d.Severity = p.Analyzer.Severity
	}
	d.Message = boundMessage(d.Message)
	if len(d.Related) > 0 {
		rel := make([]Related, len(d.Related))
		for i, r := range d.Related {
			r.Message = boundMessage(r.Message)
			rel[i] = r
		}
		d.Related = rel
	}
	p.report(d)
}

// MaxMessage is the longest a finding's message may be, in characters.
// Rules write far shorter ones; the bound holds whatever the user's text
// a message quotes.
const MaxMessage = 160

// boundMessage keeps a message to one line of at most MaxMessage
// characters: control characters (a NUL or a line break from the user's
// text) are escaped, the rest cut with "…".
func boundMessage(m string) string {
	if len(m) <= MaxMessage && printableASCII(m) { // the common case, without decoding
		return m
	}
	clean := true
	n := 0
	for _, r := range m {
		n++
		if !unicode.IsPrint(r) && r != ' ' {
			clean = false
		}
	}
	if clean && n <= MaxMessage {
		return m
	}
	var b strings.Builder
	n = 0
	for _, r := range m {
		s := string(r)
		if !unicode.IsPrint(r) && r != ' ' {
			q := strconv.QuoteRune(r)
			s = q[1 : len(q)-1]
		}
		if n+utf8.RuneCountInString(s) > MaxMessage-1 {
			b.WriteString("…")
			break
		}
		b.WriteString(s)
		n += utf8.RuneCountInString(s)
	}
	return b.String()
}

func printableASCII(m string) bool {
	for i := 0; i < len(m); i++ {
		if m[i] < ' ' || m[i] > '~' {
			return false
		}
	}
	return true
}

// Reportf reports a finding with the default severity and no fix.
func (p *Pass) Reportf(f *syntax.File, s syntax.Span, format string, args ...any) {
	p.Report(Diagnostic{File: f, Span: s, Message: fmt.Sprintf(format, args...)})
}
