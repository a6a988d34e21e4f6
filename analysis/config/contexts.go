package config

import (
	"github.com/nginxls/nginxls/analysis/directives"
	"github.com/nginxls/nginxls/analysis/syntax"
)

// A Level is a top level of the configuration whose context is known for
// certain.
type Level struct {
	File       *syntax.File
	Directives []*syntax.Directive
	Context    directives.Context
}

// KnownLevels returns the top levels whose context is certain: declared by a
// `# nginxls: context` comment, or main because the level holds what only
// the main context may (an http, events, stream or mail block, or a
// directive such as worker_processes). ContextOf guesses the others from
// their contents, which is good enough to explain a directive but not to
// call it misplaced: a snippet of listen directives may be included in an
// http server or in a stream server.
func (c *Config) KnownLevels() []Level {
	var out []Level
	for _, r := range c.roots {
		if ctx, ok := r.knownContext(); ok {
			out = append(out, Level{r.file, r.list, ctx})
		}
	}
	return out
}

func (r *root) knownContext() (directives.Context, bool) {
	r.known.Do(func() {
		r.knownCtx, r.knownOK = DeclaredContext(r.file)
		if !r.knownOK && mainEvidence(r.list) {
			r.knownCtx, r.knownOK = directives.Main, true
		}
		if !r.knownOK {
			r.knownCtx, r.knownOK = httpEvidence(r.list)
		}
	})
	return r.knownCtx, r.knownOK
}

// mainEvidence reports a top level that can only be the main context.
func mainEvidence(list []*syntax.Directive) bool {
	for _, d := range list {
		switch d.Name.Value {
		case "http", "events", "stream", "mail":
			if d.Block != nil {
				return true
			}
		case "worker_processes", "user", "pid", "load_module", "worker_rlimit_nofile", "daemon", "master_process":
			if d.Block == nil {
				return true
			}
		}
	}
	return false
}

// httpEvidence tells the context of a site file from what only http has:
// a server block holding a location makes it the http block (stream and
// mail servers have no locations); top-level locations beside listen or
// server_name make it an http server's body (locations alone may be a
// snippet for inside a location). A site file checked alone
// (sites-enabled/app, no main configuration at hand) is then judged as
// nginx will read it.
func httpEvidence(list []*syntax.Directive) (directives.Context, bool) {
	locations, serverOnly := false, false
	for _, d := range list {
		switch d.Name.Value {
		case "listen", "server_name":
			serverOnly = serverOnly || d.Block == nil
		case "location":
			locations = locations || d.Block != nil
		}
	}
	if locations && serverOnly {
		return directives.Server, true
	}
	for _, d := range list {
		if d.Block == nil {
			continue
		}
		switch d.Name.Value {
		case "server":
			for _, c := range d.Block.Directives {
				if c.Name.Value == "location" && c.Block != nil {
					return directives.HTTP, true
				}
			}
		}
	}
	return 0, false
}

// KnownContextOf returns the context a directive lands in, when it is known
// for certain (see KnownLevels).
func (c *Config) KnownContextOf(d *syntax.Directive) (directives.Context, bool) {
	var chain []*syntax.Directive
	for p := d.Parent; p != nil; p = p.Parent {
		chain = append(chain, p)
	}
	top := d
	if len(chain) > 0 {
		top = chain[len(chain)-1]
	}
	r := c.topOf[top]
	if r == nil {
		return 0, false
	}
	ctx, ok := r.knownContext()
	if !ok {
		return 0, false
	}
	for i := len(chain) - 1; i >= 0; i-- {
		b := chain[i]
		if b.Block == nil || b.Block.Lua != nil || b.InEntryBlock() {
			return 0, false
		}
		if ctx = directives.BlockContext(b.Name.Value, ctx); ctx == 0 {
			return 0, false
		}
	}
	return ctx, true
}

// WalkContexts calls fn for every directive of list, and of the blocks
// under it, with the context it lands in, list's own being ctx. It does not
// enter the blocks that hold no directives (map-like entries, Lua bodies,
// opaque blocks), the blocks whose context cannot be told (a block nginx
// would refuse there, a name it does not know), or those skip, when not
// nil, returns true for.
func WalkContexts(list []*syntax.Directive, ctx directives.Context, skip func(*syntax.Directive) bool, fn func(d *syntax.Directive, ctx directives.Context)) {
	for _, d := range list {
		fn(d, ctx)
		if d.Block == nil || d.Block.Lua != nil || skip != nil && skip(d) {
			continue
		}
		if inner := directives.BlockContext(d.Name.Value, ctx); inner != 0 {
			WalkContexts(d.Block.Directives, inner, skip, fn)
		}
	}
}
