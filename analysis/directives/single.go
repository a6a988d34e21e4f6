package directives

// single are directives nginx refuses to see twice in one block ("is
// duplicate"): their handlers (ngx_conf_set_flag_slot, _str_slot,
// _num_slot, _size_slot, _msec_slot, _sec_slot, _enum_slot, complex values,
// and a few of their own such as resolver and root) keep one value per
// level. Array directives (add_header, ssl_certificate, ssl_conf_command,
// listen, include, ...) and bitmasks (ssl_protocols, which only warns of a
// repeated value) may repeat. The list holds what fixes write and their
// neighbours; a sample value each, for the test against the real nginx.
var single = map[string]string{
	"server_tokens":                 "off",
	"ssl_ciphers":                   "HIGH",
	"ssl_ecdh_curve":                "auto",
	"ssl_prefer_server_ciphers":     "on",
	"ssl_session_tickets":           "off",
	"ssl_session_timeout":           "5m",
	"ssl_dhparam":                   "",
	"ssl_stapling":                  "on",
	"ssl_stapling_verify":           "on",
	"ssl_stapling_file":             "",
	"ssl_stapling_responder":        "http://127.0.0.1",
	"ssl_trusted_certificate":       "",
	"ssl_client_certificate":        "",
	"ssl_crl":                       "",
	"ssl_verify_client":             "on",
	"ssl_verify_depth":              "2",
	"ssl_buffer_size":               "4k",
	"ssl_early_data":                "on",
	"ssl_reject_handshake":          "on",
	"ssl_handshake_timeout":         "",
	"ssl_ocsp":                      "on",
	"starttls":                      "",
	"resolver":                      "127.0.0.1",
	"resolver_timeout":              "5s",
	"root":                          "/srv",
	"alias":                         "",
	"proxy_pass":                    "",
	"proxy_ssl_verify":              "on",
	"proxy_ssl_verify_depth":        "2",
	"proxy_ssl_server_name":         "on",
	"proxy_ssl_name":                "a",
	"proxy_ssl_ciphers":             "HIGH",
	"proxy_ssl_trusted_certificate": "",
	"proxy_ssl_session_reuse":       "on",
	"proxy_http_version":            "1.1",
	"http2":                         "",
	"http3":                         "",
	"keepalive_timeout":             "5",
	"client_max_body_size":          "1m",
	"sendfile":                      "on",
	"default_type":                  "text/plain",
	"charset":                       "utf-8",
	"gzip":                          "on",
	"autoindex":                     "on",
	"absolute_redirect":             "off",
	"server_name_in_redirect":       "off",
	"port_in_redirect":              "off",
}

// Single reports whether nginx rejects the directive when one block sets
// it twice.
func Single(name string) bool {
	_, ok := single[name]
	return ok
}

// SingleSamples returns the directives Single knows with a value nginx
// takes in a server of http (empty for those that need a file or
// another module).
func SingleSamples() map[string]string {
	out := make(map[string]string, len(single))
	for n, v := range single {
		out[n] = v
	}
	return out
}
