package lsp

import "testing"

func TestParseLayers(t *testing.T) {
	for _, c := range []struct {
		off     string
		on      layers
		unknown bool
	}{
		{"", allLayers, false},
		{"0", allLayers, false},
		{"1", 0, false},
		{"all", 0, false},
		{"TRUE", 0, false},
		{"translate", allLayers &^ layerTranslate, false},
		{" workspace , parallel ", allLayers &^ (layerWorkspace | layerParallel), false},
		{"parallel,bogus", allLayers &^ layerParallel, true},
	} {
		on, err := parseLayers(c.off)
		if on != c.on || (err != nil) != c.unknown {
			t.Errorf("parseLayers(%q) = %b, %v; want %b, unknown names %v", c.off, on, err, c.on, c.unknown)
		}
	}
}
