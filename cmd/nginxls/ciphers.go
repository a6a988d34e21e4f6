package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/nginxls/nginxls/analysis"
	"github.com/nginxls/nginxls/analysis/config"
	"github.com/nginxls/nginxls/analysis/negotiate"
	"github.com/nginxls/nginxls/analysis/openssl"
	"github.com/nginxls/nginxls/analysis/workspace"
)

func runCiphers(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := newFlags("ciphers", "[--openssl 3.0|1.1.1|1.0.2] [-v] [--] STRING\n       nginxls ciphers --server FILE:LINE [--openssl V] [--nginx-version V]\n\n"+
		"Prints the TLS 1.2 and older cipher suites that a cipher string (the value of\n"+
		"ssl_ciphers) enables, in OpenSSL's order, one OpenSSL name per line, as\n"+
		"`openssl ciphers` does; TLS 1.3 suites are configured apart and not listed.\n"+
		"With -v each line also shows the protocol that introduced the suite, key\n"+
		"exchange, authentication, encryption, MAC and a grade (good, legacy, weak,\n"+
		"insecure). When OpenSSL would reject the string, prints its reason and exits 1.\n"+
		"Put \"--\" before a string that starts with '-'. The 1.0.2 profile models legacy\n"+
		"builds (RC4, DES, EXPORT, 3DES in HIGH).\n\n"+
		"With --server, prints what the server block at FILE:LINE (any line inside it)\n"+
		"negotiates on the target, as the configuration it belongs to loads it: per\n"+
		"protocol version, the suites a client can get in the server's order and the\n"+
		"groups, or why a configured version is refused; and whether 0-RTT is accepted.", stdout, stderr)
	profile := &choice{openssl.Profiles[0], openssl.Profiles}
	fs.Var(profile, "openssl", "the OpenSSL `version` to model: 3.0, 1.1.1 or 1.0.2")
	verbose := fs.Bool("v", false, "describe each suite")
	server := fs.String("server", "", "a server block, as `FILE:LINE`: print what it negotiates")
	// The nginx version as check takes it, parsed by the same setting.
	var values analysis.SettingValues
	for _, st := range analysis.SettingList {
		if st.Name == "nginx-version" {
			fs.Var(&settingFlag{setting: st, values: &values, fs: fs}, st.Name, "with --server: "+st.Usage)
		}
	}
	pos, code, ok := fs.parse(args)
	if !ok {
		return code
	}
	if *server != "" {
		if len(pos) != 0 {
			return fs.usageError("--server takes no cipher string")
		}
		ov := workspace.Overrides{SettingValues: values}
		fs.Visit(func(f *flag.Flag) {
			if f.Name == "openssl" {
				ov.OpenSSL = profile.value
			}
		})
		return printServer(*server, ov, stdout, stderr)
	}
	if len(pos) != 1 {
		return fs.usageError("takes one cipher string (quote it for the shell)")
	}
	r := openssl.Evaluate(pos[0], profile.value)
	if r.Err != nil {
		fmt.Fprintf(stderr, "nginxls ciphers: OpenSSL %s rejects the cipher list: %s", r.Profile, r.Err.Reason)
		if r.Err.Reason == "invalid command" && r.Err.End > r.Err.Start {
			fmt.Fprintf(stderr, " at %q (byte %d)", pos[0][r.Err.Start:r.Err.End], r.Err.Start)
		}
		fmt.Fprintln(stderr)
		return exitFindings
	}
	var b strings.Builder
	for _, s := range r.Suites {
		if *verbose {
			fmt.Fprintf(&b, "%s %s\n", s.Description(), openssl.Grade(s))
		} else {
			fmt.Fprintln(&b, s.Name)
		}
	}
	if _, err := io.WriteString(stdout, b.String()); err != nil {
		fmt.Fprintf(stderr, "nginxls ciphers: %v\n", err)
		return exitError
	}
	return exitOK
}

// printServer prints the negotiation model of the server block at
// FILE:LINE, in the first configuration that loads the file.
func printServer(at string, ov workspace.Overrides, stdout, stderr io.Writer) int {
	i := strings.LastIndexByte(at, ':')
	line, err := strconv.Atoi(at[i+1:])
	if i < 0 || err != nil || line < 1 {
		fmt.Fprintf(stderr, "nginxls ciphers: --server takes FILE:LINE, not %q\n", at)
		return exitError
	}
	file := workspace.Abs(at[:i])
	ws := workspace.New(workspace.Options{Overrides: ov, DetectNginx: detectNginx, DetectSystem: detectSystem})
	roots, err := ws.RootsOf(file)
	if err != nil || len(roots) == 0 {
		fmt.Fprintf(stderr, "nginxls ciphers: no configuration loads %s: %v\n", file, err)
		return exitError
	}
	for _, root := range roots {
		res, err := ws.Analyze(context.Background(), root)
		if err != nil {
			continue
		}
		srv := serverAt(res.Config, file, line)
		if srv == nil {
			continue
		}
		s := res.Settings.Settings
		t := s.Target()
		e, _, why := negotiate.Model(res.Config, srv, s.Nginx, t)
		if e == nil {
			fmt.Fprintf(stderr, "nginxls ciphers: the server at %s is not modelled: %s\n", at, why)
			return exitError
		}
		if _, err := io.WriteString(stdout, describeEndpoint(e, s.Nginx.String(), s.Platform)); err != nil {
			fmt.Fprintf(stderr, "nginxls ciphers: %v\n", err)
			return exitError
		}
		return exitOK
	}
	fmt.Fprintf(stderr, "nginxls ciphers: no server block at %s\n", at)
	return exitError
}

// serverAt is the innermost server block of file holding line.
func serverAt(cfg *config.Config, file string, line int) *config.Server {
	var best *config.Server
	for _, s := range cfg.Servers {
		if s.File == nil || filepath.Clean(s.File.Name) != filepath.Clean(file) {
			continue
		}
		first, _ := s.File.Position(s.Block.Start())
		last, _ := s.File.Position(s.Block.End())
		if first <= line && line <= last && (best == nil || s.Block.Start() > best.Block.Start()) {
			best = s
		}
	}
	return best
}

// describeEndpoint prints the model: one block per protocol version.
func describeEndpoint(e *negotiate.Endpoint, nginx, platform string) string {
	var b strings.Builder
	on := "OpenSSL " + openssl.Canonical(e.Target.OpenSSL)
	if platform != "" {
		on += " on " + platform
	}
	fmt.Fprintf(&b, "# nginx %s, %s, security level %d (%s)\n", nginx, on, e.Level, e.LevelFrom)
	switch {
	case e.Start != nil:
		fmt.Fprintf(&b, "nginx does not start: %s (%s)\n", e.Start.Why, e.Start.Directive)
		return b.String()
	case e.NoHandshake != "":
		fmt.Fprintf(&b, "no handshake completes: %s\n", e.NoHandshake)
		return b.String()
	}
	if e.ServerOrder {
		b.WriteString("# suites in the order the server picks them\n")
	} else {
		b.WriteString("# suites in the server's list order; the client's order decides\n")
	}
	for _, vv := range e.View() {
		switch {
		case vv.Negotiable:
			fmt.Fprintf(&b, "%s\n", vv.Version)
			for _, su := range vv.Suites {
				fmt.Fprintf(&b, "  %s\n", su.Name)
			}
			fmt.Fprintf(&b, "  groups: %s\n", strings.Join(vv.Groups, " "))
		case vv.Configured:
			fmt.Fprintf(&b, "%s: configured, not negotiable: %s\n", vv.Version, vv.Why)
		}
	}
	switch {
	case e.EarlyData:
		b.WriteString("0-RTT early data: accepted\n")
	case e.EarlyDataWhy != "":
		fmt.Fprintf(&b, "0-RTT early data: switched on, refused: %s\n", e.EarlyDataWhy)
	}
	for _, k := range e.Unused {
		fmt.Fprintf(&b, "certificate %s: never used: %s\n", k.Key, k.Why)
	}
	return b.String()
}
