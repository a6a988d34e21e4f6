package textedit

import "testing"

func TestDistance(t *testing.T) {
	for _, c := range []struct {
		a, b  string
		limit int
		want  int
	}{
		{"server_name", "server_name", 2, 0},
		{"sever_name", "server_name", 2, 1},  // a letter dropped
		{"sevrer_name", "server_name", 2, 1}, // a swap counts one
		{"RC4-SAH", "RC4-SHA", 2, 1},
		{"abc", "xyz", 2, 3},        // past the limit: limit+1
		{"a", "abcdefgh", 2, 3},     // lengths alone say it
		{"kitten", "sitting", 5, 3}, // substitutions and an insertion
		{"", "ab", 5, 2},
	} {
		if got := Distance(c.a, c.b, c.limit); got != c.want {
			t.Errorf("Distance(%q, %q, %d) = %d, want %d", c.a, c.b, c.limit, got, c.want)
		}
	}
}
