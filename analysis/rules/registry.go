// Package rules holds nginxls's rules, one file per rule or rule family:
// each file has the rule's id, title, severity, check and fixes; its
// documentation is docs/<rule-id>.md (docs.go). CONTRIBUTING.md at the
// repository's root says how to add one.
package rules

import "github.com/nginxls/nginxls/analysis"

// All is the registry: every rule, in the order they are listed to users.
var All = []*analysis.Analyzer{
	Syntax,
	DirectiveContext,
	DirectiveArgs,
	DirectiveTypo,
	DirectiveVersion,
	ProtocolSSLv2,
	ProtocolSSLv3,
	ProtocolLegacyTLS,
	ProtocolNoTLS13,
	CipherNull,
	CipherAnonymous,
	CipherExport,
	CipherRC4,
	CipherDES,
	Cipher3DES,
	CipherMD5,
	CipherNoFS,
	CipherCBC,
	CipherNoAEAD,
	CipherDHE,
	CipherStringInvalid,
	CipherDefaultImplicit,
	HandshakeImpossible,
	StartFailure,
	TLS13NoGroup,
	TLS13Ciphersuites,
	CurveWeak,
	CurveUnknown,
	EarlyData,
	SSLDirective,
	ListenHTTP2,
	Include,
	HSTSMissing,
	HSTSMaxAge,
	HSTSNotAlways,
	HSTSDropped,
	HSTSOnPlainHTTP,
	HTTPSRedirectMissing,
	HTTPSRedirectWeak,
	CertConfig,
	CertValidity,
	CertCrypto,
	KeyFilePermissions,
	DHParam,
	SessionTickets,
	ConfCommand,
	PreferServerCiphers,
	Stapling,
	UpstreamTLSVerify,
	ForwardedProto,
	ProxyHeaderDropped,
	CookieFlags,
	ServerTokens,
	ClientVerify,
	MozillaProfile,
	analysis.Ignore,
}

// Lookup finds a rule by id.
// The language server looks a rule up for each of thousands of findings.
func Lookup(id string) *analysis.Analyzer {
	if a := byID[id]; a != nil {
		return a
	}
	for _, a := range All { // a rule appended to All after start-up
		if a.ID == id {
			return a
		}
	}
	return nil
}

var byID = map[string]*analysis.Analyzer{}

func init() {
	for _, a := range All {
		byID[a.ID] = a
	}
}
