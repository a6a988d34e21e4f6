package lsp

import (
	"fmt"
	"os"
	"strings"
)

// The server's incremental paths: each reuses what the previous edit
// computed, and each can be switched off to check that it changes nothing
// but the time taken. NGINXLS_NO_INCREMENTAL=1 (or "all") switches every
// one off; a comma-separated list of names switches those off.
type layers uint

const (
	// layerWorkspace: the workspace keeps parse trees (an edit parses its
	// block again) and per-server findings between analyses. Off, every
	// analysis starts from nothing.
	layerWorkspace layers = 1 << iota
	// layerTranslate: findings that did not move within their lines keep
	// their protocol translation from the last publish.
	layerTranslate
	// layerParallel: a large list is translated on every processor.
	layerParallel

	allLayers = layerWorkspace | layerTranslate | layerParallel
)

var layerNames = []struct {
	name string
	l    layers
}{
	{"workspace", layerWorkspace},
	{"translate", layerTranslate},
	{"parallel", layerParallel},
}

// noIncrementalEnv names the switch.
const noIncrementalEnv = "NGINXLS_NO_INCREMENTAL"

// layersFromEnv reads the switch: the layers left on, and the names it
// did not know.
func layersFromEnv() (layers, error) {
	return parseLayers(os.Getenv(noIncrementalEnv))
}

func parseLayers(off string) (layers, error) {
	switch strings.TrimSpace(strings.ToLower(off)) {
	case "", "0", "false":
		return allLayers, nil
	case "1", "true", "all":
		return 0, nil
	}
	on := allLayers
	var unknown []string
	for _, name := range strings.Split(off, ",") {
		name = strings.TrimSpace(strings.ToLower(name))
		found := false
		for _, n := range layerNames {
			if n.name == name {
				on &^= n.l
				found = true
			}
		}
		if !found && name != "" {
			unknown = append(unknown, name)
		}
	}
	if len(unknown) > 0 {
		return on, fmt.Errorf("%s: unknown layers %s", noIncrementalEnv, strings.Join(unknown, ", "))
	}
	return on, nil
}
