package syntax

// IsBlockDirective lets the tests tell the parser's own limits from bugs:
// nginx's `directive "x" is not terminated by ";"` can only be reported for
// a name the parser knows to open a block.
func IsBlockDirective(name string) bool { return blockDirectives[name] }
