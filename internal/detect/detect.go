// Package detect reads what this machine says about the nginx it runs:
// the platform (/etc/os-release), the OpenSSL nginx was built and runs
// with (nginx -V) and the security level the system OpenSSL configuration
// sets. The front ends hand it to the workspace (Options.DetectSystem),
// which keeps reading the machine out of the analysis. Every input comes
// through Inputs, so that tests give texts instead of a machine.
package detect

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"time"

	"github.com/nginxls/nginxls/analysis/config"
	"github.com/nginxls/nginxls/analysis/negotiate"
	"github.com/nginxls/nginxls/analysis/openssl"
	"github.com/nginxls/nginxls/analysis/workspace"
)

// Inputs are where detection reads: the environment, files and the
// output of nginx -V ("" when there is no nginx).
type Inputs struct {
	Getenv   func(string) string
	ReadFile func(string) ([]byte, error)
	NginxV   func() string
}

// Machine is this machine's inputs.
var Machine = Inputs{Getenv: os.Getenv, ReadFile: readSmall, NginxV: nginxV}

// OnThisMachine is System on this machine's inputs.
func OnThisMachine() workspace.System { return System(Machine) }

// Env turns detection off when set: "none", for CI runners and tests
// whose findings must not depend on the machine, or a platform's name,
// which is then taken as what the machine is.
const Env = "NGINXLS_PLATFORM"

// OSReleaseFiles are where os-release(5) says the file is, in order.
var OSReleaseFiles = []string{"/etc/os-release", "/usr/lib/os-release"}

// OpenSSLConfFiles are where the system configuration is when
// OPENSSL_CONF names none: Debian, Ubuntu and Alpine's OPENSSLDIR, then
// RHEL's.
var OpenSSLConfFiles = []string{"/etc/ssl/openssl.cnf", "/etc/pki/tls/openssl.cnf"}

// System says what the inputs tell: each field only when they do.
func System(in Inputs) workspace.System {
	var sys workspace.System
	if v := in.Getenv(Env); v != "" {
		if p, ok := negotiate.LookupPlatform(v); ok {
			sys.Platform, sys.PlatformFrom = p.Name, Env
		}
		return sys
	}
	for _, f := range OSReleaseFiles {
		data, err := in.ReadFile(f)
		if err != nil {
			continue
		}
		id, ver := ParseOSRelease(string(data))
		if p, ok := negotiate.PlatformForOS(id, ver); ok {
			sys.Platform, sys.PlatformFrom = p.Name, f
		}
		break
	}
	var running string
	if in.NginxV != nil {
		built, run := ParseNginxV(in.NginxV())
		running = run
		if running == "" {
			running = built
		}
	}
	if running != "" {
		sys.OpenSSL, sys.OpenSSLFrom = openssl.Canonical(running), "nginx -V"
	}
	conf := in.Getenv("OPENSSL_CONF")
	files := OpenSSLConfFiles
	if conf != "" {
		files = []string{conf}
	}
	for _, f := range files {
		data, err := in.ReadFile(f)
		if err != nil {
			continue
		}
		if sc := negotiate.ParseSystemConf(data); sc.SecLevel >= 0 {
			sys.SecLevel, sys.SecLevelFrom = sc.SecLevel, fmt.Sprintf("@SECLEVEL=%d in %s", sc.SecLevel, f)
		}
		break
	}
	// OpenSSL 3.2 raised its own default to 2; a platform's table says
	// what its build does, so this counts only without one.
	if sys.SecLevelFrom == "" && sys.Platform == "" && running != "" && atLeast32(running) {
		sys.SecLevel, sys.SecLevelFrom = 2, "OpenSSL "+running+"'s default (nginx -V)"
	}
	return sys
}

// ParseOSRelease reads ID and VERSION_ID from an os-release file; values
// may be quoted.
func ParseOSRelease(text string) (id, versionID string) {
	for _, line := range strings.Split(text, "\n") {
		k, v, ok := strings.Cut(strings.TrimSpace(line), "=")
		if !ok {
			continue
		}
		v = strings.Trim(strings.TrimSpace(v), `"'`)
		switch k {
		case "ID":
			id = v
		case "VERSION_ID":
			versionID = v
		}
	}
	return id, versionID
}

var (
	builtRE   = regexp.MustCompile(`(?m)^built with OpenSSL (\S+)`)
	runningRE = regexp.MustCompile(`\(running with OpenSSL (\S+?)[ )]`)
)

// ParseNginxV reads the OpenSSL versions of nginx -V's output: "built with
// OpenSSL 3.0.11 19 Sep 2023", and "(running with OpenSSL 3.0.13 ...)"
// when the library loaded is another.
func ParseNginxV(out string) (built, running string) {
	if m := builtRE.FindStringSubmatch(out); m != nil {
		built = m[1]
	}
	if m := runningRE.FindStringSubmatch(out); m != nil {
		running = m[1]
	}
	return built, running
}

func atLeast32(version string) bool {
	v, err := config.ParseVersion(strings.TrimRight(version, "abcdefghijklmnopqrstuvwxyz-"))
	return err == nil && v.AtLeast(config.MustVersion("3.2.0"))
}

// readSmall reads a system file through the careful reader: these are a
// few kilobytes.
func readSmall(name string) ([]byte, error) { return config.ReadFileLimit(name, 1<<20) }

func nginxV() string {
	path, err := exec.LookPath("nginx")
	if err != nil {
		return ""
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	out, _ := exec.CommandContext(ctx, path, "-V").CombinedOutput()
	return string(out)
}
