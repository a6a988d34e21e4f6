// Package rules holds nginxls's rules, one file per rule or rule family:
// each file has the rule's id, its documentation, its check and its fixes.
package rules

import "github.com/nginxls/nginxls/analysis"

// All is the registry: every rule, in the order they are listed to users.
var All = []*analysis.Analyzer{
	Syntax,
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
	DHParam,
	SessionTickets,
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
func Lookup(id string) *analysis.Analyzer {
	for _, a := range All {
		if a.ID == id {
			return a
		}
	}
	return nil
}
