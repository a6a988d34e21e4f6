// Package openssl knows what OpenSSL does with the cipher settings of nginx:
// which TLS suites a cipher string (ssl_ciphers, proxy_ssl_ciphers,
// `ssl_conf_command CipherString`) enables, in which order, and which item
// of the string enabled each; what a TLS 1.3 list (`ssl_conf_command
// Ciphersuites`) selects; and why weak suites are weak.
//
// Evaluate reproduces ssl_create_cipher_list of OpenSSL 3.0: separators
// (':' ',' ' ' ';'), prefixes ('!' '-' '+'), '+' intersections with their
// per-field masks (and the quirk that a strength word overwrites
// COMPLEMENTOFDEFAULT), @STRENGTH, @SECLEVEL=n, a leading DEFAULT or SUITEB
// keyword, exact suite names, silently ignored unknown words, rejected
// invalid characters, and the preference order OpenSSL starts from. It
// matches `openssl ciphers` exactly on the oracle file of testdata (strings
// from nginx's defaults, Mozilla's and certbot's lists, real
// configurations and random combinations) and on fresh random strings.
//
// Three profiles model three kinds of builds: "3.0" (stock OpenSSL 3.x, no
// legacy provider), "1.1.1" (stock, with IDEA and SEED) and "1.0.2" (a
// legacy build with RC4, single DES, EXPORT and 3DES in HIGH). There is no
// 1.0.2 or 1.1.1 binary to check against: results on those profiles follow
// the releases' rules and are reported as "legacy builds".
//
// The package is pure: no I/O, data generated ahead of time (zsuites.go, by
// internal/gen from a real OpenSSL) or written by hand from the IANA
// registry (legacy.go). Results are cached and safe for concurrent use.
package openssl
