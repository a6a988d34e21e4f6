package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/textproto"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nginxls/nginxls/analysis"
)

// TestSettingsEdges feeds the same values to the three places settings are
// read (a flag of check, a key of .nginxls.toml, the editor's settings)
// and wants the same verdict from each: accepted by all, or refused by all
// in the words of the one parser.
func TestSettingsEdges(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string // a setting of analysis.SettingList, or "rule ID"
		value string
	}{
		{"nginx-version", "1.x"},
		{"nginx-version", "latest"},
		{"nginx-version", "1.24.0"},
		{"openssl", "3.1"},
		{"openssl", "1.0.2"},
		{"platform", "debian-11"},
		{"platform", "RHEL-9"},
		{"platform", "nginx-docker"},
		{"profile", "loose"},
		{"profile", "Modern"},
		{"profile", "old"},
		{"cert-expiry-days", "-1"},
		{"cert-expiry-days", "14"},
		{"rule no-such-rule", "off"},
		{"rule tls-early-data", "loud"},
		{"rule tls-early-data", "WARN"},
		{"rule tls-early-data", "off"},
	} {
		t.Run(tc.name+"="+tc.value, func(t *testing.T) {
			t.Parallel()
			var v analysis.SettingValues
			var want error
			rule, isRule := strings.CutPrefix(tc.name, "rule ")
			setting := analysis.LookupSetting(tc.name)
			if isRule {
				want = v.SetRule(rule, tc.value, analyzers)
			} else {
				want = setting.Set(&v, tc.value)
			}
			for edge, got := range map[string]string{
				"flag":         flagEdge(t, tc.name, tc.value),
				"project file": projectEdge(t, tc.name, tc.value),
				"editor":       editorEdge(t, tc.name, tc.value),
			} {
				switch {
				case want == nil && got != "":
					t.Errorf("%s refuses %q: %s", edge, tc.value, got)
				case want != nil && !strings.Contains(got, want.Error()):
					t.Errorf("%s says %q, want the words %q", edge, got, want.Error())
				}
			}
		})
	}
}

// flagEdge runs check with the value as a flag: the error printed, or "".
func flagEdge(t *testing.T, name, value string) string {
	conf := writeFile(t, t.TempDir(), "a.conf", "events {}\n")
	args := []string{"check", "--" + name, value, conf}
	if id, ok := strings.CutPrefix(name, "rule "); ok {
		args = []string{"check", "--rule", id + "=" + value, conf}
	}
	if r := nginxls(t, "", args...); r.code == exitError {
		return r.stderr
	}
	return ""
}

// projectEdge runs check under a project file that sets the value.
func projectEdge(t *testing.T, name, value string) string {
	dir := t.TempDir()
	toml := name + " = " + strconv.Quote(value) + "\n"
	if id, ok := strings.CutPrefix(name, "rule "); ok {
		toml = "[rules]\n" + strconv.Quote(id) + " = " + strconv.Quote(value) + "\n"
	} else if analysis.LookupSetting(name).Number {
		toml = name + " = " + value + "\n"
	}
	writeFile(t, dir, ".nginxls.toml", toml)
	conf := writeFile(t, dir, "a.conf", "events {}\n")
	if r := nginxls(t, "", "check", conf); r.code == exitError {
		return r.stderr
	}
	return ""
}

// editorEdge starts the language server with the value in its
// initializationOptions and returns the window/showMessage it sends.
func editorEdge(t *testing.T, name, value string) string {
	var opts any
	if id, ok := strings.CutPrefix(name, "rule "); ok {
		opts = map[string]any{"rules": map[string]string{id: value}}
	} else if s := analysis.LookupSetting(name); s.Number {
		opts = map[string]any{s.JSON: json.RawMessage(value)}
	} else {
		opts = map[string]any{s.JSON: value}
	}
	var in strings.Builder
	for _, msg := range []map[string]any{
		{"id": 1, "method": "initialize", "params": map[string]any{"processId": nil, "rootUri": nil, "capabilities": map[string]any{}, "initializationOptions": opts}},
		{"method": "initialized", "params": map[string]any{}},
		{"id": 2, "method": "shutdown"},
		{"method": "exit"},
	} {
		msg["jsonrpc"] = "2.0"
		b, _ := json.Marshal(msg)
		fmt.Fprintf(&in, "Content-Length: %d\r\n\r\n%s", len(b), b)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, "serve")
	cmd.Dir = t.TempDir()
	cmd.Stdin = strings.NewReader(in.String())
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("nginxls serve: %v", err)
	}
	var shown []string
	r := bufio.NewReader(strings.NewReader(string(out)))
	for {
		h, err := textproto.NewReader(r).ReadMIMEHeader()
		if err != nil {
			break
		}
		n, _ := strconv.Atoi(h.Get("Content-Length"))
		body := make([]byte, n)
		if _, err := io.ReadFull(r, body); err != nil {
			t.Fatal(err)
		}
		var msg struct {
			Method string `json:"method"`
			Params struct {
				Message string `json:"message"`
			} `json:"params"`
		}
		if json.Unmarshal(body, &msg) == nil && msg.Method == "window/showMessage" {
			shown = append(shown, msg.Params.Message)
		}
	}
	return strings.Join(shown, "\n")
}
