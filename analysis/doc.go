// Package analysis is the rule engine: rules are Analyzers that inspect the
// configuration model and report Diagnostics, with suggested fixes made of
// byte-offset text edits. The command line and the language server both
// drive it; it knows no terminal and no editor.
//
// The shape follows golang.org/x/tools/go/analysis: an Analyzer has a stable
// id, its documentation and a Run function that receives a Pass.
//
// # Writing a rule
//
// A rule is an Analyzer in package rules, listed in its registry
// (rules.All), with test configurations in testdata/rules/ID whose
// `# want` comments say what it finds (package analysistest). Its Run
// receives a Pass: the configuration as nginx loads it (Pass.Config: the
// directives by name, the effective value of a directive in a block, the
// servers), the settings (target nginx and OpenSSL, Mozilla profile), and
// Pass.Report for the findings. A value several rules work out, such as
// the HTTPS servers, is made once per analysis with Shared.
//
//	var ServerTokens = &analysis.Analyzer{
//		ID: "server-tokens", Title: ..., Severity: analysis.Info, Doc: ..., Refs: ...,
//		Run: func(p *analysis.Pass) {
//			for _, l := range p.Config.Named("server_tokens") {
//				...
//				p.Report(analysis.Diagnostic{File: l.File, Span: ..., Message: ...})
//			}
//		},
//	}
//
// # Checking servers one by one
//
// The language server analyses a configuration after every keystroke, and
// a keystroke changes one server of thousands. A rule can check each
// server apart, in RunServer, and Run then checks only what lies outside
// servers: the findings of a server whose text did not change are then
// kept from one analysis to the next (Cache), not found again.
//
// A rule that judges directives wherever they stand is written once, as a
// check of one directive, and Split makes its two halves: Run calls the
// check for each directive outside every server, RunServer for each one of
// the server it checks. Named selects directives by name, NamedValues what
// a function makes of each, Select anything else that can be split so.
//
//	var hstsMaxAge = analysis.Split(analysis.Named("add_header", "more_set_headers"), checkHSTSMaxAge)
//
//	func checkHSTSMaxAge(p *analysis.Pass, l config.Located) { ... }
//
//	var HSTSMaxAge = &analysis.Analyzer{
//		ID: "hsts-max-age", ...,
//		Run:       hstsMaxAge.Run,
//		RunServer: hstsMaxAge.RunServer,
//	}
//
// A rule that judges servers as a whole (does this HTTPS server send
// HSTS?) writes RunServer itself, and Run when something outside servers
// needs judging too.
//
// What RunServer reports about a server may depend on
//
//   - the server's block, and the files included in it;
//   - what lies outside every server block: the levels the server
//     inherits from (http, stream, mail), upstreams, maps, and the files
//     they include;
//   - the settings and the rules that run;
//
// and on nothing else: not on another server (a finding that names the
// certificate another server has for the same name belongs in Run), nor on
// files that are not the configuration's (certificates and keys are read
// by Run, on every analysis, so that a file fixed on disk is seen). A
// Shared value that RunServer uses must be made of no more than that. A
// change outside server blocks, of the settings or of the rules empties
// the cache.
//
// A reused finding moves with its server: the engine shifts its byte
// offsets (its span, its fixes' edits, its related places) to where the
// server now lies, and leaves its text as it was. A message or a fix title
// of RunServer must therefore not say where anything lies in the file: a
// line number would go stale as soon as a line is added above the server.
// Point at the other place with a Related entry instead; editors and
// printers show its position. The finding's own position needs no words.
//
// TestCacheMatchesFreshAnalysis (package rules) edits every rule's test
// configurations at random, in and between servers, and checks after
// every edit that an analysis through a cache finds what a fresh one
// finds: a rule that breaks this contract fails it.
package analysis
