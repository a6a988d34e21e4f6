// Package oracle asks a real OpenSSL what a cipher string enables, and
// reads and writes the golden file of those answers. It serves the data
// generator and the tests of package openssl; nothing in nginxls proper
// runs OpenSSL.
package oracle

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// Answer is what `openssl ciphers -- STRING` said: the TLS <= 1.2 suites in
// order, or the reason it rejected the string.
type Answer struct {
	Suites []string
	Reason string // "" on success, else OpenSSL's reason ("no cipher match", ...)
}

func (a Answer) String() string {
	if a.Reason != "" {
		return "error: " + a.Reason
	}
	return strings.Join(a.Suites, ":")
}

// TLS13 are the suites `openssl ciphers` puts in front of every answer; they
// come from the separate TLS 1.3 list and are dropped.
var TLS13 = map[string]bool{
	"TLS_AES_256_GCM_SHA384": true, "TLS_CHACHA20_POLY1305_SHA256": true, "TLS_AES_128_GCM_SHA256": true,
	"TLS_AES_128_CCM_SHA256": true, "TLS_AES_128_CCM_8_SHA256": true,
}

var reasonRE = regexp.MustCompile(`error:[0-9A-Fa-f]+:SSL routines:[^:]*:([^:\n]+)`)

// Ask runs `openssl ciphers -- s`. Strings starting with '-' are safe
// behind "--".
func Ask(bin, s string) (Answer, error) {
	if strings.IndexByte(s, 0) >= 0 {
		return Answer{}, errors.New("a NUL byte cannot be passed to openssl")
	}
	cmd := exec.Command(bin, "ciphers", "--", s)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if err != nil {
		var exit *exec.ExitError
		if !errors.As(err, &exit) {
			return Answer{}, err
		}
		m := reasonRE.FindStringSubmatch(stderr.String())
		if m == nil {
			return Answer{}, fmt.Errorf("openssl ciphers %q failed without a reason: %s", s, stderr.String())
		}
		return Answer{Reason: m[1]}, nil
	}
	var a Answer
	for _, n := range strings.Split(strings.TrimSpace(stdout.String()), ":") {
		if n != "" && !TLS13[n] {
			a.Suites = append(a.Suites, n)
		}
	}
	return a, nil
}

// AskAll asks about many strings, a few processes at a time.
func AskAll(bin string, strs []string, workers int) ([]Answer, error) {
	out := make([]Answer, len(strs))
	errs := make([]error, len(strs))
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				out[i], errs[i] = Ask(bin, strs[i])
			}
		}()
	}
	for i := range strs {
		next <- i
	}
	close(next)
	wg.Wait()
	return out, errors.Join(errs...)
}

// Version returns `openssl version`.
func Version(bin string) (string, error) {
	out, err := exec.Command(bin, "version").Output()
	return strings.TrimSpace(string(out)), err
}

// Golden is the oracle file: a header with the OpenSSL version and a legend
// numbering the suites, then one line per string:
//
//	"QUOTED STRING"<TAB>0-12,15,20-22
//	"QUOTED STRING"<TAB>!no cipher match
//
// Suites are written as ranges of legend numbers, which keeps the file small
// because OpenSSL's answers mostly follow its preference order, the order of
// the legend.
type Golden struct {
	OpenSSL string
	Legend  []string
	Cases   []Case
}

// Case is one string and its answer.
type Case struct {
	String string
	Answer Answer
}

// Write encodes the golden file.
func (g *Golden) Write(w io.Writer) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "# Answers of `openssl ciphers -- STRING`, TLS 1.3 suites dropped.\n")
	fmt.Fprintf(bw, "# Regenerate: go run ./analysis/openssl/internal/gen -oracle\n")
	fmt.Fprintf(bw, "# openssl: %s\n", g.OpenSSL)
	index := map[string]int{}
	for i, n := range g.Legend {
		index[n] = i
		fmt.Fprintf(bw, "#= %d %s\n", i, n)
	}
	for _, c := range g.Cases {
		fmt.Fprintf(bw, "%s\t", strconv.Quote(c.String))
		if c.Answer.Reason != "" {
			fmt.Fprintf(bw, "!%s\n", c.Answer.Reason)
			continue
		}
		var nums []int
		for _, n := range c.Answer.Suites {
			i, ok := index[n]
			if !ok {
				return fmt.Errorf("suite %s is not in the legend", n)
			}
			nums = append(nums, i)
		}
		fmt.Fprintf(bw, "%s\n", encodeRanges(nums))
	}
	return bw.Flush()
}

func encodeRanges(nums []int) string {
	var b strings.Builder
	for i := 0; i < len(nums); {
		j := i
		for j+1 < len(nums) && nums[j+1] == nums[j]+1 {
			j++
		}
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.Itoa(nums[i]))
		if j > i {
			b.WriteByte('-')
			b.WriteString(strconv.Itoa(nums[j]))
		}
		i = j + 1
	}
	return b.String()
}

// ReadGolden decodes the golden file.
func ReadGolden(r io.Reader) (*Golden, error) {
	g := &Golden{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	line := 0
	for sc.Scan() {
		line++
		text := sc.Text()
		switch {
		case strings.HasPrefix(text, "# openssl: "):
			g.OpenSSL = strings.TrimPrefix(text, "# openssl: ")
			continue
		case strings.HasPrefix(text, "#= "):
			f := strings.Fields(text)
			if len(f) != 3 || f[1] != strconv.Itoa(len(g.Legend)) {
				return nil, fmt.Errorf("line %d: bad legend entry", line)
			}
			g.Legend = append(g.Legend, f[2])
			continue
		case text == "" || strings.HasPrefix(text, "#"):
			continue
		}
		q, ans, ok := strings.Cut(text, "\t")
		if !ok {
			return nil, fmt.Errorf("line %d: no tab", line)
		}
		s, err := strconv.Unquote(q)
		if err != nil {
			return nil, fmt.Errorf("line %d: %v", line, err)
		}
		c := Case{String: s}
		if reason, isErr := strings.CutPrefix(ans, "!"); isErr {
			c.Answer.Reason = reason
		} else {
			for _, part := range strings.Split(ans, ",") {
				lo, hi, isRange := strings.Cut(part, "-")
				a, err1 := strconv.Atoi(lo)
				b := a
				var err2 error
				if isRange {
					b, err2 = strconv.Atoi(hi)
				}
				if err1 != nil || err2 != nil || a > b || b >= len(g.Legend) {
					return nil, fmt.Errorf("line %d: bad suite range %q", line, part)
				}
				for i := a; i <= b; i++ {
					c.Answer.Suites = append(c.Answer.Suites, g.Legend[i])
				}
			}
		}
		g.Cases = append(g.Cases, c)
	}
	return g, sc.Err()
}

// Dedup removes repeated strings, keeping the first.
func Dedup(strs []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range strs {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// SortedKeys is a helper for deterministic output.
func SortedKeys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
