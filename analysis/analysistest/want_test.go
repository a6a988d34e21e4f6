package analysistest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/nginxls/nginxls/analysis"
	"github.com/nginxls/nginxls/analysis/syntax"
)

func TestWants(t *testing.T) {
	src := `ssl_protocols TLSv1 TLSv1.2;  # want tls-protocol-legacy-tls "TLSv1" tls-protocol-no-tls13
add_header X "a \"b\"";  # want hsts-max-age@info "\"a \\\"b\\\"\"" ~"^max-age \d+$" related ~"included \"here\""
# want syntax ~"a.c"
`
	f := syntax.Parse("w.conf", []byte(src))
	ws, err := wants(f)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, w := range ws {
		re := ""
		if w.re != nil {
			re = w.re.String()
		}
		got = append(got, fmt.Sprintf("%d %s %v %q %q %v", w.line, w.rule, w.sev, w.text, re, w.related))
	}
	want := []string{
		`1 tls-protocol-legacy-tls severity(0) "TLSv1" "" false`,
		`1 tls-protocol-no-tls13 severity(0) "" "" false`,
		`2 hsts-max-age info "\"a \\\"b\\\"\"" "^max-age \\d+$" false`,
		`2 related severity(0) "" "included \"here\"" true`,
		`3 syntax severity(0) "" "a.c" false`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("wants:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if !ws[2].matches(2, `"a \"b\""`, "max-age 300") || ws[2].matches(2, `"a \"b\""`, "max-age 300 days") {
		t.Error("the regexp of line 2 does not match as written")
	}
	if ws[0].sev != 0 || ws[2].sev != analysis.Info {
		t.Error("severities")
	}

	for _, bad := range []string{
		`# want "text first"`,
		`# want rule ~"re" "text after the regexp"`,
		`# want rule ~"re" ~"twice"`,
		`# want rule ~"(unclosed"`,
		`# want rule "unterminated`,
		`# want rule@fatal`,
		`# want related@info`,
	} {
		if _, err := wants(syntax.Parse("bad.conf", []byte(bad+"\n"))); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}
