package config

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/nginxls/nginxls/analysis/syntax"
)

// Version is an nginx (or OpenSSL) version, major.minor.patch.
type Version struct{ Major, Minor, Patch int }

// DefaultVersion is the nginx version assumed when none is set: the current
// stable branch.
var DefaultVersion = Version{1, 28, 0}

// ParseVersion reads "1.25", "1.25.1" or "nginx/1.25.1".
func ParseVersion(s string) (Version, error) {
	s = strings.TrimPrefix(strings.TrimSpace(s), "nginx/")
	parts := strings.Split(s, ".")
	if len(parts) < 1 || len(parts) > 3 {
		return Version{}, fmt.Errorf("invalid version %s (want major.minor.patch)", syntax.Quote(s))
	}
	var n [3]int
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil || v < 0 {
			return Version{}, fmt.Errorf("invalid version %s (want major.minor.patch)", syntax.Quote(s))
		}
		n[i] = v
	}
	return Version{n[0], n[1], n[2]}, nil
}

// MustVersion is ParseVersion for constants.
func MustVersion(s string) Version {
	v, err := ParseVersion(s)
	if err != nil {
		panic(err)
	}
	return v
}

func (v Version) String() string { return fmt.Sprintf("%d.%d.%d", v.Major, v.Minor, v.Patch) }

// Compare returns -1, 0 or 1.
func (v Version) Compare(o Version) int {
	for _, d := range [3]int{v.Major - o.Major, v.Minor - o.Minor, v.Patch - o.Patch} {
		if d < 0 {
			return -1
		}
		if d > 0 {
			return 1
		}
	}
	return 0
}

// AtLeast reports v >= o.
func (v Version) AtLeast(o Version) bool { return v.Compare(o) >= 0 }
