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
// where the nginx version came from.
type SettingsInfo struct {
	Settings  analysis.Settings
	NginxFrom string // "flag", the project file's path, "NGINXLS_NGINX_VERSION", "nginx -v" or "default"
	Project   string // the project file, or ""
}

// settings merges the defaults, the project file and the overrides.
func (w *Workspace) settings(p *Project) SettingsInfo {
	return w.settingsFor(p, true)
}

// settingsFor is settings; local says the configuration runs on this
// machine, whose nginx -v may then tell the version (an nginx -T dump
// comes from another).
func (w *Workspace) settingsFor(p *Project, local bool) SettingsInfo {
	w.mu.Lock()
	o := w.opts.Overrides
	w.mu.Unlock()
	s := analysis.DefaultSettings()
	info := SettingsInfo{NginxFrom: "default"}
	if p != nil {
		info.Project = p.File
		s = s.With(p.SettingValues)
		if p.Nginx != nil {
			info.NginxFrom = p.File
		}
	}
	s = s.With(o.SettingValues)
	env, envErr := config.ParseVersion(os.Getenv("NGINXLS_NGINX_VERSION"))
	switch {
	case o.Nginx != nil:
		info.NginxFrom = "flag"
	case info.NginxFrom != "default":
	case envErr == nil:
		s.Nginx, info.NginxFrom = env, "NGINXLS_NGINX_VERSION"
	case local && w.opts.DetectNginx != nil:
		if v, ok := w.detect(); ok {
			s.Nginx, info.NginxFrom = v, "nginx -v"
		}
	}
	info.Settings = s
	return info
}

func (w *Workspace) detect() (config.Version, bool) {
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
