package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/nginxls/nginxls/internal/testenv"
)

// fixCase runs check with every rule on a configuration under dir, the
// target being the installed nginx when there is one, and then holds the
// result to its nginx -t (conf is nginx's -c).
func fixCase(t *testing.T, dir, conf string, args ...string) (stdout, stderr string) {
	t.Helper()
	nginx, _ := exec.LookPath("nginx")
	if nginx == "" && fileExists("/usr/sbin/nginx") {
		nginx = "/usr/sbin/nginx"
	}
	cmd := exec.Command(binary, append([]string{"check", "--fail-on", "never"}, args...)...)
	cmd.Dir = dir
	if nginx != "" {
		cmd.Env = sweepEnv(nginx)
	}
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		t.Fatalf("check %s: %v\n%s", strings.Join(args, " "), err, errOut.String())
	}
	if nginx == "" {
		t.Log("nginx is not installed: the result is not run through nginx -t")
	} else if msg, ok := sweepNginxT(nginx, dir, conf, debianModules(nil, "ngx_mail_module.so")); !ok {
		t.Errorf("nginx -t rejects the result of check %s: %s", strings.Join(args, " "), msg)
	}
	return out.String(), errOut.String()
}

// certbot's options file, as older certbot releases wrote it: legacy
// protocols and DHE suites the rules want gone.
const certbotOptions = `ssl_session_cache shared:le_nginx_SSL:10m;
ssl_session_timeout 1440m;

ssl_protocols TLSv1 TLSv1.1 TLSv1.2;
ssl_prefer_server_ciphers on;

ssl_ciphers "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-AES128-SHA:ECDHE-RSA-AES128-SHA";
`

// A site that includes certbot's options file from outside the paths
// given: the file is not edited, no fix sets in the server what the file
// already sets there, and the fixes left out are listed.
func TestFixCertbotInclude(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	testenv.WriteCert(t, dir)
	le := filepath.Join(dir, "letsencrypt")
	os.Mkdir(le, 0o755)
	options := writeFile(t, le, "options-ssl-nginx.conf", certbotOptions)
	site := filepath.Join(dir, "nginx")
	os.Mkdir(site, 0o755)
	conf := writeFile(t, site, "nginx.conf", `events {}
http {
    server {
        listen 443 ssl;
        server_name app.example.com;
        ssl_certificate `+filepath.Join(dir, "cert.pem")+`;
        ssl_certificate_key `+filepath.Join(dir, "key.pem")+`;
        include `+options+`;
        location / {
            root /srv/www;
        }
    }
}
`)
	for _, args := range [][]string{{"--fix"}, {"--fix", "--unsafe-fixes"}} {
		_, stderr := fixCase(t, dir, conf, append(args, conf)...)
		if got := readFile(t, options); got != certbotOptions {
			t.Errorf("check %v edited the included file outside the paths given:\n%s", args, got)
		}
		got := readFile(t, conf)
		for _, name := range []string{"ssl_protocols", "ssl_ciphers", "ssl_prefer_server_ciphers", "ssl_session_cache", "ssl_session_timeout"} {
			if regexp.MustCompile(`(?m)^\s*` + name + `\s`).MatchString(got) {
				t.Errorf("check %v set %s beside the include that sets it:\n%s", args, name, got)
			}
		}
		if !strings.Contains(stderr, "not fixed: ") || !strings.Contains(stderr, "outside the paths given") {
			t.Errorf("check %v does not list the fixes it left out: %q", args, stderr)
		}
	}
}

// A mail server that upgrades with STARTTLS on the submission port: the
// safe fixes modernise its TLS settings and leave it a STARTTLS server,
// not one that expects TLS from the first byte.
func TestFixMailStartTLS(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	testenv.WriteCert(t, dir)
	conf := writeFile(t, dir, "nginx.conf", `events {}
mail {
    server_name mail.example.com;
    auth_http 127.0.0.1:9000/auth;
    ssl_certificate cert.pem;
    ssl_certificate_key key.pem;
    ssl_protocols TLSv1 TLSv1.1 TLSv1.2;
    server {
        listen 587;
        protocol smtp;
        starttls on;
    }
}
`)
	fixCase(t, dir, conf, "--fix", conf)
	got := readFile(t, conf)
	if !strings.Contains(got, "        listen 587;\n") || !strings.Contains(got, "starttls on;") || regexp.MustCompile(`(?m)^\s*ssl\s+on`).MatchString(got) {
		t.Errorf("the fixes changed how the server starts TLS:\n%s", got)
	}
	if strings.Contains(got, "TLSv1.1") {
		t.Errorf("the legacy protocols were not fixed:\n%s", got)
	}
}

// An HTTPS site without HSTS: the header is a behaviour change (browsers
// remember it), so only --unsafe-fixes adds it.
func TestFixHSTSUnsafeOnly(t *testing.T) {
	t.Parallel()
	const src = `events {}
http {
    server {
        listen 443 ssl;
        server_name app.example.com;
        ssl_certificate cert.pem;
        ssl_certificate_key key.pem;
        location / {
            root /srv/www;
        }
    }
}
`
	for _, unsafe := range []bool{false, true} {
		dir := t.TempDir()
		testenv.WriteCert(t, dir)
		conf := writeFile(t, dir, "nginx.conf", src)
		args := []string{"--fix"}
		if unsafe {
			args = append(args, "--unsafe-fixes")
		}
		fixCase(t, dir, conf, append(args, conf)...)
		got := readFile(t, conf)
		if has := strings.Contains(got, "Strict-Transport-Security"); has != unsafe {
			t.Errorf("check %v: Strict-Transport-Security added: %v, want %v\n%s", args, has, unsafe, got)
		}
		if got == src {
			t.Errorf("check %v fixed nothing", args)
		}
	}
}

// Unsafe fixes stay out of --fix in a run over several files too: a
// server whose findings come from the analysis cache (its file unchanged
// by the previous round) keeps its fixes' Unsafe mark.
func TestFixUnsafeStaysOutAcrossFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	testenv.WriteCert(t, dir)
	cert := "    ssl_certificate cert.pem;\n    ssl_certificate_key key.pem;\n"
	os.WriteFile(filepath.Join(dir, "a.conf"), []byte("server {\n    server_name a.example;\n    ssl on;\n"+cert+"}\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "b.conf"), []byte("server {\n    listen 443 ssl;\n    server_name b.example;\n"+cert+"}\n"), 0o644)
	r := runBinary(t, binary, "", "check", "--diff", "--nginx-version", "1.28.0", dir)
	if !strings.Contains(r.stdout, "+++ b/") {
		t.Fatalf("no fixes at all:\n%s%s", r.stdout, r.stderr)
	}
	if strings.Contains(r.stdout, "Strict-Transport-Security") {
		t.Errorf("--diff without --unsafe-fixes adds HSTS:\n%s", r.stdout)
	}
	r = runBinary(t, binary, "", "check", "--diff", "--unsafe-fixes", "--nginx-version", "1.28.0", dir)
	if strings.Count(r.stdout, "Strict-Transport-Security") != 2 {
		t.Errorf("--unsafe-fixes does not add HSTS to both servers:\n%s", r.stdout)
	}
}
