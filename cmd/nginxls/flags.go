package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/nginxls/nginxls/analysis"
)

// flags is a subcommand's FlagSet with where its help and errors go.
type flags struct {
	*flag.FlagSet
	name, synopsis string
	stdout, stderr io.Writer
	// badSetting is why a setting's value was refused, in the words every
	// front end uses, after the flag's name.
	badSetting string
}

func newFlags(name, synopsis string, stdout, stderr io.Writer) *flags {
	fs := &flags{FlagSet: flag.NewFlagSet("nginxls "+name, flag.ContinueOnError), name: name, synopsis: synopsis, stdout: stdout, stderr: stderr}
	// The flag package would print usage on every error; parse decides.
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return fs
}

// usage prints the synopsis and the flags, spelled with two dashes as the
// documentation does (the flag package accepts both).
func (fs *flags) usage(w io.Writer) {
	sep := " "
	if strings.HasPrefix(fs.synopsis, "\n") {
		sep = ""
	}
	fmt.Fprintf(w, "Usage: nginxls %s%s%s\n", fs.name, sep, fs.synopsis)
	first := true
	fs.VisitAll(func(f *flag.Flag) {
		if first {
			fmt.Fprintln(w, "\nFlags:")
			first = false
		}
		name, text := flag.UnquoteUsage(f)
		head := "  --" + f.Name
		if name != "" {
			head += " " + name
		}
		if def := f.DefValue; def != "" && def != "false" {
			text += " (default " + def + ")"
		}
		fmt.Fprintf(w, "%s\n    \t%s\n", head, text)
	})
}

// parse reads flags and positional arguments in any order, so that
// `nginxls check a.conf --format json` works like `--format json a.conf`;
// after "--" everything is positional. When it returns ok false, the caller
// exits with code (0 after -h, 2 after a bad flag).
func (fs *flags) parse(args []string) (pos []string, code int, ok bool) {
	for {
		err := fs.Parse(args)
		if errors.Is(err, flag.ErrHelp) {
			fs.usage(fs.stdout)
			return nil, exitOK, false
		}
		if err != nil && fs.badSetting != "" {
			return nil, fs.usageError("%s", fs.badSetting), false
		}
		if err != nil {
			return nil, fs.usageError("%v", err), false
		}
		left := fs.Args()
		if n := len(args) - len(left); n > 0 && args[n-1] == "--" {
			return append(pos, left...), exitOK, true
		}
		if len(left) == 0 {
			return pos, exitOK, true
		}
		pos = append(pos, left[0])
		args = left[1:]
	}
}

// usageError reports a bad invocation the flag package cannot see.
func (fs *flags) usageError(format string, args ...any) int {
	fmt.Fprintf(fs.stderr, "nginxls %s: %s\n", fs.name, fmt.Sprintf(format, args...))
	fmt.Fprintf(fs.stderr, "Run 'nginxls help %s' for usage.\n", fs.name)
	return exitError
}

// choice is a string flag restricted to a few values.
type choice struct {
	value   string
	allowed []string
}

func (c *choice) String() string { return c.value }

func (c *choice) Set(s string) error {
	for _, a := range c.allowed {
		if s == a {
			c.value = s
			return nil
		}
	}
	return fmt.Errorf("%q is not one of %s", s, strings.Join(c.allowed, ", "))
}

// listFlag collects a repeatable flag.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }

func (l *listFlag) Set(s string) error {
	*l = append(*l, s)
	return nil
}

// settingFlag is a setting of analysis.SettingList as a flag: its value is
// parsed into values by the parser the project file and editors use.
type settingFlag struct {
	setting *analysis.Setting
	values  *analysis.SettingValues
	fs      *flags
	text    string
}

// String is "" unless set: the usage says what the default is.
func (f *settingFlag) String() string { return f.text }

func (f *settingFlag) Set(text string) error {
	if err := f.setting.Set(f.values, text); err != nil {
		f.fs.badSetting = fmt.Sprintf("--%s: %v", f.setting.Name, err)
		return err
	}
	f.text = text
	return nil
}

// ruleFlag reads repeated --rule ID=off|SEVERITY into values.Rules.
type ruleFlag struct {
	values *analysis.SettingValues
	fs     *flags
}

func (r ruleFlag) String() string { return "" }

func (r ruleFlag) Set(s string) error {
	id, v, ok := strings.Cut(s, "=")
	if !ok {
		return fmt.Errorf("want ID=off or ID=SEVERITY")
	}
	if err := r.values.SetRule(id, v, analyzers); err != nil {
		r.fs.badSetting = fmt.Sprintf("--rule: %v", err)
		return err
	}
	return nil
}
