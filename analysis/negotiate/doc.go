// Package negotiate models what a server's TLS endpoint accepts: which
// protocol versions a client can negotiate, which suites (in the order the
// server picks them), which key exchange groups per version, whether 0-RTT
// early data is accepted, and whether nginx starts at all.
//
// A cipher string is only part of the answer. nginx hands OpenSSL its
// directives in a fixed order (ssl_protocols, ssl_ciphers, the
// certificates, ssl_dhparam, ssl_ecdh_curve, the session settings, then
// every ssl_conf_command), and OpenSSL then decides each handshake from
// the security level (the library's compiled-in default, the system
// configuration's CipherString, an @SECLEVEL in a cipher string), the
// certificates' key types, the DH parameters and the group list. Evaluate
// replays that order on OpenSSL 3.0's rules; each refusal carries its
// reason, so that a finding can say why something configured is not
// negotiable on the target. The model is held to real nginx and
// `openssl s_client` handshakes by the package's live test.
//
// The package is pure: Evaluate reads nothing, and ForServer reads the
// certificate and DH files a server names through the configuration's
// reader only.
package negotiate
