package lsp

import (
	"os"
	"strings"
)

// NGINXLS_NO_INCREMENTAL=1 turns the server's incremental paths off, for
// debugging: every analysis then starts from nothing, the workspace's
// parse trees and per-server findings dropped first. What is published
// must not change, only the time it takes.
const noIncrementalEnv = "NGINXLS_NO_INCREMENTAL"

// incrementalFromEnv reads the switch: whether the incremental paths are on.
func incrementalFromEnv() bool {
	switch strings.ToLower(strings.TrimSpace(os.Getenv(noIncrementalEnv))) {
	case "", "0", "false", "no", "off":
		return true
	}
	return false
}
