package tlsdata

// DirectiveNote says, for a TLS directive, what it does and what Mozilla's
// intermediate profile recommends. Hover shows it next to nginx's own facts
// (syntax, default, contexts) from the directive table.
type DirectiveNote struct {
	What      string
	Recommend string // Mozilla intermediate (or the safe choice where Mozilla says nothing)
}

// DirectiveNotes covers the directives the TLS rules judge.
var DirectiveNotes = map[string]DirectiveNote{
	"ssl_protocols": {"Which TLS protocol versions the server accepts.",
		"`ssl_protocols TLSv1.2 TLSv1.3;`"},
	"ssl_ciphers": {"The OpenSSL cipher string for TLS 1.2 and older: which cipher suites are enabled and in which order. TLS 1.3 suites are set with `ssl_conf_command Ciphersuites`.",
		"`ssl_ciphers " + MozillaIntermediate + ";`"},
	"ssl_ecdh_curve": {"The key exchange groups (curves) offered, in order of preference; `auto` leaves the choice to OpenSSL's built-in list.",
		"`ssl_ecdh_curve X25519:prime256v1:secp384r1;`"},
	"ssl_early_data": {"Accept TLS 1.3 early data (0-RTT): a returning client sends its first request before the handshake completes, and that data can be replayed by an attacker.",
		"`ssl_early_data off;` unless the application rejects replayable requests (HTTP 425)"},
	"ssl_prefer_server_ciphers": {"Whether the server's cipher order wins over the client's.",
		"`ssl_prefer_server_ciphers off;` with an all-strong cipher list (clients pick what is fastest for them)"},
	"ssl_session_tickets": {"Resume sessions with tickets encrypted under a server key; without rotation of that key, tickets weaken forward secrecy.",
		"`ssl_session_tickets off;` unless ticket keys are rotated (nginx 1.23.2+ rotates them with a shared session cache)"},
	"ssl_session_cache": {"The server-side session cache used to resume TLS sessions.",
		"`ssl_session_cache shared:MozSSL:10m;`"},
	"ssl_session_timeout": {"How long a session may be resumed.", "`ssl_session_timeout 1d;`"},
	"ssl_dhparam": {"Finite-field Diffie-Hellman parameters for DHE suites; since nginx 1.11.0 DHE is unused without it.",
		"the RFC 7919 ffdhe2048 group, or no DHE suites at all"},
	"ssl_stapling": {"Staple the certificate's OCSP response to the handshake.",
		"`ssl_stapling on;` with a `resolver` and `ssl_trusted_certificate` (a no-op for CAs that no longer run OCSP)"},
	"ssl_certificate":     {"The certificate chain, leaf first, then intermediates.", "a 2048-bit RSA or P-256 ECDSA certificate from a trusted CA"},
	"ssl_certificate_key": {"The private key of the certificate.", "readable by root only"},
	"ssl_conf_command": {"Raw OpenSSL configuration commands, applied after every other ssl_* directive, so they override them (`CipherString`, `Ciphersuites`, `Groups`, `MinProtocol`, `Options`).",
		"only where no dedicated directive exists"},
	"ssl": {"Removed in nginx 1.25.1 (deprecated since 1.15.0): enabled TLS on every listen socket of the server.",
		"the `ssl` parameter of `listen`"},
	"http2":               {"Enables HTTP/2 for the server (nginx 1.25.1+); replaces the `http2` parameter of `listen`.", "`http2 on;`"},
	"proxy_ssl_protocols": {"TLS versions used for connections to an https upstream.", "`proxy_ssl_protocols TLSv1.2 TLSv1.3;`"},
	"proxy_ssl_ciphers":   {"The cipher string for connections to an https upstream.", "the same list as `ssl_ciphers`"},
	"proxy_ssl_verify":    {"Verify the upstream's certificate (off by default: any certificate is accepted).", "`proxy_ssl_verify on;` with `proxy_ssl_trusted_certificate`"},
}
