package tlsdata

import (
	"fmt"
	"strconv"
	"strings"
)

// HSTS is a parsed Strict-Transport-Security header value (RFC 6797 §6.1).
type HSTS struct {
	MaxAge            int64 // seconds; valid when HasMaxAge
	HasMaxAge         bool
	IncludeSubDomains bool
	Preload           bool // not in RFC 6797: the hstspreload.org convention
	// Problems make user agents ignore the whole header (RFC 6797 §6.1:
	// a missing max-age, a directive given twice, a malformed value).
	Problems []string
}

// HSTS ages the rules compare against.
const (
	HSTSMinAgeGrade   = 15552000 // 180 days: SSL Labs (A+) and testssl's minimum
	HSTSMinAgePreload = 31536000 // one year: hstspreload.org's minimum
)

// ParseHSTS reads a header value:
//
//	directive *( ";" directive ), directive = name [ "=" ( token / quoted-string ) ]
//
// Names are case-insensitive; unknown directives are ignored, as user
// agents do.
func ParseHSTS(v string) HSTS {
	var h HSTS
	seen := map[string]bool{}
	for _, part := range splitHSTS(v) {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		name, value, hasValue := strings.Cut(part, "=")
		name = strings.ToLower(strings.TrimSpace(name))
		value = strings.TrimSpace(value)
		if seen[name] {
			h.Problems = append(h.Problems, fmt.Sprintf("the %s directive appears twice", name))
			continue
		}
		seen[name] = true
		switch name {
		case "max-age":
			if len(value) >= 2 && value[0] == '"' && value[len(value)-1] == '"' {
				value = value[1 : len(value)-1]
			}
			n, err := strconv.ParseInt(value, 10, 64)
			if !hasValue || err != nil || n < 0 || strings.ContainsAny(value, "+-") {
				h.Problems = append(h.Problems, fmt.Sprintf("max-age=%s is not a number of seconds", value))
				continue
			}
			h.MaxAge, h.HasMaxAge = n, true
		case "includesubdomains":
			h.IncludeSubDomains = true
			if hasValue {
				h.Problems = append(h.Problems, "includeSubDomains takes no value")
			}
		case "preload":
			h.Preload = true
		}
	}
	if !h.HasMaxAge && !seen["max-age"] {
		h.Problems = append(h.Problems, "the required max-age directive is missing")
	}
	return h
}

// splitHSTS splits on ';' outside quoted strings.
func splitHSTS(v string) []string {
	var out []string
	start, quoted := 0, false
	for i := 0; i < len(v); i++ {
		switch v[i] {
		case '\\':
			if quoted {
				i++
			}
		case '"':
			quoted = !quoted
		case ';':
			if !quoted {
				out = append(out, v[start:i])
				start = i + 1
			}
		}
	}
	return append(out, v[start:])
}

// Value writes the header back with another max-age, keeping the flags.
func (h HSTS) Value(maxAge int64) string {
	s := "max-age=" + strconv.FormatInt(maxAge, 10)
	if h.IncludeSubDomains {
		s += "; includeSubDomains"
	}
	if h.Preload {
		s += "; preload"
	}
	return s
}

// HumanDuration says how long a number of seconds is, for messages.
func HumanDuration(sec int64) string {
	const day = 86400
	switch {
	case sec == 0:
		return "0 seconds"
	case sec%(365*day) == 0:
		return plural(sec/(365*day), "year")
	case sec >= day:
		return plural(sec/day, "day")
	case sec >= 3600:
		return plural(sec/3600, "hour")
	}
	return plural(sec, "second")
}

func plural(n int64, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return fmt.Sprintf("%d %ss", n, unit)
}
