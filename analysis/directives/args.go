package directives

import (
	"strconv"
	"strings"
)

// Args is the argument-count rule of a directive: nginx's NGX_CONF_* bits
// (src/core/ngx_conf_file.h), checked as ngx_conf_handler checks them.
// Block-ness is not part of it (see Directive.Block).
type Args uint16

const (
	NoArgs    Args = 0x0001 // NGX_CONF_NOARGS
	Take1     Args = 0x0002 // NGX_CONF_TAKE1
	Take2     Args = 0x0004
	Take3     Args = 0x0008
	Take4     Args = 0x0010
	Take5     Args = 0x0020
	Take6     Args = 0x0040
	Take7     Args = 0x0080
	Flag      Args = 0x0200 // NGX_CONF_FLAG: one argument, on or off
	AnyArgs   Args = 0x0400 // NGX_CONF_ANY
	OneOrMore Args = 0x0800 // NGX_CONF_1MORE
	TwoOrMore Args = 0x1000 // NGX_CONF_2MORE

	// maxArgs is NGX_CONF_MAX_ARGS less the name.
	maxArgs = 7
)

// takes[n] is the bit allowing exactly n arguments.
var takes = [...]Args{NoArgs, Take1, Take2, Take3, Take4, Take5, Take6, Take7}

var argNames = []struct {
	a    Args
	name string
}{
	{NoArgs, "noargs"}, {Take1, "take1"}, {Take2, "take2"}, {Take3, "take3"},
	{Take4, "take4"}, {Take5, "take5"}, {Take6, "take6"}, {Take7, "take7"},
	{Flag, "flag"}, {AnyArgs, "any"}, {OneOrMore, "1more"}, {TwoOrMore, "2more"},
}

// OK reports whether nginx accepts n arguments. A Flag directive takes one
// argument; whether it is "on" or "off" is for the caller to check.
func (a Args) OK(n int) bool {
	switch {
	case n < 0:
		return false
	case a&AnyArgs != 0:
		return true
	case a&Flag != 0:
		return n == 1
	case a&OneOrMore != 0:
		return n >= 1
	case a&TwoOrMore != 0:
		return n >= 2
	case n > maxArgs:
		return false
	}
	return a&takes[n] != 0
}

// Min is the least number of arguments accepted.
func (a Args) Min() int {
	for n := 0; n <= maxArgs; n++ {
		if a.OK(n) {
			return n
		}
	}
	return 0
}

// Max is the most arguments accepted, or -1 for no limit.
func (a Args) Max() int {
	if a&(AnyArgs|OneOrMore|TwoOrMore) != 0 {
		return -1
	}
	for n := maxArgs; n >= 0; n-- {
		if a.OK(n) {
			return n
		}
	}
	return 0
}

// String describes the rule: "0", "1", "1-3", "1|3", "1+", "flag", "any".
func (a Args) String() string {
	switch {
	case a&AnyArgs != 0:
		return "any"
	case a&Flag != 0:
		return "flag"
	case a&OneOrMore != 0:
		return "1+"
	case a&TwoOrMore != 0:
		return "2+"
	}
	var counts []int
	for n := 0; n <= maxArgs; n++ {
		if a.OK(n) {
			counts = append(counts, n)
		}
	}
	if len(counts) == 0 {
		return "none"
	}
	lo, hi := counts[0], counts[len(counts)-1]
	if hi-lo+1 == len(counts) {
		if lo == hi {
			return strconv.Itoa(lo)
		}
		return strconv.Itoa(lo) + "-" + strconv.Itoa(hi)
	}
	parts := make([]string, len(counts))
	for i, n := range counts {
		parts[i] = strconv.Itoa(n)
	}
	return strings.Join(parts, "|")
}

// parseArgs reads the flag list of directives.tsv ("take1,take2,block");
// block is reported apart.
func parseArgs(s string) (a Args, block bool, ok bool) {
	for _, f := range strings.Split(s, ",") {
		if f == "block" {
			block = true
			continue
		}
		found := false
		for _, n := range argNames {
			if n.name == f {
				a |= n.a
				found = true
			}
		}
		if !found {
			return 0, false, false
		}
	}
	return a, block, true
}
