package directives

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/nginxls/nginxls/internal/testenv"
)

// TestNginxAgreesAll checks every directive the installed nginx knows
// against the table, without needing valid arguments: ngx_conf_handler
// checks, in order, the context ("is not allowed here"), the block ("has no
// opening {" / "is not terminated by ;") and the argument count ("invalid
// number of arguments") before it looks at any value. So for each name, in
// every context of its protocol (and for core names, main and events):
//   - where the table allows it, with a count of arguments the table
//     rejects, nginx must complain about the count;
//   - where the table does not, nginx must say it is not allowed here;
//
// and for each directive, the least and the most arguments the table
// accepts must pass the count check, and the wrong block-ness must fail.
//
// NGINXLS_DIRECTIVES_FULL=1 checks every context of every name (slower).
// Directives the installed nginx lacks (newer, NGINX Plus, modules not
// installed) answer "unknown directive" and are skipped.
func TestNginxAgreesAll(t *testing.T) {
	if testing.Short() {
		t.Skip("runs nginx -t about 2000 times")
	}
	nginx := testenv.LookPath(t, "nginx")
	full := os.Getenv("NGINXLS_DIRECTIVES_FULL") == "1"
	installed := testenv.NginxVersion(t, nginx)
	root := t.TempDir()

	type check struct {
		d    *Directive
		ctx  Context
		line string
		want string // a message nginx must give; "" for anything but a context error
	}
	var checks []check
	for _, name := range Names() {
		var vs []*Directive
		for _, d := range Variants(name) {
			if !d.Plus { // the installed nginx is open source
				vs = append(vs, d)
			}
		}
		if len(vs) == 0 {
			continue
		}
		var union Context
		for _, d := range vs {
			union |= d.Contexts
		}
		// The contexts of the families the name belongs to: allowed ones
		// must pass the context check, the others must fail it. All of
		// them take ~8000 runs of nginx; by default a third, rotating with
		// the name, and at least one disallowed context.
		sawBad := false
		for i, ctx := range familyContexts(union) {
			d, ok := LookupIn(name, ctx)
			if !full && (i+len(name))%3 != 0 && (ok || sawBad) {
				continue
			}
			if !ok {
				sawBad = true
				checks = append(checks, check{vs[0], ctx, name + " x;", fmt.Sprintf("%q directive is not allowed here", name)})
				continue
			}
			if n := badCount(d.Args); n >= 0 {
				checks = append(checks, check{d, ctx, name + strings.Repeat(" x", n) + blockOrSemi(d.Block), "invalid number of arguments"})
			} else {
				checks = append(checks, check{d, ctx, name + blockOrSemi(d.Block), ""})
			}
		}
		for _, d := range vs {
			ctx := firstContext(d.Contexts)
			// The least and the most arguments accepted pass the count
			// check (whatever nginx then thinks of the value "x").
			counts := []int{d.Args.Min()}
			if m := d.Args.Max(); m != counts[0] {
				if m < 0 {
					m = counts[0] + 1
				}
				counts = append(counts, m)
			}
			for _, n := range counts {
				checks = append(checks, check{d, ctx, name + strings.Repeat(" x", n) + blockOrSemi(d.Block), ""})
			}
			if d.Block {
				checks = append(checks, check{d, ctx, name + " x;", fmt.Sprintf(`directive %q has no opening "{"`, name)})
			} else {
				checks = append(checks, check{d, ctx, name + " x { }", fmt.Sprintf(`directive %q is not terminated by ";"`, name)})
			}
		}
	}

	var (
		mu      sync.Mutex
		unknown = map[string]bool{}
		newer   = map[string]bool{}
		ran     int
		wg      sync.WaitGroup
		work    = make(chan int)
	)
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			dir := filepath.Join(root, strconv.Itoa(w))
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Error(err)
				return
			}
			for i := range work {
				c := checks[i]
				loads, ok := loadModules(c.d, c.ctx)
				if !ok {
					continue
				}
				conf, err := wrap(dir, c.line, c.ctx)
				if err != nil {
					t.Error(err)
					continue
				}
				out, accepted := nginxTest(t, nginx, dir, loads+conf)
				mu.Lock()
				ran++
				mu.Unlock()
				notAllowed := strings.Contains(out, fmt.Sprintf("%q directive is not allowed here", c.d.Name))
				switch {
				case strings.Contains(out, fmt.Sprintf("unknown directive %q", c.d.Name)):
					mu.Lock()
					unknown[c.d.Name] = true
					mu.Unlock()
				case c.ctx&c.d.Contexts != 0 && notAllowed && newerThan(c.d, installed):
					mu.Lock()
					newer[c.d.Name+" in "+c.ctx.String()] = true
					mu.Unlock()
				case c.want == "" && (notAllowed || strings.Contains(out, "opening \"{\"") || strings.Contains(out, "terminated by") ||
					strings.Contains(out, "invalid number of arguments in \""+c.d.Name+"\"")):
					t.Errorf("%s (%s) in %s: %q\n%s", c.d.Name, c.d.Module, c.ctx, c.line, out)
				case c.want != "" && (accepted || !strings.Contains(out, c.want)):
					t.Errorf("%s (%s) in %s: %q: want %q, nginx says:\n%s", c.d.Name, c.d.Module, c.ctx, c.line, c.want, out)
				}
			}
		}(w)
	}
	for i := range checks {
		work <- i
	}
	close(work)
	wg.Wait()
	t.Logf("nginx %s: %d checks run; %d names unknown to it; %d newer placements skipped", installed, ran, len(unknown), len(newer))
	t.Logf("unknown: %s", strings.Join(sortedKeys(unknown), " "))
	t.Logf("newer: %s", strings.Join(sortedKeys(newer), ", "))
	if ran < 1000 && !t.Failed() {
		t.Errorf("only %d checks ran", ran)
	}
}

// firstContext picks one context of the set, preferring the usual ones.
func firstContext(c Context) Context {
	for _, x := range []Context{Location, Server, HTTP, Upstream, LocationIf, ServerIf, LimitExcept,
		StreamServer, Stream, StreamUpstream, MailServer, Mail, Main, Events} {
		if c&x != 0 {
			return x
		}
	}
	return 0
}

// familyContexts lists every context of the families (core, http, stream,
// mail) that c touches.
func familyContexts(c Context) []Context {
	var out []Context
	for _, fam := range [][]Context{
		{Main, Events},
		{HTTP, Server, Location, LocationIf, ServerIf, LimitExcept, Upstream},
		{Stream, StreamServer, StreamUpstream},
		{Mail, MailServer},
	} {
		var all Context
		for _, x := range fam {
			all |= x
		}
		if c&all != 0 {
			out = append(out, fam...)
		}
	}
	return out
}

// badCount returns an argument count the rule rejects, or -1 when it
// accepts any.
func badCount(a Args) int {
	for n := 0; n <= maxArgs+1; n++ {
		if !a.OK(n) {
			return n
		}
	}
	return -1
}

func blockOrSemi(block bool) string {
	if block {
		return " { }"
	}
	return ";"
}

// loadModules returns the load_module lines a check needs, and false when
// a module is not installed.
func loadModules(d *Directive, ctx Context) (string, bool) {
	var mods []string
	stream := strings.HasPrefix(d.Module, "ngx_stream_") || ctx&(Stream|StreamServer|StreamUpstream) != 0
	mail := strings.HasPrefix(d.Module, "ngx_mail_") || ctx&(Mail|MailServer) != 0
	if stream {
		mods = append(mods, "ngx_stream_module.so")
	}
	if mail {
		mods = append(mods, "ngx_mail_module.so")
	}
	own := d.Module
	switch own {
	case "ngx_http_lua_module", "ngx_http_set_misc_module":
		mods = append(mods, "ndk_http_module.so")
	case "ngx_http_xslt_module":
		own = "ngx_http_xslt_filter_module"
	}
	var b strings.Builder
	for _, m := range mods {
		p := filepath.Join(modulesDir, m)
		if _, err := os.Stat(p); err != nil {
			return "", false
		}
		fmt.Fprintf(&b, "load_module %s;\n", p)
	}
	if p := filepath.Join(modulesDir, own+".so"); own != "ngx_stream_module" && own != "ngx_mail_module" {
		if _, err := os.Stat(p); err == nil {
			fmt.Fprintf(&b, "load_module %s;\n", p)
		}
	}
	return b.String(), true
}

// newerThan reports whether the directive may be missing from the installed
// nginx in this context: NGINX Plus, njs (versioned apart from nginx), or
// documented as appearing after it.
func newerThan(d *Directive, installed string) bool {
	if d.Plus || strings.HasSuffix(d.Module, "_js_module") {
		return true
	}
	return d.Since != "" && versionLess(installed, d.Since)
}

func versionLess(a, b string) bool {
	pa, pb := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(pa) && i < len(pb); i++ {
		x, _ := strconv.Atoi(pa[i])
		y, _ := strconv.Atoi(pb[i])
		if x != y {
			return x < y
		}
	}
	return len(pa) < len(pb)
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
