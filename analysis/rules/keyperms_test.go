package rules_test

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/nginxls/nginxls/analysis"
	"github.com/nginxls/nginxls/analysis/analysistest"
	"github.com/nginxls/nginxls/analysis/config"
	"github.com/nginxls/nginxls/analysis/rules"
)

// Key and passphrase files on the disk, with the modes people give them.
func TestKeyFilePermissions(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("file modes mean nothing on Windows")
	}
	dir := t.TempDir()
	// Open the test's own directories to other users, as /etc/nginx is.
	for _, d := range []string{filepath.Dir(dir), dir} {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for d := filepath.Dir(filepath.Dir(dir)); ; d = filepath.Dir(d) {
		if fi, err := os.Stat(d); err != nil || fi.Mode().Perm()&0o001 == 0 {
			t.Skipf("%s is closed to other users: no file under it is readable by them", d)
		}
		if d == filepath.Dir(d) {
			break
		}
	}
	// Let's Encrypt's layout: a readable key behind a closed directory,
	// reached through a link.
	archive := filepath.Join(dir, "archive")
	if err := os.Mkdir(archive, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(archive, "privkey1.pem"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(filepath.Join(archive, "privkey1.pem"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("archive/privkey1.pem", filepath.Join(dir, "privkey.pem")); err != nil {
		t.Fatal(err)
	}
	for name, mode := range map[string]os.FileMode{
		"private.key": 0o600, "group.key": 0o640, "world.key": 0o644, "open.key": 0o666,
		"pass.txt": 0o604, "cert.pem": 0o644,
	} {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, mode); err != nil { // past the umask
			t.Fatal(err)
		}
	}
	conf := `events {}
http {
    ssl_password_file pass.txt;
    server { listen 443 ssl; ssl_certificate cert.pem; ssl_certificate_key private.key; }
    server { listen 444 ssl; ssl_certificate cert.pem; ssl_certificate_key group.key; }
    server { listen 445 ssl; ssl_certificate cert.pem; ssl_certificate_key world.key; }
    server { listen 446 ssl; ssl_certificate cert.pem; ssl_certificate_key open.key;
             location / { proxy_pass https://b; proxy_ssl_certificate_key world.key; } }
    server { listen 447 ssl; ssl_certificate cert.pem; ssl_certificate_key $ssl_server_name.key; }
    server { listen 448 ssl; ssl_certificate cert.pem; ssl_certificate_key missing.key; }
    server { listen 449 ssl; ssl_certificate cert.pem; ssl_certificate_key privkey.pem; }
}
`
	main := filepath.Join(dir, "nginx.conf")
	if err := os.WriteFile(main, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.LoadTree(config.OSFS{}, main, nil)
	if err != nil {
		t.Fatal(err)
	}
	diags, _ := analysis.Run(cfg, []*analysis.Analyzer{rules.KeyFilePermissions}, analysis.DefaultSettings())
	analysistest.CheckMessages(t, diags)
	var got []string
	for _, d := range diags {
		got = append(got, d.File.Text(d.Span)+": "+strings.ReplaceAll(d.Message, dir+"/", ""))
	}
	want := []string{
		"pass.txt: the passphrase file pass.txt can be read by every user of this machine (mode 0604): chmod 600, owned by root",
		"world.key: the private key world.key can be read by every user of this machine (mode 0644): chmod 600, owned by root",
		"open.key: the private key open.key can be written (replaced) by every user of this machine (mode 0666): chmod 600, owned by root",
		"world.key: the private key world.key can be read by every user of this machine (mode 0644): chmod 600, owned by root",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
