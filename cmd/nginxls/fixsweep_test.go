package main

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nginxls/nginxls/analysis/syntax"
	"github.com/nginxls/nginxls/internal/testenv"
)

// sweepJob is one configuration put through nginx -t, `check --fix` (with
// --unsafe-fixes or not) and nginx -t again.
type sweepJob struct {
	name   string
	unsafe bool
	twin   *sweepJob // the same configuration without --unsafe-fixes
	prefix string    // nginx's -p, and the working directory of the check
	conf   string    // nginx's -c
	global string    // nginx's -g
	given  []string  // the paths check --fix is given
	// set by run
	rejected string // nginx -t before the fix: why it fails
	fixErr   string // check itself failed
	after    string // nginx -t after the fix: why it fails
	changed  bool
	diff     string
	stdout   string
}

func (j *sweepJob) fix(nginx string, env []string) {
	before := snapshot(j.prefix)
	args := []string{"check", "--fix", "--min-severity", "hint", "--quiet", "--fail-on", "never"}
	if j.unsafe {
		args = append(args, "--unsafe-fixes")
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, append(args, j.given...)...)
	cmd.Env = env
	cmd.Dir = j.prefix
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		j.fixErr = fmt.Sprintf("%v: %s", err, stderr.String())
	}
	j.stdout = stdout.String()
	after := snapshot(j.prefix)
	var diffs []string
	for p, b := range after {
		if a := before[p]; a != b {
			j.changed = true
			diffs = append(diffs, p+":\n"+lineDiff(a, b))
		}
	}
	if out, ok := sweepNginxT(nginx, j.prefix, j.conf, j.global); !ok {
		j.after = out
		slices.Sort(diffs)
		j.diff = strings.Join(diffs, "\n")
	}
}

// parallel calls fn on every job, as many at a time as there are processors.
func parallel(jobs []*sweepJob, fn func(*sweepJob)) {
	var wg sync.WaitGroup
	next := make(chan *sweepJob)
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for j := range next {
				fn(j)
			}
		})
	}
	for _, j := range jobs {
		next <- j
	}
	close(next)
	wg.Wait()
}

func (j *sweepJob) mode() string {
	if j.unsafe {
		return "--fix --unsafe-fixes"
	}
	return "--fix"
}

// runSweep runs the jobs, as many at a time as there are processors, and
// reports every result nginx rejects after the fixes. nginx -t runs once
// before the fixes for a job and its twin.
func runSweep(t *testing.T, nginx string, jobs []*sweepJob) (checked, skipped, changed int) {
	t.Helper()
	env := sweepEnv(nginx)
	parallel(jobs, func(j *sweepJob) {
		if j.twin == nil {
			if out, ok := sweepNginxT(nginx, j.prefix, j.conf, j.global); !ok {
				j.rejected = out
			}
		}
	})
	parallel(jobs, func(j *sweepJob) {
		if j.twin != nil {
			j.rejected = j.twin.rejected
		}
		if j.rejected == "" {
			j.fix(nginx, env)
		}
	})
	for _, j := range jobs {
		switch {
		case j.rejected != "":
			skipped++
			if j.twin == nil {
				t.Logf("skipped %s: nginx rejects it before any fix: %s", j.name, firstLine(j.rejected))
			}
			continue
		case j.fixErr != "":
			t.Errorf("%s: check %s failed: %s", j.name, j.mode(), j.fixErr)
		case j.after != "":
			t.Errorf("%s: nginx -t rejects the result of check %s: %s\n%s\n%s", j.name, j.mode(), firstLine(j.after), j.diff, j.stdout)
		}
		checked++
		if j.changed {
			changed++
		}
	}
	return checked, skipped, changed
}

// TestFixSweepNginx runs `check --fix`, then `check --fix --unsafe-fixes`,
// on every rule's test configuration and holds the result to the real
// `nginx -t` of the nginx installed here, with no --nginx-version: the
// target is the version that nginx reports. A configuration nginx rejects
// before any fix proves nothing and is only counted.
func TestFixSweepNginx(t *testing.T) {
	t.Parallel()
	nginx := testenv.LookPath(t, "nginx")
	confs, err := filepath.Glob(filepath.Join(repoRoot, "testdata", "rules", "*", "*.conf"))
	if err != nil || len(confs) == 0 {
		t.Fatalf("no rule test configurations: %v", err)
	}
	work := t.TempDir()
	testenv.WriteCertFixtures(t, work)
	testenv.WriteCert(t, work)
	global := debianModules(nil, "ngx_stream_module.so", "ngx_mail_module.so", "ngx_http_headers_more_filter_module.so")
	var jobs []*sweepJob
	for _, c := range confs {
		src, err := os.ReadFile(c)
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Base(filepath.Dir(c)) + "/" + filepath.Base(c)
		for _, unsafe := range []bool{false, true} {
			dir := filepath.Join(work, fmt.Sprint(len(jobs)))
			if err := os.Mkdir(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			// The certificates are shared, linked from outside the path
			// given: no fix may write them.
			for _, n := range []string{"certs", "cert.pem", "key.pem"} {
				if err := os.Symlink(filepath.Join(work, n), filepath.Join(dir, n)); err != nil {
					t.Fatal(err)
				}
			}
			conf := filepath.Join(dir, "nginx.conf")
			if err := os.WriteFile(conf, sweepWrap(src), 0o644); err != nil {
				t.Fatal(err)
			}
			j := &sweepJob{name: name, unsafe: unsafe, prefix: dir, conf: conf, global: global, given: []string{conf}}
			if unsafe {
				j.twin = jobs[len(jobs)-1]
			}
			jobs = append(jobs, j)
		}
	}
	checked, skipped, changed := runSweep(t, nginx, jobs)
	t.Logf("%d rule test configurations, with and without --unsafe-fixes: %d runs checked (%d changed by the fixes), %d skipped (nginx rejects them as they are)",
		len(confs), checked, changed, skipped)
	if checked < len(jobs)/2 {
		t.Errorf("only %d of %d runs pass nginx -t before the fixes", checked, len(jobs))
	}
}

// The corpus trees that --fix must leave startable: real configurations
// (see the corpus README).
var sweepTrees = []string{"h5bp/", "certbot/", "docker-nginx/", "nginx-admins-handbook/", "debian-nginx-common/"}

// TestFixCorpusNginx is TestFixSweepNginx on the real trees of the corpus:
// every file of them that nginx accepts here in its manifest context,
// with its whole tree copied beside it.
func TestFixCorpusNginx(t *testing.T) {
	t.Parallel()
	nginx := testenv.LookPath(t, "nginx")
	corpus := testenv.Corpus(t)
	data, err := os.ReadFile(filepath.Join(corpus, "manifest.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	work := t.TempDir()
	var jobs []*sweepJob
	files := 0
	for i, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		c := strings.Split(line, "\t")
		if i == 0 || len(c) < 3 || c[2] != "ok" || !slices.ContainsFunc(sweepTrees, func(p string) bool { return strings.HasPrefix(c[0], p) }) {
			continue
		}
		name, ctx := c[0], c[1]
		if _, ok := testenv.NginxWrappers[ctx]; !ok {
			continue
		}
		files++
		root := treeRoot(corpus, name)
		rel, _ := filepath.Rel(root, filepath.Join(corpus, name))
		for _, unsafe := range []bool{false, true} {
			dir := filepath.Join(work, fmt.Sprint(len(jobs)))
			uses := copyTree(t, root, dir, filepath.Join(corpus, "debian-nginx-common"))
			testenv.WriteCert(t, dir)
			j := &sweepJob{name: name, unsafe: unsafe, prefix: dir, conf: filepath.Join(dir, rel)}
			if !uses["load_module"] {
				j.global = debianModules(uses)
			}
			if w := testenv.NginxWrappers[ctx]; w != "" {
				// What fragments take from their main configuration, as the
				// corpus's verdicts assumed.
				wrap := strings.Replace(fmt.Sprintf(w, rel), "http {\n", "http {\nssl_certificate cert.pem; ssl_certificate_key key.pem;\nlog_format combined_plus '$remote_addr';\n", 1)
				j.conf = filepath.Join(dir, "nginxls-sweep.conf")
				if err := os.WriteFile(j.conf, []byte(wrap), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			j.given = []string{j.conf}
			if unsafe {
				j.twin = jobs[len(jobs)-1]
			}
			jobs = append(jobs, j)
		}
	}
	checked, skipped, changed := runSweep(t, nginx, jobs)
	t.Logf("%d corpus files, with and without --unsafe-fixes: %d runs checked (%d changed by the fixes), %d skipped (nginx rejects them here as they are)",
		files, checked, changed, skipped)
	if checked < len(jobs)/3 {
		t.Errorf("only %d of %d runs pass nginx -t before the fixes", checked, len(jobs))
	}
}

// treeRoot is the folder of name's tree: the nearest folder above it,
// inside its corpus folder, that holds an nginx.conf, else its own.
func treeRoot(corpus, name string) string {
	top := filepath.Join(corpus, strings.SplitN(name, "/", 2)[0])
	for d := filepath.Dir(filepath.Join(corpus, name)); strings.HasPrefix(d, top); d = filepath.Dir(d) {
		if fileExists(filepath.Join(d, "nginx.conf")) {
			return d
		}
	}
	return filepath.Dir(filepath.Join(corpus, name))
}

// logDirectives name the files and folders nginx -t opens or needs.
var logDirectives = regexp.MustCompile(`^(access_log|error_log|pid|lock_file|.*_temp_path|.*_cache_path)$`)

// copyTree copies the tree at src to dst and keeps nginx -t inside dst:
// absolute log, pid and temporary paths become relative to the prefix
// (their folders made), and includes of /etc/nginx/... relative to the
// tree. A file it includes that the corpus lacks is stubbed, as the
// corpus's own verdicts were: Debian's file of that name, else an empty
// one. It returns the names of the directives the tree uses.
func copyTree(t *testing.T, src, dst, debian string) (names map[string]bool) {
	t.Helper()
	var includes []string
	names = map[string]bool{}
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		out := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(out, 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		f := syntax.Parse(rel, b)
		type edit struct {
			span syntax.Span
			text string
		}
		var edits []edit
		syntax.Walk(f.Directives, func(d *syntax.Directive) bool {
			n := d.Name.Value
			names[n] = true
			if n == "include" && len(d.Args) > 0 && strings.Contains(d.Args[0].Value, "modules-enabled") {
				names["load_module"] = true
			}
			if n == "include" && len(d.Args) == 1 && !strings.ContainsAny(d.Args[0].Value, "*?[$") {
				includes = append(includes, strings.TrimPrefix(d.Args[0].Value, "/etc/nginx/"))
			}
			if len(d.Args) == 0 || !strings.HasPrefix(d.Args[0].Value, "/") || d.Args[0].Quote != 0 {
				return true
			}
			a := d.Args[0]
			switch {
			case n == "include" && strings.HasPrefix(a.Value, "/etc/nginx/"):
				edits = append(edits, edit{a.Span, strings.TrimPrefix(a.Value, "/etc/nginx/")})
			case logDirectives.MatchString(n):
				local := strings.TrimPrefix(a.Value, "/")
				folder := filepath.Dir(local)
				if strings.HasSuffix(n, "_path") {
					folder = local
				}
				os.MkdirAll(filepath.Join(dst, folder), 0o755)
				edits = append(edits, edit{a.Span, local})
			}
			return true
		})
		for i := len(edits) - 1; i >= 0; i-- {
			e := edits[i]
			b = slices.Concat(b[:e.span.Start], []byte(e.text), b[e.span.End:])
		}
		return os.WriteFile(out, b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, inc := range includes {
		p := filepath.Join(dst, inc)
		if filepath.IsAbs(inc) || fileExists(p) {
			continue
		}
		b, _ := os.ReadFile(filepath.Join(debian, filepath.Base(inc)))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return names
}

var sweepBlockRE = regexp.MustCompile(`(?m)^(\s*)(http|stream|mail)\s*\{`)

// sweepWrap stubs what a rule test configuration leaves out, as
// TestFixesAcceptedByNginx does: an events block, a throw-away certificate
// in each http, stream and mail block.
func sweepWrap(src []byte) []byte {
	conf := sweepBlockRE.ReplaceAllString(string(src), "$0 ssl_certificate cert.pem; ssl_certificate_key key.pem;")
	if !strings.Contains(conf, "events {") {
		conf = "events {}\n" + conf
	}
	return []byte(conf)
}

// debianModules is nginx -g text that loads Debian's dynamic modules (the
// named ones, or all that a configuration using these directives may
// need), when they are there: nginx elsewhere builds them in. Perl and Lua,
// slow to start, only for a configuration that uses them.
func debianModules(uses map[string]bool, names ...string) string {
	const dir = "/usr/lib/nginx/modules"
	if len(names) == 0 {
		found, _ := filepath.Glob(filepath.Join(dir, "*.so"))
		perl, lua := false, false
		for n := range uses {
			perl = perl || strings.HasPrefix(n, "perl")
			lua = lua || strings.Contains(n, "lua")
		}
		for _, p := range found {
			n := filepath.Base(p)
			if strings.Contains(n, "perl") && !perl || strings.Contains(n, "lua") && !lua {
				continue
			}
			names = append(names, n)
		}
		// The development kit goes first (lua and set-misc need it), then
		// stream and mail (their third-party modules need them).
		rank := func(n string) int {
			switch {
			case strings.HasPrefix(n, "ndk_"):
				return 0
			case n == "ngx_stream_module.so" || n == "ngx_mail_module.so":
				return 1
			}
			return 2
		}
		slices.SortStableFunc(names, func(a, b string) int { return rank(a) - rank(b) })
	}
	var out string
	for _, n := range names {
		if p := filepath.Join(dir, n); fileExists(p) {
			out += " load_module " + p + ";"
		}
	}
	return out
}

// sweepNginxT runs nginx -t on conf with dir as its prefix.
func sweepNginxT(nginx, dir, conf, global string) (string, bool) {
	if !strings.Contains(global, "pid ") {
		// A pid directive of the configuration wins, made relative.
		global = strings.TrimSpace(global)
	}
	args := []string{"-t", "-q", "-e", "stderr", "-p", dir + "/", "-c", conf}
	if global != "" {
		args = append(args, "-g", global)
	}
	out, err := exec.Command(nginx, args...).CombinedOutput()
	return string(out), err == nil
}

// sweepEnv is the environment of a check that decides its target from the
// nginx on the PATH: no pinned version.
func sweepEnv(nginx string) []string {
	var env []string
	for _, e := range os.Environ() {
		if !strings.HasPrefix(e, "NGINXLS_NGINX_VERSION=") && !strings.HasPrefix(e, "PATH=") {
			env = append(env, e)
		}
	}
	return append(env, "PATH="+filepath.Dir(nginx)+string(os.PathListSeparator)+os.Getenv("PATH"))
}

// snapshot reads every regular file under dir (links are not followed).
func snapshot(dir string) map[string]string {
	out := map[string]string{}
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			b, _ := os.ReadFile(p)
			rel, _ := filepath.Rel(dir, p)
			out[rel] = string(b)
		}
		return nil
	})
	return out
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// lineDiff shows the lines of after that before lacks, and the reverse.
func lineDiff(before, after string) string {
	b, a := strings.Split(before, "\n"), strings.Split(after, "\n")
	var out []string
	for _, l := range b {
		if !slices.Contains(a, l) {
			out = append(out, "- "+l)
		}
	}
	for _, l := range a {
		if !slices.Contains(b, l) {
			out = append(out, "+ "+l)
		}
	}
	return strings.Join(out, "\n")
}
