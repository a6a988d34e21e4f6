// Command nginxls audits nginx configuration files and, in time, serves them
// to editors as a language server. This package only reads flags and prints:
// every judgement comes from the analysis packages.
package main

import (
	"fmt"
	"io"
	"os"
	"runtime/debug"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = ""

// Exit statuses shared by every subcommand.
const (
	exitOK       = 0
	exitFindings = 1
	exitError    = 2 // usage or I/O error, or an internal error of a rule
)

type command struct {
	name    string
	summary string
	run     func(args []string, stdin io.Reader, stdout, stderr io.Writer) int
}

// commands are listed by `nginxls help` in this order. They are set in init
// because help refers back to them.
var commands []command

func init() {
	commands = []command{
		{"check", "audit configuration files and directories (\"-\" reads standard input)", runCheck},
		{"rules", "list the rules", runRules},
		{"explain", "print a rule's documentation", runExplain},
		{"ciphers", "show the cipher suites a cipher string enables, in OpenSSL's order", runCiphers},
		{"serve", "start the language server (on standard input and output)", runServe},
		{"version", "print the version", runVersion},
		{"help", "print this help, or a subcommand's with `help COMMAND`", runHelp},
	}
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		// Editors start the server without arguments.
		return runServe(nil, stdin, stdout, stderr)
	}
	switch args[0] {
	case "-h", "-help", "--help":
		return runHelp(nil, stdin, stdout, stderr)
	case "-version", "--version":
		return runVersion(nil, stdin, stdout, stderr)
	}
	if c := lookupCommand(args[0]); c != nil {
		return c.run(args[1:], stdin, stdout, stderr)
	}
	fmt.Fprintf(stderr, "nginxls: unknown command %q\n\n", args[0])
	usage(stderr)
	return exitError
}

func lookupCommand(name string) *command {
	for i := range commands {
		if commands[i].name == name {
			return &commands[i]
		}
	}
	return nil
}

func usage(w io.Writer) {
	fmt.Fprint(w, `nginxls is a language server and static auditor for nginx configuration files.

Usage:
  nginxls <command> [arguments]

Commands:
`)
	for _, c := range commands {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprint(w, `
Without a command, nginxls starts the language server.
Run "nginxls help <command>" for a command's flags.
`)
}

func runHelp(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stdout)
		return exitOK
	}
	c := lookupCommand(args[0])
	if c == nil || c.name == "help" {
		fmt.Fprintf(stderr, "nginxls help: unknown command %q\n", args[0])
		return exitError
	}
	return c.run([]string{"-h"}, stdin, stdout, stderr)
}

func runVersion(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := newFlags("version", "\n\nPrints the version of nginxls.", stdout, stderr)
	pos, code, ok := fs.parse(args)
	if !ok {
		return code
	}
	if len(pos) > 0 {
		fmt.Fprintln(stderr, "nginxls version: takes no arguments")
		return exitError
	}
	fmt.Fprintf(stdout, "nginxls %s\n", buildVersion())
	return exitOK
}

func buildVersion() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "devel"
}
