package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// canary is a secret set in the environment of every hostile run: no
// output may ever show it, whatever the configuration makes nginxls read.
const canary = "s3cr3t-canary-value"

// hostileCase is a configuration built to make a checker leak, hang or
// exhaust memory. files are written to a folder (the first is checked);
// links are symbolic links made beside them; want is a text every output
// must show (a finding naming what was refused or bounded).
type hostileCase struct {
	name  string
	files func() map[string]string
	links map[string]string
	// sparse are files of this size made of a hole: no disk, and a reader
	// without a cap reads a gigabyte of zeros.
	sparse map[string]int64
	want   []string
}

var hostileCases = []hostileCase{
	{
		name: "environ-include",
		files: func() map[string]string {
			return map[string]string{"nginx.conf": "events {}\nhttp {\n  include /proc/self/environ;\n}\n"}
		},
		want: []string{"/proc/self/environ", "not read"},
	},
	{
		name: "environ-link",
		files: func() map[string]string {
			return map[string]string{"nginx.conf": "events {}\nhttp {\n  include env.conf;\n  include in.conf;\n}\n"}
		},
		links: map[string]string{"env.conf": "/proc/self/environ", "in.conf": "/dev/stdin"},
		want:  []string{"not read"},
	},
	{
		name: "stdin-include",
		files: func() map[string]string {
			return map[string]string{"nginx.conf": "events {}\nhttp {\n  include /dev/stdin;\n}\n"}
		},
		want: []string{"/dev/stdin", "not read"},
	},
	{
		name: "environ-certificates",
		files: func() map[string]string {
			return map[string]string{"nginx.conf": "events {}\nhttp {\n  server {\n    listen 443 ssl;\n" +
				"    ssl_certificate /proc/self/environ;\n    ssl_certificate_key /dev/stdin;\n" +
				"    ssl_dhparam /proc/self/environ;\n  }\n}\n"}
		},
		want: []string{"cannot read the certificate", "cannot read the private key", "cannot read the DH parameter file"},
	},
	{
		// An environment copied into a file: NUL-separated, no blanks, a
		// block opening at the end.
		name: "environ-copy",
		files: func() map[string]string {
			return map[string]string{
				"nginx.conf": "events {}\nhttp {\n  include env.inc;\n}\n",
				"env.inc":    "PATH=/usr/bin\x00NGINXLS_TEST_CANARY=" + canary + "\x00X=1\nserver {\n}\n",
			}
		},
		want: []string{"not a configuration"},
	},
	{
		// The secret in a word that parse errors quote.
		name: "long-word",
		files: func() map[string]string {
			long := strings.Repeat("A", 80) + canary
			return map[string]string{"nginx.conf": "events {}\nhttp {\n" + long + "\nserver {\n}\n" +
				"location " + long + " {\n  " + long + " {\n}\n" +
				"include " + long + ";\ninclude " + long + "*;\n" + "\"" + long + "\"x;\n"}
		},
		want: []string{`is not terminated by ";"`, "…"},
	},
	{
		// Every inherited add_header is copied into each server's fix.
		name:  "hsts-headers",
		files: func() map[string]string { return map[string]string{"nginx.conf": hstsHeaders(2000, 2000)} },
		want:  []string{"hsts-missing"},
	},
	{
		// Nine files that each include the next ten times: 10^9 copies.
		name:  "include-bomb",
		files: func() map[string]string { return includeBomb(9, 10) },
		want:  []string{"expands past"},
	},
	{
		name:  "deep-nesting",
		files: func() map[string]string { return map[string]string{"nginx.conf": deepNesting(100_000)} },
		want:  []string{"nest more than 1000 deep"},
	},
	{
		name: "sparse-include-and-certificate",
		files: func() map[string]string {
			return map[string]string{"nginx.conf": "events {}\nhttp {\n  include big.conf;\n" +
				"  server {\n    listen 443 ssl;\n    server_name a.example;\n" +
				"    ssl_certificate big.pem;\n    ssl_certificate_key big.key;\n  }\n}\n"}
		},
		sparse: map[string]int64{"big.conf": 1 << 30, "big.pem": 1 << 30, "big.key": 5 << 20},
		want:   []string{"this file was not analysed: it is larger than 16M, not read", "certificate was not checked: it is larger than 4M, not read", "private key was not checked: it is larger than 4M"},
	},
}

func hstsHeaders(headers, servers int) string {
	var b strings.Builder
	b.WriteString("events {}\nhttp {\n")
	for i := range headers {
		fmt.Fprintf(&b, "  add_header X-Header-%04d \"value-%04d\";\n", i, i)
	}
	for i := range servers {
		fmt.Fprintf(&b, "  server { listen 443 ssl; server_name s%d.example; }\n", i)
	}
	b.WriteString("}\n")
	return b.String()
}

func includeBomb(depth, fanout int) map[string]string {
	files := map[string]string{"nginx.conf": "events {}\nhttp {\n  include f1.conf;\n}\n"}
	for i := 1; i <= depth; i++ {
		var b strings.Builder
		for range fanout {
			if i < depth {
				fmt.Fprintf(&b, "include f%d.conf;\n", i+1)
			} else {
				b.WriteString("server { listen 443 ssl; server_name a; }\n")
			}
		}
		files[fmt.Sprintf("f%d.conf", i)] = b.String()
	}
	return files
}

func deepNesting(n int) string {
	return "events {}\nhttp {\n" + strings.Repeat("location / {\n", n) + strings.Repeat("}\n", n) + "}\n"
}

// writeHostile writes a case into dir and returns the file to check.
func writeHostile(t testing.TB, dir string, c hostileCase) string {
	for name, text := range c.files() {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for name, size := range c.sparse {
		f, err := os.Create(filepath.Join(dir, name))
		if err == nil {
			err = f.Truncate(size)
			f.Close()
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	for name, target := range c.links {
		if err := os.Symlink(target, filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
	return filepath.Join(dir, "nginx.conf")
}

// TestHostileInput checks each hostile configuration in every output
// format, under a deadline, with the canary in the environment and a file
// holding it as standard input: each run ends in time, shows the finding
// expected, and never the canary.
//
// NGINXLS_HOSTILE_DIR=DIR writes the cases into DIR/NAME instead (for
// measuring the built binary with /usr/bin/time) and runs nothing.
func TestHostileInput(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the cases read /proc and /dev")
	}
	if dir := os.Getenv("NGINXLS_HOSTILE_DIR"); dir != "" {
		for _, c := range hostileCases {
			d := filepath.Join(dir, c.name)
			if err := os.MkdirAll(d, 0o755); err != nil {
				t.Fatal(err)
			}
			writeHostile(t, d, c)
		}
		t.Skipf("cases written to %s", dir)
	}
	secret := filepath.Join(t.TempDir(), "secret.env")
	if err := os.WriteFile(secret, []byte("NGINXLS_TEST_CANARY="+canary+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range hostileCases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			main := writeHostile(t, t.TempDir(), c)
			for _, format := range []string{"text", "json", "sarif", "github"} {
				out := runHostile(t, secret, "check", "--min-severity", "hint", "--fail-on", "never", "--format", format, main)
				if strings.Contains(out, canary) {
					t.Errorf("%s output shows the canary:\n%s", format, clip(out))
				}
				for _, w := range c.want {
					if !strings.Contains(out, w) && !strings.Contains(out, strings.ReplaceAll(w, `"`, `\"`)) {
						t.Errorf("%s output lacks %q:\n%s", format, w, clip(out))
					}
				}
			}
		})
	}
}

// runHostile runs the binary with the canary in its environment and the
// secret file as standard input, killing it after 20 seconds.
func runHostile(t *testing.T, stdin string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	in, err := os.Open(stdin)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	cmd := exec.CommandContext(ctx, binary, args...)
	cmd.Env = append(os.Environ(), "NGINXLS_TEST_CANARY="+canary)
	cmd.Stdin = in
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("nginxls %s: no answer in 20 s", strings.Join(args, " "))
	}
	var ee *exec.ExitError
	if err != nil && (!errors.As(err, &ee) || ee.ExitCode() != 1) {
		t.Fatalf("nginxls %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return stdout.String() + stderr.String()
}

func clip(s string) string {
	if len(s) > 4000 {
		return s[:4000] + "\n..."
	}
	return s
}
