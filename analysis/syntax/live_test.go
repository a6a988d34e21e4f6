package syntax_test

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/nginxls/nginxls/analysis/syntax"
	"github.com/nginxls/nginxls/internal/testenv"
)

// Bounds of TestLiveNginx: nginx -t takes a few milliseconds, so this is
// well under the test's budget of ~20 s even on a slow machine.
const (
	liveFiles        = 100 // corpus files that nginx accepts as they are
	liveMutations    = 16  // mutants per file, four of each kind
	liveOriginalRuns = 300
)

// TestLiveNginx mutates corpus files that nginx accepts (delete one ';',
// one '}' or one '{', insert a stray quote) and checks the parser against
// the real nginx -t: it must report an error exactly when nginx stops on a
// syntax-kind error (nginx stops at its first error, so that is all that
// can be compared), no later than nginx's line. A mutant that nginx rejects
// for another reason (arguments, context, ...) proves nothing either way and
// is only counted.
func TestLiveNginx(t *testing.T) {
	nginx := testenv.LookPath(t, "nginx")
	dir := testenv.Corpus(t)
	rng := rand.New(rand.NewPCG(1, 22))
	work := t.TempDir()

	var cands []manifestRow
	for _, r := range readManifest(t, dir) {
		if _, ok := testenv.NginxWrappers[r.context]; ok && r.verdict == "ok" && !strings.HasPrefix(r.path, "broken/") {
			cands = append(cands, r)
		}
	}
	rng.Shuffle(len(cands), func(i, j int) { cands[i], cands[j] = cands[j], cands[i] })

	// Keep the files that nginx accepts here as they are: the corpus
	// verdicts needed stubs (certificates, includes, users) that this
	// test does not make.
	type file struct {
		row manifestRow
		src []byte
	}
	var files []file
	var jobs []*liveJob
	for _, r := range cands {
		if len(jobs) >= liveOriginalRuns {
			break
		}
		src, err := os.ReadFile(filepath.Join(dir, r.path))
		if err != nil {
			t.Fatal(err)
		}
		if testenv.TouchesOutsidePrefix(syntax.Parse(r.path, src)) {
			continue
		}
		files = append(files, file{r, src})
		jobs = append(jobs, &liveJob{context: r.context, src: src})
	}
	runAll(t, nginx, work, jobs)
	var accepted []file
	for i, j := range jobs {
		if j.ok && len(accepted) < liveFiles {
			accepted = append(accepted, files[i])
		}
	}
	if len(accepted) < liveFiles/2 {
		t.Fatalf("only %d of %d corpus files pass nginx -t here", len(accepted), len(jobs))
	}

	// Mutate them.
	jobs = jobs[:0]
	for _, f := range accepted {
		parsed := syntax.Parse(f.row.path, f.src)
		for k := 0; k < liveMutations; k++ {
			m, ok := mutate(rng, parsed, k%4)
			if !ok {
				continue
			}
			m.path, m.context = f.row.path, f.row.context
			jobs = append(jobs, m)
		}
	}
	runAll(t, nginx, work, jobs)

	var agreed, syntaxErrs, otherErrs, limits int
	for _, j := range jobs {
		f := syntax.Parse(j.path, j.src)
		checkInvariants(t, f)
		where := fmt.Sprintf("%s (%s)", j.path, j.what)
		switch {
		case j.ok:
			if len(f.Errors) > 0 {
				t.Errorf("%s: nginx accepts the mutant; we report %s", where, describeErrors(f))
				continue
			}
			agreed++
		case isSyntaxKind(j.msg):
			if len(f.Errors) == 0 {
				if name, ok := notTerminated(j.msg); ok && !syntax.IsBlockDirective(name) {
					limits++ // needs nginx's directive table, see TestKnownLimits
					continue
				}
				t.Errorf("%s: nginx says %q on line %d; we report no error", where, j.msg, j.line)
				continue
			}
			if first, _ := f.Position(f.Errors[0].Start); j.line > 0 && first > j.line {
				t.Errorf("%s: nginx says %q on line %d; our first error is later: %s", where, j.msg, j.line, describeErrors(f))
				continue
			}
			syntaxErrs++
		default:
			otherErrs++
		}
	}
	t.Logf("%d files, %d mutants: %d accepted by both, %d syntax errors found by both, %d need a directive table, %d rejected by nginx for other reasons",
		len(accepted), len(jobs), agreed, syntaxErrs, limits, otherErrs)
	if agreed+syntaxErrs < len(jobs)/2 {
		t.Errorf("too few mutants could be compared")
	}
}

// A liveJob is one run of nginx -t on a file placed in its context.
type liveJob struct {
	path, context, what string
	src                 []byte

	ok   bool   // nginx -t succeeded
	msg  string // else nginx's first [emerg] message, without "in FILE:LINE"
	line int    // and the line it names in the file under test, or 0
}

// mutate makes one mutant of kind 0 (delete a ';'), 1 (delete a '}'),
// 2 (delete a '{') or 3 (insert a quote at a random byte).
func mutate(rng *rand.Rand, f *syntax.File, kind int) (*liveJob, bool) {
	src := f.Src
	if kind == 3 {
		at := rng.IntN(len(src) + 1)
		q := []byte{"\"'"[rng.IntN(2)]}
		out := slices.Concat(src[:at], q, src[at:])
		return &liveJob{src: out, what: fmt.Sprintf("insert %s at %d", q, at)}, true
	}
	want := []syntax.Kind{syntax.TokSemicolon, syntax.TokRBrace, syntax.TokLBrace}[kind]
	var offs []int
	for _, tok := range f.Tokens() {
		if tok.Kind == want {
			offs = append(offs, tok.Start)
		}
	}
	if len(offs) == 0 {
		return nil, false
	}
	at := offs[rng.IntN(len(offs))]
	out := slices.Concat(src[:at], src[at+1:])
	return &liveJob{src: out, what: fmt.Sprintf("delete %s at %d", src[at:at+1], at)}, true
}

// runAll runs nginx -t on every job, in parallel.
func runAll(t *testing.T, nginx, work string, jobs []*liveJob) {
	t.Helper()
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if err := runNginx(nginx, filepath.Join(work, strconv.Itoa(i)), jobs[i]); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	for i := range jobs {
		next <- i
	}
	close(next)
	wg.Wait()
}

func runNginx(nginx, prefix string, j *liveJob) (err error) {
	j.ok, j.msg, j.line, err = testenv.NginxTest(nginx, prefix, j.context, j.src)
	if err != nil {
		err = fmt.Errorf("%s (%s): %v", j.path, j.what, err)
	}
	return err
}

// isSyntaxKind reports whether an nginx message comes from its reader
// rather than from a directive's handler.
func isSyntaxKind(msg string) bool {
	return strings.HasPrefix(msg, `unexpected "`) ||
		strings.HasPrefix(msg, "unexpected end of file") ||
		strings.HasSuffix(msg, `is not terminated by ";"`) ||
		strings.HasSuffix(msg, `has no opening "{"`)
}
