package rules

// DocErrors are the rules whose documentation is missing or malformed.
func DocErrors() []error { return docErrors }
