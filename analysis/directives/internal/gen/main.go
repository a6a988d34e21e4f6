// Command gen builds analysis/directives/directives.tsv, nginx's directive
// table, from two inputs kept beside it:
//
//   - docs.tsv: per documented directive, the syntax, default and "appeared
//     in" version as the nginx.org module pages give them (the XML sources of
//     nginx.org, xml/en/docs/**/*.xml: <syntax>, <default>, <appeared-in>),
//     grouped by documentation page; third-party modules cite their own
//     project pages. Rows for directives the binaries below lack (newer than
//     them, or NGINX Plus only) also carry their contexts and argument flags,
//     transcribed from nginx's ngx_command_t tables.
//   - commands.tsv: the ngx_command_t tables (name, context and argument
//     bits) read out of compiled nginx images. These are nginx's own
//     authority on where a directive is allowed and how many arguments it
//     takes; the docs do not say it precisely.
//
// Re-run from the repository root:
//
//	go run ./analysis/directives/internal/gen
//
// merges the two files into directives.tsv. To refresh commands.tsv from
// installed images (x86-64 ELF; Debian: nginx plus the libnginx-mod-* packages
// of the modules to cover), pass them:
//
//	go run ./analysis/directives/internal/gen -images "/usr/sbin/nginx /usr/lib/nginx/modules/*.so"
//
// After a docs update, edit docs.tsv from a checkout of the nginx.org
// repository (compare `grep -h '<directive name=' xml/en/docs/*/*.xml`
// against it) and run gen again: it reports every compiled directive with no
// docs row and every docs row with no argument flags.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

func main() {
	dir := flag.String("dir", "analysis/directives", "the package directory")
	images := flag.String("images", "", "space-separated globs of nginx images whose command tables refresh commands.tsv")
	flag.Parse()
	if err := run(*dir, *images); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(dir, images string) error {
	cmdPath := filepath.Join(dir, "internal", "gen", "commands.tsv")
	if images != "" {
		var paths []string
		for _, g := range strings.Fields(images) {
			m, err := filepath.Glob(g)
			if err != nil {
				return err
			}
			paths = append(paths, m...)
		}
		cmds, err := readCommands(paths)
		if err != nil {
			return err
		}
		if err := writeCommands(cmdPath, cmds); err != nil {
			return err
		}
	}
	cmds, err := loadCommands(cmdPath)
	if err != nil {
		return err
	}
	docs, err := loadDocs(filepath.Join(dir, "internal", "gen", "docs.tsv"))
	if err != nil {
		return err
	}
	rows, problems := merge(docs, cmds)
	for _, p := range problems {
		fmt.Fprintln(os.Stderr, p)
	}
	if len(problems) > 0 {
		return fmt.Errorf("%d problems", len(problems))
	}
	return writeTable(filepath.Join(dir, "directives.tsv"), rows)
}

// Module types (ngx_module_t.type) and the context bits of each protocol
// (src/http/ngx_http_config.h, src/stream/ngx_stream_config.h,
// src/mail/ngx_mail.h, src/event/ngx_event.h, src/core/ngx_conf_file.h).
const (
	typeCore   = 0x45524F43
	typeConf   = 0x464E4F43
	typeEvent  = 0x544E5645
	typeHTTP   = 0x50545448
	typeStream = 0x4D525453
	typeMail   = 0x4C49414D
)

var argBits = []struct {
	bit  uint64
	name string
}{
	{0x1, "noargs"}, {0x2, "take1"}, {0x4, "take2"}, {0x8, "take3"}, {0x10, "take4"},
	{0x20, "take5"}, {0x40, "take6"}, {0x80, "take7"}, {0x100, "block"}, {0x200, "flag"},
	{0x400, "any"}, {0x800, "1more"}, {0x1000, "2more"},
}

// contexts names the context bits of a command of a module of type mtype.
func contexts(mtype, typ uint64) ([]string, error) {
	var out []string
	add := func(bit uint64, name string) {
		if typ&bit != 0 {
			out = append(out, name)
		}
	}
	if typ&0xFF000000 == 0xFF000000 { // NGX_ANY_CONF
		return []string{"any"}, nil
	}
	switch mtype {
	case typeCore, typeConf:
		add(0x01000000, "main")
	case typeEvent:
		add(0x02000000, "events")
	case typeHTTP:
		add(0x02000000, "http")
		add(0x04000000, "server")
		add(0x08000000, "location")
		add(0x10000000, "upstream")
		add(0x20000000, "sif")
		add(0x40000000, "lif")
		add(0x80000000, "limit_except")
	case typeStream:
		add(0x02000000, "stream")
		add(0x04000000, "stream_server")
		add(0x08000000, "stream_upstream")
	case typeMail:
		add(0x02000000, "mail")
		add(0x04000000, "mail_server")
	default:
		return nil, fmt.Errorf("unknown module type %#x", mtype)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no context bits in %#x", typ)
	}
	return out, nil
}

func args(typ uint64) []string {
	var out []string
	for _, b := range argBits {
		if typ&b.bit != 0 {
			out = append(out, b.name)
		}
	}
	return out
}

// commands.tsv: name, image module, contexts, argument flags.
func writeCommands(path string, cmds []command) error {
	var b strings.Builder
	b.WriteString("# name\tmodule\tcontexts\tflags (from the ngx_command_t tables of compiled nginx images; written by gen -images)\n")
	for _, c := range cmds {
		ctx, err := contexts(c.ModuleType, c.Type)
		if err != nil {
			return fmt.Errorf("%s (%s): %v", c.Name, c.Module, err)
		}
		fmt.Fprintf(&b, "%s\t%s\t%s\t%s\n", c.Name, c.Module, strings.Join(ctx, ","), strings.Join(args(c.Type), ","))
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}

type cmdRow struct {
	name, module, contexts, flags string
	used                          bool
}

func loadCommands(path string) ([]*cmdRow, error) {
	var out []*cmdRow
	err := eachLine(path, func(f []string) error {
		if len(f) != 4 {
			return fmt.Errorf("want 4 fields, have %d", len(f))
		}
		out = append(out, &cmdRow{name: f[0], module: docModule(f[1], f[0]), contexts: f[2], flags: f[3]})
		return nil
	})
	return out, err
}

// docModule maps a compiled module to the module page that documents its
// directives (several compiled modules share one page).
func docModule(m, name string) string {
	if m == "ngx_http_core_module" && strings.HasPrefix(name, "gzip_") {
		return "ngx_http_gzip_module" // kept in the core's configuration
	}
	switch m {
	case "ngx_errlog_module", "ngx_conf_module", "ngx_openssl_module", "ngx_regex_module",
		"ngx_events_module", "ngx_event_core_module", "ngx_epoll_module", "ngx_thread_pool_module":
		return "ngx_core_module"
	case "ngx_http_module", "ngx_http_try_files_module", "ngx_http_copy_filter_module":
		return "ngx_http_core_module"
	case "ngx_stream_module":
		return "ngx_stream_core_module"
	case "ngx_mail_module":
		return "ngx_mail_core_module"
	case "ngx_http_xslt_filter_module":
		return "ngx_http_xslt_module"
	case "ngx_http_addition_filter_module", "ngx_http_charset_filter_module",
		"ngx_http_gunzip_filter_module", "ngx_http_gzip_filter_module",
		"ngx_http_headers_filter_module", "ngx_http_slice_filter_module",
		"ngx_http_ssi_filter_module", "ngx_http_sub_filter_module",
		"ngx_http_userid_filter_module":
		return strings.TrimSuffix(m, "_filter_module") + "_module"
	}
	if strings.HasPrefix(m, "ngx_http_upstream_") && m != "ngx_http_upstream_fair_module" {
		return "ngx_http_upstream_module"
	}
	if strings.HasPrefix(m, "ngx_stream_upstream_") {
		return "ngx_stream_upstream_module"
	}
	return m
}

type docRow struct {
	module, url     string
	name, since     string
	syntax, def     string
	tags            []string // plus, obsolete, third-party
	contexts, flags string   // for directives no compiled image has
	line            int
}

// docs.tsv: "@module<TAB>url-prefix" starts a module; then one row a
// directive: name, since, syntax (arguments only; forms separated by " || "),
// default, and optionally tags and, for a directive no image has,
// "contexts flags".
func loadDocs(path string) ([]*docRow, error) {
	var out []*docRow
	var module, url string
	n := 0
	err := eachLine(path, func(f []string) error {
		n++
		if strings.HasPrefix(f[0], "@") {
			if len(f) != 2 {
				return fmt.Errorf("module line wants 2 fields")
			}
			module, url = f[0][1:], f[1]
			if !strings.Contains(url, "://") {
				url = "https://nginx.org/en/docs/" + url + ".html#"
			}
			return nil
		}
		if module == "" {
			return fmt.Errorf("row before any @module line")
		}
		if len(f) < 4 || len(f) > 6 {
			return fmt.Errorf("%s: want 4 to 6 fields, have %d", f[0], len(f))
		}
		r := &docRow{module: module, url: url, name: f[0], since: f[1], syntax: f[2], def: f[3], line: n}
		if len(f) > 4 && f[4] != "" {
			r.tags = strings.Split(f[4], ",")
		}
		if len(f) > 5 {
			cf := strings.Fields(f[5])
			if len(cf) != 2 {
				return fmt.Errorf("%s: want \"contexts flags\", have %q", f[0], f[5])
			}
			r.contexts, r.flags = cf[0], cf[1]
		}
		out = append(out, r)
		return nil
	})
	return out, err
}

func eachLine(path string, fn func([]string) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	line := 0
	for sc.Scan() {
		line++
		t := sc.Text()
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		if err := fn(strings.Split(t, "\t")); err != nil {
			return fmt.Errorf("%s:%d: %v", path, line, err)
		}
	}
	return sc.Err()
}

type outRow struct {
	name, module, contexts, flags, syntax, def, since, url, tags string
}

func merge(docs []*docRow, cmds []*cmdRow) ([]outRow, []string) {
	var rows []outRow
	var problems []string
	byKey := map[string]*cmdRow{}
	for _, c := range cmds {
		k := c.module + " " + c.name
		if byKey[k] != nil {
			// The same name twice in one page's modules: keep both,
			// matched in order.
			k += " 2"
		}
		byKey[k] = c
	}
	seen := map[string]bool{}
	for _, d := range docs {
		k := d.module + " " + d.name
		if seen[k] {
			k += " 2"
		}
		seen[k] = true
		c := byKey[k]
		ctx, flags := d.contexts, d.flags
		switch {
		case c != nil && ctx != "":
			// Newer nginx allows more than the compiled images: the docs
			// row says so with the "override" tag.
			if (c.contexts != ctx || canonicalFlags(c.flags) != canonicalFlags(flags)) && !hasTag(d.tags, "override") {
				problems = append(problems, fmt.Sprintf("docs.tsv:%d: %s: flags %s %s differ from the compiled %s %s",
					d.line, d.name, ctx, flags, c.contexts, c.flags))
			}
			c.used = true
		case c != nil:
			ctx, flags = c.contexts, c.flags
			c.used = true
		case ctx == "":
			problems = append(problems, fmt.Sprintf("docs.tsv:%d: %s (%s): no compiled command and no contexts/flags", d.line, d.name, d.module))
			continue
		}
		if err := checkFlags(ctx, flags); err != nil {
			problems = append(problems, fmt.Sprintf("docs.tsv:%d: %s: %v", d.line, d.name, err))
			continue
		}
		url := d.url
		var tags []string
		for _, t := range d.tags {
			if page, ok := strings.CutPrefix(t, "doc="); ok {
				// Documented on another page than its module's.
				url = "https://nginx.org/en/docs/" + page + ".html#"
				continue
			}
			tags = append(tags, t)
		}
		if !strings.HasPrefix(url, "https://nginx.org/") {
			tags = append(tags, "third-party")
		}
		rows = append(rows, outRow{
			name: d.name, module: d.module, contexts: ctx, flags: canonicalFlags(flags),
			syntax: d.syntax, def: d.def, since: d.since, url: url + d.name,
			tags: strings.Join(tags, ","),
		})
	}
	for _, c := range cmds {
		if !c.used {
			problems = append(problems, fmt.Sprintf("commands.tsv: %s (%s): no docs row", c.name, c.module))
		}
	}
	return rows, problems
}

func writeTable(path string, rows []outRow) error {
	var b strings.Builder
	b.WriteString("# Generated by internal/gen from internal/gen/docs.tsv and internal/gen/commands.tsv; do not edit.\n")
	b.WriteString("# name\tmodule\tcontexts\tflags\tsyntax\tdefault\tsince\turl\ttags\n")
	for _, r := range rows {
		fmt.Fprintf(&b, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n",
			r.name, r.module, r.contexts, r.flags, r.syntax, r.def, r.since, r.url, r.tags)
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}

var contextNames = map[string]bool{
	"any": true, "main": true, "events": true, "http": true, "server": true, "location": true,
	"upstream": true, "sif": true, "lif": true, "limit_except": true, "stream": true,
	"stream_server": true, "stream_upstream": true, "mail": true, "mail_server": true,
}

func checkFlags(ctx, flags string) error {
	for _, c := range strings.Split(ctx, ",") {
		if !contextNames[c] {
			return fmt.Errorf("unknown context %q", c)
		}
	}
	for _, f := range strings.Split(flags, ",") {
		if !knownArg(f) {
			return fmt.Errorf("unknown flag %q", f)
		}
	}
	return nil
}

func knownArg(f string) bool {
	for _, b := range argBits {
		if b.name == f {
			return true
		}
	}
	return false
}

// canonicalFlags orders flags as nginx's bits are ordered.
func canonicalFlags(flags string) string {
	set := map[string]bool{}
	for _, f := range strings.Split(flags, ",") {
		set[f] = true
	}
	var out []string
	for _, b := range argBits {
		if set[b.name] {
			out = append(out, b.name)
		}
	}
	return strings.Join(out, ",")
}

func hasTag(tags []string, t string) bool {
	for _, x := range tags {
		if x == t {
			return true
		}
	}
	return false
}
