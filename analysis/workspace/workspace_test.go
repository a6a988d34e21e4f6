package workspace

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/nginxls/nginxls/analysis"
	"github.com/nginxls/nginxls/analysis/config"
	"github.com/nginxls/nginxls/analysis/rules"
	"github.com/nginxls/nginxls/internal/testenv"
)

// copyTree copies a tree of testdata/trees into a fresh folder (links
// kept) and returns it.
func copyTree(t *testing.T, name string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(filepath.Join(testenv.RepoRoot(t), "testdata", "trees", name))); err != nil {
		t.Fatal(err)
	}
	// os.CopyFS copies a link's target as a file: restore the link.
	app := filepath.Join(dir, "sites-enabled", "app")
	if _, err := os.Lstat(app); err == nil {
		os.Remove(app)
		if err := os.Symlink("../sites-available/app", app); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// check is nginxls check of the paths: folders stand for the files in them.
func check(t *testing.T, paths ...string) Report {
	t.Helper()
	ws := New(Options{Analyzers: rules.All})
	var files []string
	for _, p := range paths {
		if st, err := os.Stat(p); err == nil && st.IsDir() {
			in, errs := ws.FilesIn(p)
			if len(errs) > 0 {
				t.Fatal(errs)
			}
			files = append(files, in...)
			continue
		}
		files = append(files, p)
	}
	return ws.Check(context.Background(), files)
}

// findings lists a report's findings as "file:line rule severity", file
// relative to dir.
func findings(dir string, diags []analysis.Diagnostic) []string {
	var out []string
	for _, d := range diags {
		rel, _ := filepath.Rel(dir, d.File.Name)
		line := strings.Count(string(d.File.Src[:d.Span.Start]), "\n") + 1
		out = append(out, fmt.Sprintf("%s:%d %s %s", rel, line, d.Rule, d.Severity))
	}
	return out
}

func has(list []string, sub string) bool {
	for _, s := range list {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// The site file of a Debian + certbot copy, checked alone, through its
// folder, or through the sites-enabled link, is judged inside nginx.conf
// with the certbot options and the snippet it includes.
func TestSiteJudgedInItsConfiguration(t *testing.T) {
	dir := copyTree(t, "debian-certbot")
	site := filepath.Join(dir, "sites-available", "app")
	alone := findings(dir, check(t, site).Diagnostics)
	for _, want := range []string{
		"snippets/security-headers.conf:3 tls-curve-weak", // the snippet's weak curve
		"sites-available/app:18 tls-cert-config warning",  // the mapped certificate is absent
		"sites-available/app:17 tls-early-data info",      // the parent's 0-RTT, inherited
	} {
		if !has(alone, want) {
			t.Errorf("checked alone, missing %q in\n%s", want, strings.Join(alone, "\n"))
		}
	}
	for _, false_ := range []string{
		"sites-available/app:17 tls-cert-config error", // "no ssl_certificate": options-ssl-nginx.conf and the site set it
		"tls-cipher-default-implicit",                  // the certbot options set ssl_ciphers
		"hsts-missing",                                 // the snippet adds the header
		"forwarded-proto",                              // proxy_params sets X-Forwarded-Proto
		"nginx-include",                                // every include is found
		"tls-protocol-legacy-tls",                      // the certbot options override the parent's TLSv1
	} {
		if has(alone, false_) {
			t.Errorf("checked alone, false finding %q in\n%s", false_, strings.Join(alone, "\n"))
		}
	}
	// The folder, and the file through its link, say the same of it.
	inSite := func(fs []string) []string {
		var out []string
		for _, f := range fs {
			if strings.HasPrefix(f, "sites-available/app:") || strings.HasPrefix(f, "sites-enabled/app:") {
				out = append(out, strings.Replace(f, "sites-enabled/", "sites-available/", 1))
			}
		}
		return out
	}
	folder := inSite(findings(dir, check(t, dir).Diagnostics))
	if strings.Join(folder, "\n") != strings.Join(inSite(alone), "\n") {
		t.Errorf("the folder's check says of the site\n%s\nchecked alone\n%s", strings.Join(folder, "\n"), strings.Join(inSite(alone), "\n"))
	}
	link := inSite(findings(dir, check(t, filepath.Join(dir, "sites-enabled", "app")).Diagnostics))
	if strings.Join(link, "\n") != strings.Join(inSite(alone), "\n") {
		t.Errorf("through the link\n%s\nchecked alone\n%s", strings.Join(link, "\n"), strings.Join(inSite(alone), "\n"))
	}
	// The parent's weak protocols are reported in nginx.conf when the
	// folder is checked.
	if all := findings(dir, check(t, dir).Diagnostics); !has(all, "nginx.conf:15 tls-protocol-legacy-tls") || !has(all, "nginx.conf:17 tls-early-data warning") {
		t.Errorf("the folder's check misses nginx.conf's TLSv1:\n%s", strings.Join(all, "\n"))
	}
}

// Without the [paths] mapping, /etc/letsencrypt cannot be read: the
// include is reported once, as a warning naming the mapping, and what it
// may set is not reported missing.
func TestUnmappedIncludeHoldsBack(t *testing.T) {
	if _, err := os.Stat("/etc/letsencrypt/options-ssl-nginx.conf"); err == nil {
		t.Skip("this machine has /etc/letsencrypt/options-ssl-nginx.conf")
	}
	dir := copyTree(t, "debian-certbot")
	if err := os.WriteFile(filepath.Join(dir, ".nginxls.toml"), []byte("nginx-version = \"1.22.1\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	rep := check(t, filepath.Join(dir, "sites-available", "app"))
	got := findings(dir, rep.Diagnostics)
	includes := 0
	for _, d := range rep.Diagnostics {
		if d.Rule == "nginx-include" {
			includes++
			if d.Severity != analysis.Warning || !strings.Contains(d.Message, "--path /etc/letsencrypt=DIR") {
				t.Errorf("include finding: %s %s", d.Severity, d.Message)
			}
		}
		if d.Severity == analysis.Error && strings.HasSuffix(d.File.Name, "sites-available/app") {
			t.Errorf("an error on the server although what it lacks may be in the unread include: %s", d.Message)
		}
	}
	if includes != 1 {
		t.Errorf("%d nginx-include findings, want 1:\n%s", includes, strings.Join(got, "\n"))
	}
	for _, held := range []string{"tls-cipher-default-implicit", "tls-mozilla-profile", "tls-session-tickets"} {
		if has(got, held) {
			t.Errorf("%s not held back:\n%s", held, strings.Join(got, "\n"))
		}
	}
	if !has(got, "tls-curve-weak") {
		t.Errorf("a finding on a written value was held back too:\n%s", strings.Join(got, "\n"))
	}
}

// A copy of /etc/nginx is checked as itself: its absolute includes never
// reach this machine's /etc/nginx.
func TestCopyOfEtcNginxStaysInside(t *testing.T) {
	dir := copyTree(t, "debian-certbot")
	ws := New(Options{Analyzers: rules.All})
	res, err := ws.Analyze(context.Background(), filepath.Join(dir, "nginx.conf"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range res.Config.Files {
		if !strings.HasPrefix(f.Name, dir+string(filepath.Separator)) {
			t.Errorf("read %s, outside the copy", f.Name)
		}
	}
	if len(res.Config.Files) < 6 {
		t.Errorf("only %d files loaded", len(res.Config.Files))
	}
}

// Hostile trees end with a finding or an error, never a hang: a cycle, a
// glob over many files, a link loop, an unreadable folder, a FIFO, a
// device.
func TestHostileTrees(t *testing.T) {
	cases := map[string]func(t *testing.T, dir string) string{
		"cycle": func(t *testing.T, dir string) string {
			os.WriteFile(filepath.Join(dir, "a.conf"), []byte("include b.conf;\n"), 0o644)
			os.WriteFile(filepath.Join(dir, "b.conf"), []byte("include a.conf;\n"), 0o644)
			return "include a.conf;"
		},
		"glob over 50,000 files": func(t *testing.T, dir string) string {
			sub := filepath.Join(dir, "many")
			os.Mkdir(sub, 0o755)
			for i := 0; i < 50_000; i++ {
				os.WriteFile(filepath.Join(sub, fmt.Sprintf("%05d.conf", i)), nil, 0o644)
			}
			return "include many/*.conf;"
		},
		"link loop": func(t *testing.T, dir string) string {
			os.Symlink("loop2.conf", filepath.Join(dir, "loop1.conf"))
			os.Symlink("loop1.conf", filepath.Join(dir, "loop2.conf"))
			return "include loop1.conf;"
		},
		"unreadable folder": func(t *testing.T, dir string) string {
			if os.Geteuid() == 0 {
				t.Skip("root reads every folder")
			}
			sub := filepath.Join(dir, "locked")
			os.Mkdir(sub, 0o755)
			os.WriteFile(filepath.Join(sub, "x.conf"), []byte("gzip on;\n"), 0o644)
			os.Chmod(sub, 0)
			t.Cleanup(func() { os.Chmod(sub, 0o755) })
			return "include locked/x.conf;"
		},
		"fifo": func(t *testing.T, dir string) string {
			if err := syscall.Mkfifo(filepath.Join(dir, "p.conf"), 0o644); err != nil {
				t.Skip("no FIFOs here")
			}
			return "include p.conf;"
		},
		"device": func(t *testing.T, dir string) string { return "include /dev/zero;" },
	}
	for name, setup := range cases {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			os.WriteFile(filepath.Join(dir, ".nginxls.toml"), nil, 0o644)
			inc := setup(t, dir)
			main := filepath.Join(dir, "nginx.conf")
			os.WriteFile(main, []byte("events {}\nhttp {\n    "+inc+"\n}\n"), 0o644)
			done := make(chan Report, 1)
			go func() { done <- check(t, main) }()
			select {
			case rep := <-done:
				if len(rep.Diagnostics) == 0 && len(rep.Errors) == 0 {
					t.Errorf("nothing said")
				}
				for _, d := range rep.Diagnostics {
					if d.Rule == "nginx-include" {
						return
					}
				}
				if name != "glob over 50,000 files" {
					t.Errorf("no nginx-include finding: %v", findings(dir, rep.Diagnostics))
				}
			case <-time.After(30 * time.Second):
				t.Fatal("the check hangs")
			}
		})
	}
}

// nginx -T's output names certificates of the machine it ran on: those
// here are read and judged, those not here are said not to be checked,
// never to stop nginx.
func TestDumpCertificates(t *testing.T) {
	dir := t.TempDir()
	testenv.WriteCert(t, dir)
	dump := "# configuration file /etc/nginx/nginx.conf:\nevents {}\nhttp {\n" +
		"    server { listen 443 ssl; server_name here; ssl_certificate " + filepath.Join(dir, "cert.pem") + "; ssl_certificate_key " + filepath.Join(dir, "key.pem") + "; }\n" +
		"    server { listen 443 ssl; server_name there; ssl_certificate /nonexistent/live/x/fullchain.pem; ssl_certificate_key /nonexistent/live/x/privkey.pem; }\n" +
		"}\n"
	ws := New(Options{Analyzers: rules.All})
	rep, err := ws.CheckDump(context.Background(), []byte(dump))
	if err != nil {
		t.Fatal(err)
	}
	notChecked := 0
	readHere := false
	for _, d := range rep.Diagnostics {
		if d.Rule != "tls-cert-config" && d.Rule != "tls-cert-validity" {
			continue
		}
		if strings.Contains(d.Message, "refuses to start") && strings.Contains(d.Message, "nonexistent") {
			t.Errorf("a certificate absent here is said to stop nginx: %s", d.Message)
		}
		if strings.Contains(d.Message, "not checked") {
			notChecked++
		}
		// The throw-away certificate is self-signed: only a certificate
		// that was read can be found to be.
		readHere = readHere || d.Rule == "tls-cert-validity" && strings.Contains(d.Message, "self-signed")
	}
	if notChecked != 2 {
		t.Errorf("%d findings say a file was not checked, want 2 (certificate and key): %v", notChecked, findings("/", rep.Diagnostics))
	}
	if !readHere {
		t.Errorf("the certificate on this machine was not read: %v", findings("/", rep.Diagnostics))
	}
}

// Debian links sites with absolute paths (sites-enabled/default ->
// /etc/nginx/sites-available/default): in a copy the link leads to the
// copy's own file, and findings are named by it.
func TestCopyFollowsAbsoluteLinksInside(t *testing.T) {
	dir := copyTree(t, "debian-certbot")
	os.WriteFile(filepath.Join(dir, "sites-available", "default"), []byte("server {\n    listen 80 default_server;\n    ssl_protocols SSLv3;\n}\n"), 0o644)
	if err := os.Symlink("/etc/nginx/sites-available/default", filepath.Join(dir, "sites-enabled", "default")); err != nil {
		t.Fatal(err)
	}
	got := findings(dir, check(t, filepath.Join(dir, "nginx.conf")).Diagnostics)
	if !has(got, "sites-available/default:3 tls-protocol-sslv3") {
		t.Errorf("the copy's linked site was not read as itself:\n%s", strings.Join(got, "\n"))
	}
	if has(got, "nginx-include") {
		t.Errorf("an include failed:\n%s", strings.Join(got, "\n"))
	}
}

// A copy reads nothing of this machine outside its folders: a certificate
// elsewhere is "not checked" until its folder is mapped.
func TestCopyIsConfined(t *testing.T) {
	dir := t.TempDir()
	certs := t.TempDir()
	testenv.WriteCert(t, certs)
	os.WriteFile(filepath.Join(dir, ".nginxls.toml"), nil, 0o644)
	main := filepath.Join(dir, "nginx.conf")
	os.WriteFile(main, []byte("events {}\nhttp {\n    server {\n        listen 443 ssl;\n        server_name test;\n"+
		"        ssl_certificate /srv/tls/cert.pem;\n        ssl_certificate_key /srv/tls/key.pem;\n"+
		"        ssl_trusted_certificate "+filepath.Join(certs, "cert.pem")+";\n    }\n}\n"), 0o644)
	got := findings(dir, check(t, main).Diagnostics)
	rep := check(t, main)
	notChecked := 0
	for _, d := range rep.Diagnostics {
		if strings.Contains(d.Message, "not checked") {
			notChecked++
		}
		if strings.Contains(d.Message, "self-signed") {
			t.Errorf("this machine's certificate was judged: %s", d.Message)
		}
	}
	if notChecked == 0 {
		t.Errorf("no finding says the certificates were not checked:\n%s", strings.Join(got, "\n"))
	}
	// Mapped, the same certificates are read and judged.
	ws := New(Options{Analyzers: rules.All, Overrides: Overrides{Paths: []config.PathMap{{From: "/srv/tls", To: certs}}}})
	mapped := ws.Check(context.Background(), []string{main})
	judged := false
	for _, d := range mapped.Diagnostics {
		judged = judged || strings.Contains(d.Message, "self-signed")
	}
	if !judged {
		t.Errorf("the mapped certificate was not read:\n%s", strings.Join(findings(dir, mapped.Diagnostics), "\n"))
	}
}

// A file no main configuration includes does not know nginx's prefix: a
// relative include missing next to it is a warning, not "nginx will not
// start".
func TestLonelyFragmentInclude(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, ".nginxls.toml"), nil, 0o644) // the search stops here
	site := filepath.Join(dir, "site.conf")
	os.WriteFile(site, []byte("server {\n    listen 443 ssl;\n    include snippets/ssl-params.conf;\n}\n"), 0o644)
	rep := check(t, site)
	for _, d := range rep.Diagnostics {
		if d.Rule == "nginx-include" {
			if d.Severity != analysis.Warning || !strings.Contains(d.Message, "not known") {
				t.Errorf("include finding: %s %s", d.Severity, d.Message)
			}
			return
		}
	}
	t.Errorf("no nginx-include finding: %v", findings(dir, rep.Diagnostics))
}

// A dump's nginx is another machine's: this machine's nginx -v does not
// set its version, as it does for a configuration on this machine.
func TestDumpIgnoresLocalNginx(t *testing.T) {
	t.Setenv("NGINXLS_NGINX_VERSION", "")
	local := func() (config.Version, bool) { return config.MustVersion("1.22.1"), true }
	ws := New(Options{Analyzers: rules.All, DetectNginx: local})
	rep, err := ws.CheckDump(context.Background(), []byte("# configuration file /etc/nginx/nginx.conf:\nevents {}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if si := rep.Settings[0]; si.NginxFrom != "default" || si.Settings.Nginx == config.MustVersion("1.22.1") {
		t.Errorf("the dump was given this machine's nginx: %+v", si)
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, ".nginxls.toml"), nil, 0o644)
	os.WriteFile(filepath.Join(dir, "nginx.conf"), []byte("events {}\n"), 0o644)
	rep = ws.Check(context.Background(), []string{filepath.Join(dir, "nginx.conf")})
	if si := rep.Settings[0]; si.NginxFrom != "nginx -v" || si.Settings.Nginx != config.MustVersion("1.22.1") {
		t.Errorf("a local configuration did not take nginx -v: %+v", si)
	}
	if !IsDump([]byte("# configuration file /etc/nginx/nginx.conf:\r\nevents {}\n")) || IsDump([]byte("events {}\n# configuration file x:\n")) {
		t.Error("IsDump")
	}
}

// A repository's nginx.conf without the files nginx's packages install
// beside it (mime.types, fastcgi_params): their absence is a note, not
// "nginx will not start", since nginx finds them where it runs.
func TestPackagedFilesAbsentFromACopy(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, ".nginxls.toml"), nil, 0o644)
	main := filepath.Join(dir, "nginx.conf")
	os.WriteFile(main, []byte("events {}\nhttp {\n    include mime.types;\n    include /etc/nginx/fastcgi_params;\n    include own.conf;\n}\n"), 0o644)
	rep := check(t, main)
	var got []string
	for _, d := range rep.Diagnostics {
		if d.Rule == "nginx-include" {
			got = append(got, fmt.Sprintf("%s %s", d.Severity, filepath.Base(strings.Fields(d.Message)[0])))
		}
	}
	// own.conf is the repository's own: its absence does stop nginx.
	want := "info mime.types|info fastcgi_params|error open()"
	if strings.Join(got, "|") != want {
		t.Errorf("include findings %q, want %q", strings.Join(got, "|"), want)
	}
}

// The project file's main names the configuration of files the search
// above them would not find (it lies in a folder beside theirs).
func TestProjectMain(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, ".nginxls.toml"), []byte("main = \"conf/main.conf\"\n"), 0o644)
	os.MkdirAll(filepath.Join(dir, "conf"), 0o755)
	os.MkdirAll(filepath.Join(dir, "sites"), 0o755)
	main := filepath.Join(dir, "conf", "main.conf")
	os.WriteFile(main, []byte("events {}\nhttp {\n    ssl_protocols TLSv1 TLSv1.2;\n    include ../sites/app.conf;\n}\n"), 0o644)
	site := filepath.Join(dir, "sites", "app.conf")
	os.WriteFile(site, []byte("server {\n    listen 443 ssl;\n}\n"), 0o644)
	ws := New(Options{Analyzers: rules.All})
	roots, err := ws.RootsOf(site)
	if err != nil || len(roots) != 1 || roots[0] != main {
		t.Fatalf("roots of the site: %v %v, want [%s]", roots, err, main)
	}
	got := findings(dir, ws.Check(context.Background(), []string{site}).Diagnostics)
	if !has(got, "sites/app.conf:2 tls-protocol-legacy-tls info") {
		t.Errorf("the site does not hear what it inherits from the project's main configuration:\n%s", strings.Join(got, "\n"))
	}
}

// A copy whose sites-enabled is itself a link to /etc/nginx/sites-available
// lists the copy's own sites, never this machine's.
func TestCopyFolderLinkIsMapped(t *testing.T) {
	dir := t.TempDir()
	os.Mkdir(filepath.Join(dir, ".git"), 0o755)
	os.Mkdir(filepath.Join(dir, "sites-available"), 0o755)
	main := filepath.Join(dir, "nginx.conf")
	os.WriteFile(main, []byte("events {}\nhttp {\n    include sites-enabled/*;\n}\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "sites-available", "copyonly"), []byte("server {\n    listen 80;\n    ssl_protocols SSLv3;\n}\n"), 0o644)
	if err := os.Symlink("/etc/nginx/sites-available", filepath.Join(dir, "sites-enabled")); err != nil {
		t.Fatal(err)
	}
	got := findings(dir, check(t, main).Diagnostics)
	if !has(got, "sites-enabled/copyonly:3 tls-protocol-sslv3") && !has(got, "sites-available/copyonly:3 tls-protocol-sslv3") {
		t.Errorf("the copy's site was not read:\n%s", strings.Join(got, "\n"))
	}
	if has(got, "nginx-include") {
		t.Errorf("an include failed:\n%s", strings.Join(got, "\n"))
	}
}

// A copy reads its repository's own files, even outside the main
// configuration's folder (include ../shared/tls.conf).
func TestCopyReadsItsRepository(t *testing.T) {
	repo := t.TempDir()
	os.Mkdir(filepath.Join(repo, ".git"), 0o755)
	os.MkdirAll(filepath.Join(repo, "nginx"), 0o755)
	os.MkdirAll(filepath.Join(repo, "shared"), 0o755)
	main := filepath.Join(repo, "nginx", "nginx.conf")
	os.WriteFile(main, []byte("events {}\nhttp {\n    include ../shared/tls.conf;\n}\n"), 0o644)
	os.WriteFile(filepath.Join(repo, "shared", "tls.conf"), []byte("ssl_protocols SSLv3;\n"), 0o644)
	got := findings(repo, check(t, main).Diagnostics)
	if !has(got, "shared/tls.conf:1 tls-protocol-sslv3") || has(got, "nginx-include") {
		t.Errorf("the repository's shared file was not read:\n%s", strings.Join(got, "\n"))
	}
}

// Checking a copy's sites-enabled/default, an absolute link to
// /etc/nginx/sites-available/default, judges the copy's file.
func TestCopyLinkGivenAlone(t *testing.T) {
	dir := copyTree(t, "debian-certbot")
	os.WriteFile(filepath.Join(dir, "sites-available", "zzcopy"), []byte("server {\n    listen 80;\n    ssl_protocols SSLv3;\n}\n"), 0o644)
	link := filepath.Join(dir, "sites-enabled", "zzcopy")
	if err := os.Symlink("/etc/nginx/sites-available/zzcopy", link); err != nil {
		t.Fatal(err)
	}
	rep := check(t, link)
	if len(rep.Errors) > 0 {
		t.Fatalf("errors: %v", rep.Errors)
	}
	if got := findings(dir, rep.Diagnostics); !has(got, "zzcopy:3 tls-protocol-sslv3") {
		t.Errorf("the copy's site behind the link was not judged:\n%s", strings.Join(got, "\n"))
	}
}

// A folder's check leaves out what sits in sites-available but is no
// site: notes, editor and package manager leftovers.
func TestFilesInSkipsNonSites(t *testing.T) {
	dir := t.TempDir()
	os.Mkdir(filepath.Join(dir, "sites-available"), 0o755)
	for _, n := range []string{"default", "example.com", "README.md", "app~", "default.dpkg-dist", "app.bak"} {
		os.WriteFile(filepath.Join(dir, "sites-available", n), []byte("server { listen 80; }\n"), 0o644)
	}
	files, _ := New(Options{}).FilesIn(dir)
	var names []string
	for _, f := range files {
		names = append(names, filepath.Base(f))
	}
	if strings.Join(names, " ") != "default example.com" {
		t.Errorf("files of the folder: %v", names)
	}
}
