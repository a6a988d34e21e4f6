package lsp

import "testing"

func TestIncrementalFromEnv(t *testing.T) {
	for v, want := range map[string]bool{"": true, "0": true, "false": true, "1": false, "true": false, " YES ": false} {
		t.Setenv(noIncrementalEnv, v)
		if got := incrementalFromEnv(); got != want {
			t.Errorf("%s=%q: incremental %v, want %v", noIncrementalEnv, v, got, want)
		}
	}
}
