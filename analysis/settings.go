package analysis

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/nginxls/nginxls/analysis/config"
	"github.com/nginxls/nginxls/analysis/negotiate"
	"github.com/nginxls/nginxls/analysis/openssl"
	"github.com/nginxls/nginxls/analysis/syntax"
	"github.com/nginxls/nginxls/analysis/tlsdata"
)

// The settings are read at three edges: the flags of nginxls check, the
// keys of .nginxls.toml and the editor's settings. Each edge finds the
// text of a value its own way and hands it to the parser here, so that all
// three take the same values and reject the others with the same words;
// the edge only says where the value was (a flag, a line, a setting).

// SettingValues are the settings one source sets: flags, a project file or
// an editor. A nil or empty field is unset.
type SettingValues struct {
	Nginx          *config.Version
	OpenSSL        string
	Platform       string // a name of negotiate.Platforms, as the table spells it
	Profile        string
	CertExpiryDays *int
	Rules          map[string]Severity // rule id -> Off or a severity
	// MaxFileSize caps each configuration file read from disk (0: unset).
	// It decides what is read, not how rules judge it: Settings has no
	// such field.
	MaxFileSize int64
}

// A Setting is one setting every edge takes.
type Setting struct {
	Name string // as flags and the project file spell it: "nginx-version"
	JSON string // as editors' settings spell it: "nginxVersion"
	// Number: an integer in the project file and editors' settings (its
	// text is the decimal number); a string otherwise.
	Number bool
	Usage  string // for flag help: what it decides; the `word` names the value
	set    func(v *SettingValues, text string) error
}

// Set parses text, the value as written, into v.
func (s *Setting) Set(v *SettingValues, text string) error { return s.set(v, text) }

// SettingList are the settings, in the order help lists them. A setting
// added here is a flag, a project file key and an editor setting at once.
var SettingList = []*Setting{
	{
		Name: "nginx-version", JSON: "nginxVersion",
		Usage: "target nginx `version` X.Y.Z: decides defaults and deprecations (default: the project file's, else $NGINXLS_NGINX_VERSION, else what nginx -v says, else the stable branch)",
		set: func(v *SettingValues, text string) error {
			ver, err := config.ParseVersion(text)
			if err != nil {
				return settingErrorf("nginx version %s is not major.minor.patch", syntax.Quote(text))
			}
			v.Nginx = &ver
			return nil
		},
	},
	{
		Name: "openssl", JSON: "openssl",
		Usage: "target OpenSSL `profile`: " + OrList(openssl.Profiles) + " (default " + openssl.Profiles[0] + ")",
		set: func(v *SettingValues, text string) error {
			if !slices.Contains(openssl.Profiles, text) {
				return settingErrorf("OpenSSL target %s is not %s", syntax.Quote(text), OrList(openssl.Profiles))
			}
			v.OpenSSL = text
			return nil
		},
	},
	{
		Name: "platform", JSON: "platform",
		Usage: "the `platform` nginx runs on: " + OrList(negotiate.PlatformNames()) +
			"; sets the nginx version, the OpenSSL profile and the security level its packages have, where --nginx-version and --openssl do not" +
			" (default: detected from /etc/os-release, nginx -V and the system openssl.cnf, else none: OpenSSL as its authors build it)",
		set: func(v *SettingValues, text string) error {
			p, ok := negotiate.LookupPlatform(text)
			if !ok {
				return settingErrorf("platform %s is not %s", syntax.Quote(text), OrList(negotiate.PlatformNames()))
			}
			v.Platform = p.Name
			return nil
		},
	},
	{
		Name: "profile", JSON: "profile",
		Usage: "Mozilla TLS `profile` the configuration should follow: " + OrList(tlsdata.ProfileNames) +
			" (guidelines 6.0; old: 5.7) (default " + tlsdata.ProfileNames[0] + ")",
		set: func(v *SettingValues, text string) error {
			if !slices.Contains(tlsdata.ProfileNames, text) {
				return settingErrorf("Mozilla profile %s is not %s", syntax.Quote(text), OrList(tlsdata.ProfileNames))
			}
			v.Profile = text
			return nil
		},
	},
	{
		Name: "max-file-size", JSON: "maxFileSize",
		Usage: "read no configuration file larger than `SIZE` (bytes, or with a K, M or G suffix; default " +
			config.FormatSize(config.MaxFileSize) + "); certificates and keys are capped at " +
			config.FormatSize(config.MaxRefSize) + ", or this when lower",
		set: func(v *SettingValues, text string) error {
			n, err := config.ParseSize(text)
			if err != nil {
				return settingErrorf("file size cap %s is not a size from 1 to 1G (bytes, or with a K, M or G suffix)", syntax.Quote(text))
			}
			v.MaxFileSize = n
			return nil
		},
	},
	{
		Name: "cert-expiry-days", JSON: "certExpiryDays", Number: true,
		Usage: "report certificates that expire within this many `days` (default: a third of their lifetime, at most 30)",
		set: func(v *SettingValues, text string) error {
			n, err := strconv.Atoi(text)
			if err != nil || n < 0 {
				return settingErrorf("certificate expiry days %s is not a whole number, 0 or more", syntax.Quote(text))
			}
			v.CertExpiryDays = &n
			return nil
		},
	},
}

// LookupSetting finds a setting by its Name, or returns nil.
func LookupSetting(name string) *Setting {
	for _, s := range SettingList {
		if s.Name == name {
			return s
		}
	}
	return nil
}

// SetRule parses a rule's setting, off or a severity, into v. A rule id
// none of registry's rules has is an error with Key set; a nil registry
// takes any id.
func (v *SettingValues) SetRule(id, text string, registry []*Analyzer) error {
	if registry != nil && !slices.ContainsFunc(registry, func(a *Analyzer) bool { return a.ID == id }) {
		return &SettingError{Msg: "unknown rule " + syntax.Quote(id) + " (nginxls rules lists them)", Key: true}
	}
	sev := Off
	if !strings.EqualFold(text, "off") {
		var err error
		if sev, err = ParseSeverity(text); err != nil {
			return settingErrorf("rule %s: %s is not off, error, warning, info or hint", id, syntax.Quote(text))
		}
	}
	if v.Rules == nil {
		v.Rules = map[string]Severity{}
	}
	v.Rules[id] = sev
	return nil
}

// With returns s with what v sets; rules merge by id.
func (s Settings) With(v SettingValues) Settings {
	if v.Nginx != nil {
		s.Nginx = *v.Nginx
	}
	if v.OpenSSL != "" {
		s.OpenSSL = v.OpenSSL
	}
	if v.Platform != "" {
		s.Platform = v.Platform
	}
	if v.Profile != "" {
		s.Profile = v.Profile
	}
	if v.CertExpiryDays != nil {
		s.CertExpiryDays = *v.CertExpiryDays
	}
	if len(v.Rules) > 0 {
		rules := maps.Clone(s.Rules)
		if rules == nil {
			rules = map[string]Severity{}
		}
		maps.Copy(rules, v.Rules)
		s.Rules = rules
	}
	return s
}

// PlatformDefaults is v with the nginx version and OpenSSL profile of its
// platform where v sets none: an explicit version wins over a platform's.
func (v SettingValues) PlatformDefaults() SettingValues {
	p, ok := negotiate.LookupPlatform(v.Platform)
	if !ok {
		return v
	}
	if v.Nginx == nil {
		ver := config.MustVersion(p.Nginx)
		v.Nginx = &ver
	}
	if v.OpenSSL == "" {
		v.OpenSSL = p.OpenSSL
	}
	return v
}

// A SettingError is a value a setting does not take. Msg names the
// setting in words, not in any edge's spelling, so that every edge can
// show it as it is.
type SettingError struct {
	Msg string
	Key bool // the name is at fault (an unknown rule), not the value
}

func (e *SettingError) Error() string { return e.Msg }

func settingErrorf(format string, args ...any) error {
	return &SettingError{Msg: fmt.Sprintf(format, args...)}
}

// OrList writes a list for people: "a, b or c".
func OrList(items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " or " + items[len(items)-1]
}
