package workspace

import (
	"context"
	"os"
	"os/exec"
	"regexp"
	"time"

	"github.com/nginxls/nginxls/analysis"
	"github.com/nginxls/nginxls/analysis/config"
)

// Overrides are the front end's settings (flags, editor settings); each
// set one wins over the project file. Zero values are unset.
type Overrides struct {
	analysis.SettingValues
	Paths []config.PathMap
	Main  string // the main configuration to try first
}

// SettingsInfo is the settings a configuration is analysed with, and
// where the targets came from.
type SettingsInfo struct {
	Settings analysis.Settings
	// NginxFrom and OpenSSLFrom are "flag", the project file's path,
	// "NGINXLS_NGINX_VERSION", "nginx -v", "nginx -V", a platform's name
	// or "default"; PlatformFrom is "flag", the project file's path,
	// what detection read (System.PlatformFrom) or "" with no platform.
	NginxFrom, OpenSSLFrom, PlatformFrom string
	Project                              string // the project file, or ""
}

// System is what this machine says about the nginx that runs there and
// its TLS library; zero fields are unknown. The front end finds it
// (Options.DetectSystem): reading the machine is no business of the
// workspace.
type System struct {
	Platform     string // a name of negotiate.Platforms
	PlatformFrom string // what told it: "/etc/os-release", ...
	OpenSSL      string // the profile of the libssl nginx runs with
	OpenSSLFrom  string // "nginx -V"
	// SecLevel is the system configuration's level when SecLevelFrom
	// (the file that sets it) is not "".
	SecLevel     int
	SecLevelFrom string
}

// settings merges the defaults, the project file and the overrides.
func (w *Workspace) settings(p *Project) SettingsInfo {
	return w.settingsFor(p, true)
}

// settingsFor is settings; local says the configuration runs on this
// machine, whose nginx and system may then tell the targets (an nginx -T
// dump comes from another).
//
// Each target is taken from the first of: a flag or editor setting, the
// project file; then, for the nginx version and the OpenSSL profile, the
// platform so set; then what the machine says (NGINXLS_NGINX_VERSION,
// nginx -v, nginx -V, the platform os-release names and its versions,
// the system openssl.cnf's level); then the defaults. A platform set by
// hand describes another machine: this one's openssl.cnf does not count.
func (w *Workspace) settingsFor(p *Project, local bool) SettingsInfo {
	w.mu.Lock()
	o := w.opts.Overrides
	w.mu.Unlock()
	info := SettingsInfo{NginxFrom: "default", OpenSSLFrom: "default"}
	var pv analysis.SettingValues
	if p != nil {
		info.Project = p.File
		pv = p.SettingValues
	}
	from := func(flag, project bool) string {
		switch {
		case flag:
			return "flag"
		case project:
			return p.File
		}
		return ""
	}
	if f := from(o.Nginx != nil, pv.Nginx != nil); f != "" {
		info.NginxFrom = f
	}
	if f := from(o.OpenSSL != "", pv.OpenSSL != ""); f != "" {
		info.OpenSSLFrom = f
	}
	info.PlatformFrom = from(o.Platform != "", pv.Platform != "")
	s := analysis.DefaultSettings().With(pv).With(o.SettingValues)
	// The platform's versions fill what neither source set.
	var plat analysis.SettingValues
	if s.Platform != "" {
		plat = analysis.SettingValues{Platform: s.Platform}.PlatformDefaults()
	}
	settle := func(fromPlatform string) {
		if info.NginxFrom == "default" && plat.Nginx != nil {
			s.Nginx, info.NginxFrom = *plat.Nginx, fromPlatform
		}
		if info.OpenSSLFrom == "default" && plat.OpenSSL != "" {
			s.OpenSSL, info.OpenSSLFrom = plat.OpenSSL, fromPlatform
		}
	}
	settle(s.Platform)
	if info.NginxFrom == "default" {
		if env, err := config.ParseVersion(os.Getenv("NGINXLS_NGINX_VERSION")); err == nil {
			s.Nginx, info.NginxFrom = env, "NGINXLS_NGINX_VERSION"
		} else if v, ok := w.detect(local); ok {
			s.Nginx, info.NginxFrom = v, "nginx -v"
		}
	}
	if sys, ok := w.detectSystem(local); ok && info.PlatformFrom == "" {
		if info.OpenSSLFrom == "default" && sys.OpenSSL != "" {
			s.OpenSSL, info.OpenSSLFrom = sys.OpenSSL, sys.OpenSSLFrom
		}
		if sys.Platform != "" {
			s.Platform, info.PlatformFrom = sys.Platform, sys.PlatformFrom
			plat = analysis.SettingValues{Platform: s.Platform}.PlatformDefaults()
			settle(s.Platform)
		}
		if sys.SecLevelFrom != "" {
			s.SystemLevel, s.SystemLevelFrom = sys.SecLevel, sys.SecLevelFrom
		}
	}
	info.Settings = s
	return info
}

func (w *Workspace) detectSystem(local bool) (System, bool) {
	if !local || w.opts.DetectSystem == nil {
		return System{}, false
	}
	d := w.detected
	d.sysOnce.Do(func() { d.sys = w.opts.DetectSystem() })
	return d.sys, true
}

func (w *Workspace) detect(local bool) (config.Version, bool) {
	if !local || w.opts.DetectNginx == nil {
		return config.Version{}, false
	}
	d := w.detected
	d.once.Do(func() { d.v, d.ok = w.opts.DetectNginx() })
	return d.v, d.ok
}

var nginxVersion = regexp.MustCompile(`nginx/(\d+\.\d+\.\d+)`)

// NginxOnPath asks the nginx on the PATH for its version (nginx -v prints
// "nginx version: nginx/1.22.1" on standard error). NGINXLS_NGINX_VERSION,
// when set, is taken before it (settings): a CI runner without the
// server's nginx, or tests that must not depend on the machine.
func NginxOnPath() (config.Version, bool) {
	path, err := exec.LookPath("nginx")
	if err != nil {
		return config.Version{}, false
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	out, _ := exec.CommandContext(ctx, path, "-v").CombinedOutput()
	m := nginxVersion.FindSubmatch(out)
	if m == nil {
		return config.Version{}, false
	}
	v, err := config.ParseVersion(string(m[1]))
	return v, err == nil
}
