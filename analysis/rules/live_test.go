package rules_test

import (
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/nginxls/nginxls/analysis"
	"github.com/nginxls/nginxls/analysis/config"
	"github.com/nginxls/nginxls/analysis/directives"
	"github.com/nginxls/nginxls/analysis/rules"
	"github.com/nginxls/nginxls/analysis/syntax"
	"github.com/nginxls/nginxls/internal/testenv"
)

// Bounds of TestLiveDirectiveRules: a few thousand runs of nginx -t of a
// few milliseconds each.
const (
	liveFiles     = 80 // corpus files nginx accepts here as they are
	liveMutations = 15 // mutants per file: 6 moves, 3 of each other kind
)

// TestLiveDirectiveRules mutates corpus files that nginx accepts (a
// directive moved into another block, an argument dropped, an argument
// added) and holds nginx-directive-context and nginx-directive-args to the
// real nginx -t: silent when nginx accepts the mutant, a finding on the
// directive nginx names when it says "not allowed here" or "invalid number
// of arguments". nginx stops at its first error, so a mutant it rejects for
// another reason proves nothing and is only counted.
func TestLiveDirectiveRules(t *testing.T) {
	nginx := testenv.LookPath(t, "nginx")
	dir := testenv.Corpus(t)
	data, err := os.ReadFile(filepath.Join(dir, "manifest.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	type job struct {
		path, context, what string
		meant               string // the name a typo mutant misspells
		src                 []byte
		ok                  bool
		msg                 string
		line                int
	}
	var originals []*job
	for i, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		c := strings.Split(line, "\t")
		if _, ok := testenv.NginxWrappers[safeIndex(c, 1)]; i == 0 || !ok || safeIndex(c, 2) != "ok" || strings.HasPrefix(c[0], "broken/") {
			continue
		}
		src, err := os.ReadFile(filepath.Join(dir, c[0]))
		if err != nil {
			t.Fatal(err)
		}
		if testenv.TouchesOutsidePrefix(syntax.Parse(c[0], src)) {
			continue
		}
		originals = append(originals, &job{path: c[0], context: c[1], src: src})
	}
	rng := rand.New(rand.NewPCG(7, 11))
	rng.Shuffle(len(originals), func(i, j int) { originals[i], originals[j] = originals[j], originals[i] })
	originals = originals[:min(len(originals), 3*liveFiles)]

	work := t.TempDir()
	runJobs := func(jobs []*job) {
		var wg sync.WaitGroup
		next := make(chan int)
		for range runtime.GOMAXPROCS(0) {
			wg.Go(func() {
				for i := range next {
					j := jobs[i]
					var err error
					j.ok, j.msg, j.line, err = testenv.NginxTest(nginx, filepath.Join(work, strconv.Itoa(i)), j.context, j.src)
					if err != nil {
						t.Errorf("%s (%s): %v", j.path, j.what, err)
					}
				}
			})
		}
		for i := range jobs {
			next <- i
		}
		close(next)
		wg.Wait()
	}
	// The corpus verdicts needed stubs (certificates, includes) that this
	// test does not make: keep the files nginx accepts here as they are.
	runJobs(originals)
	var jobs []*job
	files := 0
	for _, o := range originals {
		if !o.ok || files == liveFiles {
			continue
		}
		files++
		f := syntax.Parse(o.path, o.src)
		for k := range liveMutations {
			if src, what, meant, ok := mutateDirective(rng, f, []int{0, 0, 1, 2, 3}[k%5]); ok {
				jobs = append(jobs, &job{path: o.path, context: o.context, what: what, src: src, meant: meant})
			}
		}
	}
	if files < liveFiles/2 {
		t.Fatalf("only %d corpus files pass nginx -t here", files)
	}
	runJobs(jobs)

	var silent, misplaced, wrongArgs, typos, typosNamed, other int
	for _, j := range jobs {
		// The context nginx read the file in, declared at the end, where it
		// moves no line.
		src := append(slices.Clip(j.src), "\n# nginxls: context "+j.context+"\n"...)
		f := syntax.Parse(j.path, src)
		diags, errs := analysis.Run(config.Load(f), []*analysis.Analyzer{rules.DirectiveContext, rules.DirectiveArgs, rules.DirectiveTypo}, analysis.DefaultSettings())
		for _, err := range errs {
			t.Errorf("%s (%s): %v", j.path, j.what, err)
		}
		where := fmt.Sprintf("%s (%s)", j.path, j.what)
		var want string
		switch {
		case j.ok:
			for _, d := range diags {
				l, _ := f.Position(d.Span.Start)
				t.Errorf("%s: nginx accepts the mutant; we report on line %d: %s", where, l, d.Message)
			}
			silent++
			continue
		case strings.HasSuffix(j.msg, "directive is not allowed here"):
			want, misplaced = rules.DirectiveContext.ID, misplaced+1
		case strings.HasPrefix(j.msg, "invalid number of arguments in "):
			want, wrongArgs = rules.DirectiveArgs.ID, wrongArgs+1
		case strings.HasPrefix(j.msg, "unknown directive ") && j.meant != "":
			// A typo is named when one directive is closest: never
			// another one, never elsewhere.
			typos++
			for _, d := range diags {
				l, _ := f.Position(d.Span.Start)
				if !coversLine(f, []analysis.Diagnostic{d}, rules.DirectiveTypo.ID, j.line) || !strings.Contains(d.Message, fmt.Sprintf("did you mean %q", j.meant)) {
					t.Errorf("%s: nginx says %q on line %d; we report on line %d: %s", where, j.msg, j.line, l, d.Message)
				} else {
					typosNamed++
				}
			}
			continue
		default:
			other++
			continue
		}
		if !coversLine(f, diags, want, j.line) {
			t.Errorf("%s: nginx says %q on line %d; we report no %s finding there (%d findings)", where, j.msg, j.line, want, len(diags))
		}
	}
	t.Logf("%d files, %d mutants: %d accepted by nginx, %d misplaced and %d with a wrong number of arguments found by both, %d typos of which %d named, %d rejected for other reasons",
		files, len(jobs), silent, misplaced, wrongArgs, typos, typosNamed, other)
	if misplaced < 15 || wrongArgs < 50 || silent < 100 || typosNamed < typos*2/3 {
		t.Errorf("too few mutants could be compared")
	}
}

func safeIndex(c []string, i int) string {
	if i < len(c) {
		return c[i]
	}
	return ""
}

// coversLine reports a finding of the rule on a directive that spans line
// (nginx names the line where it stopped reading the directive).
func coversLine(f *syntax.File, diags []analysis.Diagnostic, rule string, line int) bool {
	ends := map[int]int{} // name offset -> end of the directive
	syntax.Walk(f.Directives, func(d *syntax.Directive) bool {
		ends[d.Name.Start] = d.End()
		return true
	})
	for _, d := range diags {
		if d.Rule != rule {
			continue
		}
		l1, _ := f.Position(d.Span.Start)
		l2, _ := f.Position(max(d.Span.End, ends[d.Span.Start]))
		if l1 <= line && line <= l2 {
			return true
		}
	}
	return false
}

// mutateDirective makes one mutant of kind 0 (a directive moved into
// another block or to the top level), 1 (the last argument of a directive
// dropped), 2 (an argument added to a directive) or 3 (a typo in a
// directive's name: two neighbouring letters swapped, or one doubled or
// dropped; meant is the name).
func mutateDirective(rng *rand.Rand, f *syntax.File, kind int) (src []byte, what, meant string, ok bool) {
	var leaves, blocks []*syntax.Directive
	syntax.Walk(f.Directives, func(d *syntax.Directive) bool {
		if d.InEntryBlock() || d.Name.Value == "include" {
			return false
		}
		if d.Block == nil {
			leaves = append(leaves, d)
		} else if d.Block.Lua == nil && !slices.Contains([]string{"map", "types", "geo", "split_clients", "charset_map", "match"}, d.Name.Value) {
			blocks = append(blocks, d)
		}
		return d.Block == nil || d.Block.Lua == nil
	})
	if len(leaves) == 0 {
		return nil, "", "", false
	}
	d := leaves[rng.IntN(len(leaves))]
	src = f.Src
	switch kind {
	case 0:
		at := 0 // the top level, else just inside a block
		if len(blocks) > 0 && rng.IntN(4) > 0 {
			at = blocks[rng.IntN(len(blocks))].Block.Open + 1
		}
		if at > d.Start() && at < d.End() {
			return nil, "", "", false
		}
		text := "\n" + string(src[d.Start():d.End()]) + "\n"
		without := slices.Concat(src[:d.Start()], src[d.End():])
		if at > d.Start() {
			at -= d.End() - d.Start()
		}
		return slices.Concat(without[:at], []byte(text), without[at:]), fmt.Sprintf("move %q to %d", d.Name.Value, at), "", true
	case 1:
		if len(d.Args) == 0 {
			return nil, "", "", false
		}
		w := d.Args[len(d.Args)-1]
		return slices.Concat(src[:w.Start], src[w.End:]), fmt.Sprintf("drop the last argument of %q", d.Name.Value), "", true
	case 2:
		end := d.Name.End
		if len(d.Args) > 0 {
			end = d.Args[len(d.Args)-1].End
		}
		return slices.Concat(src[:end], []byte(" on"), src[end:]), fmt.Sprintf("add an argument to %q", d.Name.Value), "", true
	default:
		name := d.Name.Value
		if d.Name.Quote != 0 || len(name) < 4 || strings.ContainsAny(name, "\\$") {
			return nil, "", "", false
		}
		i := 1 + rng.IntN(len(name)-2)
		var typo string
		switch rng.IntN(3) {
		case 0:
			typo = name[:i] + name[i+1:i+2] + name[i:i+1] + name[i+2:]
		case 1:
			typo = name[:i] + name[i:i+1] + name[i:]
		default:
			typo = name[:i] + name[i+1:]
		}
		if typo == name {
			return nil, "", "", false
		}
		return slices.Concat(src[:d.Name.Start], []byte(typo), src[d.Name.End:]), fmt.Sprintf("misspell %q as %q", name, typo), name, true
	}
}

// TestLiveDirectiveVersions holds the versions of the directive table to
// the installed nginx: every directive nginx-directive-version calls too new
// for it, nginx -t refuses (unknown, or not allowed there). The other way
// round proves less (a module Debian does not build is unknown too), so it
// is only counted.
func TestLiveDirectiveVersions(t *testing.T) {
	nginx := testenv.LookPath(t, "nginx")
	out, _ := exec.Command(nginx, "-v").CombinedOutput()
	m := regexp.MustCompile(`nginx/(\d+\.\d+\.\d+)`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("cannot read the version of %s: %s", nginx, out)
	}
	installed := config.MustVersion(string(m[1]))
	s := analysis.DefaultSettings()
	s.Nginx = installed
	work := t.TempDir()
	newer, unbuilt := 0, 0
	for i, v := range directives.All() {
		if v.Plus || v.ThirdParty || v.Block || strings.Contains(v.Module, "_js_") || !strings.HasPrefix(v.Module, "ngx_http_") {
			continue
		}
		var where string // the http context it is allowed in, as a wrapper
		switch {
		case v.AllowedIn(directives.Location):
			where = "events {}\nhttp {\nserver {\nlocation / {\n%s\n}\n}\n}\n"
		case v.AllowedIn(directives.Server):
			where = "events {}\nhttp {\nserver {\n%s\n}\n}\n"
		case v.AllowedIn(directives.HTTP):
			where = "events {}\nhttp {\n%s\n}\n"
		default:
			continue
		}
		words := []string{v.Name}
		for range max(v.Args.Min(), 1) {
			words = append(words, "on")
		}
		src := fmt.Sprintf(where, strings.Join(words, " ")+";")
		ok, msg, _, err := testenv.NginxTest(nginx, filepath.Join(work, strconv.Itoa(i)), "main", []byte(src))
		if err != nil {
			msg = err.Error() // an [alert] or [crit] rather than an [emerg]: another reason
		}
		refused := !ok && (strings.HasPrefix(msg, "unknown directive ") || strings.HasSuffix(msg, "directive is not allowed here"))
		f := syntax.Parse("nginx.conf", []byte(src))
		diags, _ := analysis.Run(config.Load(f), []*analysis.Analyzer{rules.DirectiveVersion}, s)
		flagged := len(diags) > 0
		switch {
		case flagged && !refused:
			t.Errorf("%s (%s, since %s): we call it too new for nginx %s, which accepts it (%q)", v.Name, v.Module, v.Since, installed, msg)
		case flagged:
			newer++
		case refused:
			unbuilt++ // not in this build (a dynamic module not loaded): nothing to compare
		}
	}
	t.Logf("nginx %s: %d directives too new for it, refused by it; %d older ones it does not have built in", installed, newer, unbuilt)
	if installed.AtLeast(config.DefaultVersion) {
		return // nothing is too new for it
	}
	if newer < 10 {
		t.Errorf("only %d directives compared", newer)
	}
}
