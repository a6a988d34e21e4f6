package explain

import (
	"fmt"
	"strings"

	"github.com/nginxls/nginxls/analysis"
	"github.com/nginxls/nginxls/analysis/openssl"
	"github.com/nginxls/nginxls/analysis/syntax"
)

// isCipherValue reports whether w is a cipher string: the value of
// ssl_ciphers and its upstream variants, or of `ssl_conf_command
// CipherString`.
func isCipherValue(d *syntax.Directive, w *syntax.Word) bool {
	name := d.Name.Value
	if name == "ssl_ciphers" || strings.HasSuffix(name, "_ssl_ciphers") {
		return len(d.Args) == 1 && w == d.Args[0]
	}
	return name == "ssl_conf_command" && len(d.Args) == 2 && w == d.Args[1] && strings.EqualFold(d.Args[0].Value, "CipherString")
}

// cipher explains the item of a cipher string under the cursor (a suite
// name or an alias, with what it enables on the target OpenSSL), then the
// list the whole value enables, each suite graded.
func cipher(w *syntax.Word, off int, s analysis.Settings) (string, syntax.Span) {
	res := openssl.Evaluate(w.Value, s.OpenSSL)
	// Offsets inside the word are exact when it has no escapes.
	base, exact := w.Start, true
	body := w.Raw
	if w.Quote != 0 {
		base, body = w.Start+1, w.Raw[1:]
	}
	exact = strings.HasPrefix(body, w.Value)
	var parts []string
	span := w.Span
	if exact {
		for i := range res.Items {
			it := &res.Items[i]
			if off < base+it.Start || off > base+it.End {
				continue
			}
			span = syntax.Span{Start: base + it.Start, End: base + it.End}
			for _, wd := range it.Words {
				if off >= base+wd.Start && off <= base+wd.End {
					parts = append(parts, cipherWord(wd, it, s))
				}
			}
			if len(parts) == 0 {
				parts = append(parts, itemSummary(it, s))
			}
		}
	}
	parts = append(parts, cipherList(res, s))
	return strings.Join(parts, "\n\n"), span
}

func cipherWord(wd openssl.Word, it *openssl.Item, s analysis.Settings) string {
	switch wd.Kind {
	case openssl.WordSuite:
		return suiteText(wd.Suite, s)
	case openssl.WordAlias:
		a := wd.Alias
		var b strings.Builder
		fmt.Fprintf(&b, "**%s** · OpenSSL alias", a.Name)
		if a.Doc != "" {
			b.WriteString(": " + a.Doc)
		}
		b.WriteString("\n\n" + itemSummary(it, s))
		return b.String()
	}
	if su := openssl.LookupSuite(wd.Text); su != nil {
		return suiteText(su, s) // a suite of other builds (RC4-SHA on OpenSSL 3)
	}
	msg := fmt.Sprintf("**%s** · unknown to OpenSSL %s, which ignores it", wd.Text, s.OpenSSL)
	if sug := openssl.Suggest(wd.Text, s.OpenSSL); sug != "" {
		msg += fmt.Sprintf(" (did you mean `%s`?)", sug)
	}
	return msg
}

// itemSummary says what an item did: which suites it enabled or removed,
// and the weak ones among them.
func itemSummary(it *openssl.Item, s analysis.Settings) string {
	if it.Ignored() {
		return fmt.Sprintf("`%s` changes nothing on OpenSSL %s.", it.Text, s.OpenSSL)
	}
	verb := map[openssl.Op]string{openssl.OpAdd: "enables", openssl.OpRemove: "removes", openssl.OpKill: "removes for good",
		openssl.OpOrder: "moves to the end"}[it.Op]
	if verb == "" {
		return fmt.Sprintf("`%s`", it.Text)
	}
	msg := fmt.Sprintf("`%s` %s %d suites on OpenSSL %s", it.Text, verb, len(it.Changed), s.OpenSSL)
	if it.Op == openssl.OpAdd {
		var weak []*openssl.Suite
		for _, su := range it.Changed {
			if g := openssl.Grade(su); g == "insecure" || g == "weak" {
				weak = append(weak, su)
			}
		}
		if len(weak) > 0 {
			msg += fmt.Sprintf(", %d of them weak or insecure: %s", len(weak), openssl.Summarize(weak, 5))
		}
	}
	return msg + "."
}

func suiteText(su *openssl.Suite, s analysis.Settings) string {
	var b strings.Builder
	fmt.Fprintf(&b, "**%s** · %s · %s\n\n", su.Name, su.IANA, openssl.Grade(su))
	fmt.Fprintf(&b, "| key exchange | authentication | encryption | MAC | since |\n|---|---|---|---|---|\n| %s | %s | %s | %s | %s |",
		su.Kx, su.Auth, su.EncName(), su.MAC, su.Min)
	for _, w := range openssl.Weaknesses {
		if openssl.Classify(su)&w != 0 {
			if e := openssl.Explain(w); e != nil {
				b.WriteString("\n\n" + e.Summary)
			}
		}
	}
	if !su.In(s.OpenSSL) {
		fmt.Fprintf(&b, "\n\nOpenSSL %s does not offer this suite: the name is ignored.", s.OpenSSL)
	}
	return b.String()
}

// maxListed bounds the suites listed in a hover.
const maxListed = 40

func cipherList(res *openssl.Result, s analysis.Settings) string {
	if res.Err != nil {
		return fmt.Sprintf("OpenSSL %s rejects this list (%s): nginx would refuse to start.", s.OpenSSL, res.Err.Reason)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "On OpenSSL %s this value enables %d TLS 1.2-and-older suites, in this order:\n\n", s.OpenSSL, len(res.Suites))
	for i, su := range res.Suites {
		if i == maxListed {
			fmt.Fprintf(&b, "\n... and %d more", len(res.Suites)-maxListed)
			break
		}
		fmt.Fprintf(&b, "%d. `%s` — %s\n", i+1, su.Name, openssl.Grade(su))
	}
	return strings.TrimRight(b.String(), "\n")
}
