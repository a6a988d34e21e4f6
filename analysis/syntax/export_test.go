package syntax

// IsBlockDirective lets the tests tell the parser's own limits from bugs:
// nginx's `directive "x" is not terminated by ";"` can only be reported for
// a name the parser knows to open a block.
func IsBlockDirective(name string) bool { return blockDirectives[name] }

// ReparseInPlace is Reparse without its fallback: nil when the edit needs
// a whole parse. ReparseAnySize lifts the size below which Reparse does not
// try, so that small inputs exercise it.
func ReparseInPlace(old *File, src []byte) *File { return reparse(old, src) }

func ReparseAnySize() (restore func()) {
	was := reparseMinSize
	reparseMinSize = 0
	return func() { reparseMinSize = was }
}

// Lines is a file's line starts.
func Lines(f *File) []int {
	f.linesOnce.Do(f.initLines)
	return f.lines
}
