package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/nginxls/nginxls/analysis/openssl"
)

func runCiphers(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := newFlags("ciphers", "[--openssl 3.0|1.1.1|1.0.2] [-v] [--] STRING\n\n"+
		"Prints the TLS 1.2 and older cipher suites that a cipher string (the value of\n"+
		"ssl_ciphers) enables, in OpenSSL's order, one OpenSSL name per line, as\n"+
		"`openssl ciphers` does; TLS 1.3 suites are configured apart and not listed.\n"+
		"With -v each line also shows the protocol that introduced the suite, key\n"+
		"exchange, authentication, encryption, MAC and a grade (good, legacy, weak,\n"+
		"insecure). When OpenSSL would reject the string, prints its reason and exits 1.\n"+
		"Put \"--\" before a string that starts with '-'. The 1.0.2 profile models legacy\n"+
		"builds (RC4, DES, EXPORT, 3DES in HIGH).", stdout, stderr)
	profile := &choice{openssl.Profiles[0], openssl.Profiles}
	fs.Var(profile, "openssl", "the OpenSSL `version` to model: 3.0, 1.1.1 or 1.0.2")
	verbose := fs.Bool("v", false, "describe each suite")
	pos, code, ok := fs.parse(args)
	if !ok {
		return code
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
