package rules

import (
	"fmt"
	"strings"

	"github.com/nginxls/nginxls/analysis"
	"github.com/nginxls/nginxls/analysis/openssl"
)

var CipherStringInvalid = &analysis.Analyzer{
	ID:        "tls-cipher-string-invalid",
	Title:     "OpenSSL rejects the cipher list",
	Severity:  analysis.Error,
	Run:       cipherStringsInvalid.Run,
	RunServer: cipherStringsInvalid.RunServer,
}

var cipherStringsInvalid = analysis.Split(cipherValues, checkCipherStrings)

func checkCipherStrings(p *analysis.Pass, v cipherValue) {
	profile := targetProfile(p)
	r := openssl.Evaluate(v.value, profile)
	if r.Err != nil {
		span := v.whole()
		if r.Err.Reason == "invalid command" {
			span = v.span(r.Err.Start, r.Err.End)
		}
		p.Report(analysis.Diagnostic{File: v.file, Span: span,
			Message: invalidMessage(v, r, profile),
			Fixes:   []analysis.SuggestedFix{mozillaFix(v)}})
	}
	lenient := openssl.EvaluateLenient(v.value, profile)
	for _, it := range lenient.Items {
		for i, w := range it.Words {
			if w.Kind != openssl.WordUnknown {
				continue
			}
			text, start, end := unknownToken(v.value, &it, i)
			msg, fix := unknownWord(text, profile)
			if msg == "" {
				continue
			}
			d := analysis.Diagnostic{File: v.file, Span: v.span(start, end), Severity: analysis.Hint, Message: msg}
			if fix != "" {
				d.Fixes = []analysis.SuggestedFix{{Title: fmt.Sprintf("Replace %s with %s", text, fix),
					Edits: []analysis.TextEdit{replace(v.file, v.span(start, end), fix)}}}
			}
			p.Report(d)
		}
	}
}

func invalidMessage(v cipherValue, r *openssl.Result, profile string) string {
	who := profileName(profile)
	tail := ": nginx refuses to start"
	if r.Err.Reason == "invalid command" {
		bad := v.value[r.Err.Start:r.Err.End]
		switch {
		case strings.HasPrefix(bad, "@SECLEVEL") && profile == openssl.LegacyProfile:
			return fmt.Sprintf("%s has no @SECLEVEL (OpenSSL 1.1.0 added it) and rejects the whole cipher list%s", who, tail)
		case strings.HasPrefix(bad, "@"):
			return fmt.Sprintf("%s rejects the whole cipher list at %q, not a command it has%s", who, bad, tail)
		}
		return fmt.Sprintf("%s rejects the whole cipher list at %q (invalid command)%s", who, bad, tail)
	}
	var unknown, tls13, lower, removing int
	for _, it := range r.Items {
		switch it.Op {
		case openssl.OpKill, openssl.OpRemove, openssl.OpOrder:
			removing++
		}
		for i, w := range it.Words {
			if w.Kind != openssl.WordUnknown {
				continue
			}
			unknown++
			text, _, _ := unknownToken(v.value, &it, i)
			if s := openssl.LookupSuite(text); s != nil && s.Min == openssl.TLS13 {
				tls13++
			} else if openssl.Suggest(text, profile) != "" && strings.ToLower(text) == text {
				lower++
			}
		}
	}
	why := "no suite is left"
	switch {
	case tls13 > 0:
		why = "TLS 1.3 names do not count here"
	case lower > 0:
		why = "the lower-case names are unknown"
	case unknown > 0 && removing == 0:
		why = "it knows none of the names"
	case removing > 0:
		why = "later items remove every suite the others add"
	}
	return fmt.Sprintf("%s rejects this cipher list, which enables no suite (%s)%s", who, why, tail)
}

// unknownToken is an unknown word with what OpenSSL skipped after it: a
// name with '_' (an IANA or TLS 1.3 name) is read up to the '_' and the rest
// of the item is skipped, but the user wrote one name.
func unknownToken(value string, it *openssl.Item, i int) (text string, start, end int) {
	w := it.Words[i]
	start, end = w.Start, w.End
	if i == len(it.Words)-1 && it.End > end {
		end = it.End
		if j := strings.IndexByte(value[w.End:it.End], '+'); j >= 0 {
			end = w.End + j
		}
	}
	return value[start:end], start, end
}

// unknownWord explains a word the target ignores, with the name probably
// meant. Words of legacy builds are the cipher rules' business and get no
// hint here.
func unknownWord(word, profile string) (msg, fix string) {
	if s := openssl.LookupSuite(word); s != nil {
		switch {
		case s.Min == openssl.TLS13:
			return fmt.Sprintf("%s is a TLS 1.3 suite, which OpenSSL ignores in a cipher string", word), ""
		case word == s.IANA && word != s.Name:
			return fmt.Sprintf("OpenSSL ignores the IANA name %s in a cipher string: its name is %s", word, s.Name), s.Name
		}
		return "", "" // a suite of another build
	}
	for _, prof := range openssl.Profiles {
		if a, _ := openssl.LookupAlias(word, prof); a != nil {
			return "", ""
		}
	}
	if historicWord(word) {
		return "", ""
	}
	msg = fmt.Sprintf("%s does not know %q and ignores it", profileName(profile), word)
	if fix = openssl.Suggest(word, profile); fix != "" {
		msg += fmt.Sprintf(" (did you mean %s?)", fix)
	}
	return msg, fix
}

// historicWord recognises names of builds older than the modelled ones
// (SSLv2, Kerberos, 56-bit export suites), which old lists still exclude.
func historicWord(w string) bool {
	return strings.Contains(w, "KRB5") || strings.HasPrefix(w, "EXP") || strings.HasPrefix(w, "SSLv2") ||
		strings.HasSuffix(w, "-MD5") || strings.HasPrefix(w, "kFZA") || strings.HasPrefix(w, "aFZA") || w == "FZA" || w == "eFZA"
}
