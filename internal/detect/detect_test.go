package detect

import (
	"io/fs"
	"testing"

	"github.com/nginxls/nginxls/analysis/workspace"
)

// Texts as the machines print them: Debian 12's were copied from one,
// the others follow their formats.
const (
	debianOSRelease = `PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
NAME="Debian GNU/Linux"
VERSION_ID="12"
VERSION="12 (bookworm)"
VERSION_CODENAME=bookworm
ID=debian
`
	rhelOSRelease = `NAME="Red Hat Enterprise Linux"
VERSION="9.4 (Plow)"
ID="rhel"
ID_LIKE="fedora"
VERSION_ID="9.4"
`
	alpineOSRelease = "NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID=3.20.3\n"
	fedoraOSRelease = "NAME=\"Fedora Linux\"\nID=fedora\nVERSION_ID=40\n"

	debianNginxV = `nginx version: nginx/1.22.1
built with OpenSSL 3.0.22 25 Aug 2026
TLS SNI support enabled
configure arguments: --with-cc-opt='-g -O2' --with-http_ssl_module
`
	runningNginxV = "nginx version: nginx/1.26.2\nbuilt with OpenSSL 3.3.1 4 Jun 2024 (running with OpenSSL 3.3.2 3 Sep 2024)\n"
	oldNginxV     = "nginx version: nginx/1.14.2\nbuilt with OpenSSL 1.1.1d  10 Sep 2019\n"

	// Debian's: openssl_init leads to no ssl_conf.
	debianCnf = `openssl_conf = openssl_init
[openssl_init]
providers = provider_sect
[provider_sect]
default = default_sect
`
	loweredCnf = `openssl_conf = default_conf
[default_conf]
ssl_conf = ssl_sect
[ssl_sect]
system_default = system_default_sect
[system_default_sect]
MinProtocol = TLSv1.2
CipherString = DEFAULT@SECLEVEL=1 # for an old client
`
)

func inputs(env map[string]string, files map[string]string, nginxV string) Inputs {
	return Inputs{
		Getenv: func(k string) string { return env[k] },
		ReadFile: func(name string) ([]byte, error) {
			if t, ok := files[name]; ok {
				return []byte(t), nil
			}
			return nil, fs.ErrNotExist
		},
		NginxV: func() string { return nginxV },
	}
}

func TestSystem(t *testing.T) {
	for _, tc := range []struct {
		name   string
		env    map[string]string
		files  map[string]string
		nginxV string
		want   workspace.System
	}{
		{"debian 12", nil, map[string]string{"/etc/os-release": debianOSRelease, "/etc/ssl/openssl.cnf": debianCnf}, debianNginxV,
			workspace.System{Platform: "debian-12", PlatformFrom: "/etc/os-release", OpenSSL: "3.0", OpenSSLFrom: "nginx -V"}},
		{"os-release in /usr/lib", nil, map[string]string{"/usr/lib/os-release": alpineOSRelease}, "",
			workspace.System{Platform: "alpine-3.20", PlatformFrom: "/usr/lib/os-release"}},
		{"rhel point release, RHEL's openssl.cnf", nil, map[string]string{"/etc/os-release": rhelOSRelease, "/etc/pki/tls/openssl.cnf": loweredCnf}, "",
			workspace.System{Platform: "rhel-9", PlatformFrom: "/etc/os-release", SecLevel: 1, SecLevelFrom: "@SECLEVEL=1 in /etc/pki/tls/openssl.cnf"}},
		{"unknown system, OpenSSL 3.3 running", nil, map[string]string{"/etc/os-release": fedoraOSRelease}, runningNginxV,
			workspace.System{OpenSSL: "3.0", OpenSSLFrom: "nginx -V", SecLevel: 2, SecLevelFrom: "OpenSSL 3.3.2's default (nginx -V)"}},
		{"OPENSSL_CONF wins", map[string]string{"OPENSSL_CONF": "/opt/ssl.cnf"},
			map[string]string{"/opt/ssl.cnf": loweredCnf, "/etc/ssl/openssl.cnf": debianCnf}, oldNginxV,
			workspace.System{OpenSSL: "1.1.1", OpenSSLFrom: "nginx -V", SecLevel: 1, SecLevelFrom: "@SECLEVEL=1 in /opt/ssl.cnf"}},
		{"NGINXLS_PLATFORM=none", map[string]string{Env: "none"}, map[string]string{"/etc/os-release": debianOSRelease}, debianNginxV,
			workspace.System{}},
		{"NGINXLS_PLATFORM names one", map[string]string{Env: "RHEL-9"}, map[string]string{"/etc/os-release": debianOSRelease}, debianNginxV,
			workspace.System{Platform: "rhel-9", PlatformFrom: Env}},
		{"nothing", nil, nil, "", workspace.System{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := System(inputs(tc.env, tc.files, tc.nginxV)); got != tc.want {
				t.Errorf("System = %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

func TestParseNginxV(t *testing.T) {
	for _, tc := range []struct{ out, built, running string }{
		{debianNginxV, "3.0.22", ""},
		{runningNginxV, "3.3.1", "3.3.2"},
		{oldNginxV, "1.1.1d", ""},
		{"nginx version: nginx/1.25.0\nbuilt by gcc 12\nconfigure arguments: --with-openssl=../openssl\n", "", ""},
	} {
		if b, r := ParseNginxV(tc.out); b != tc.built || r != tc.running {
			t.Errorf("ParseNginxV(%q) = %q, %q; want %q, %q", tc.out, b, r, tc.built, tc.running)
		}
	}
}

func TestParseOSRelease(t *testing.T) {
	for _, tc := range []struct{ text, id, ver string }{
		{debianOSRelease, "debian", "12"},
		{rhelOSRelease, "rhel", "9.4"},
		{"ID='ubuntu'\nVERSION_ID=\"24.04\"\n# ID=debian\n", "ubuntu", "24.04"},
		{"", "", ""},
	} {
		if id, ver := ParseOSRelease(tc.text); id != tc.id || ver != tc.ver {
			t.Errorf("ParseOSRelease(%q) = %q, %q; want %q, %q", tc.text, id, ver, tc.id, tc.ver)
		}
	}
}
