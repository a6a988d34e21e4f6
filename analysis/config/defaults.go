package config

import "strings"

// A default value that holds from a version on (until the next entry).
type versionedDefault struct {
	since Version
	value string
}

// defaults are nginx's built-in values for directives the rules judge when
// they are absent, newest first. Sources: nginx's CHANGES and module docs
// (configuring_https_servers "compatibility", ngx_http_ssl_module).
var defaults = map[string][]versionedDefault{
	// NGX_SSL_DEFAULT_PROTOCOLS, shared by ssl_protocols in http, stream and
	// mail and by the proxy/grpc/uwsgi upstream variants.
	"ssl_protocols": {
		{MustVersion("1.27.3"), "TLSv1.2 TLSv1.3"},
		{MustVersion("1.23.4"), "TLSv1 TLSv1.1 TLSv1.2 TLSv1.3"},
		{MustVersion("1.9.1"), "TLSv1 TLSv1.1 TLSv1.2"},
		{MustVersion("0.8.19"), "SSLv3 TLSv1 TLSv1.1 TLSv1.2"},
		{Version{}, "SSLv2 SSLv3 TLSv1"},
	},
	"ssl_ciphers": {
		{MustVersion("1.0.5"), "HIGH:!aNULL:!MD5"},
		{MustVersion("0.8.20"), "HIGH:!ADH:!MD5"},
		{Version{}, "ALL:!ADH:RC4+RSA:+HIGH:+MEDIUM"},
	},
	"proxy_ssl_ciphers": {{Version{}, "DEFAULT"}},
	"grpc_ssl_ciphers":  {{Version{}, "DEFAULT"}},
	"uwsgi_ssl_ciphers": {{Version{}, "DEFAULT"}},
	"ssl_ecdh_curve": {
		{MustVersion("1.11.0"), "auto"},
		{Version{}, "prime256v1"},
	},
	"ssl_early_data":            {{Version{}, "off"}},
	"ssl_prefer_server_ciphers": {{Version{}, "off"}},
	"ssl_session_tickets":       {{Version{}, "on"}},
	"ssl_stapling":              {{Version{}, "off"}},
	"server_tokens":             {{Version{}, "on"}},
	"http2":                     {{Version{}, "off"}},
}

func init() {
	for _, p := range []string{"proxy_", "grpc_", "uwsgi_"} {
		defaults[p+"ssl_protocols"] = defaults["ssl_protocols"]
	}
}

// Default returns the arguments nginx uses for an absent directive on a
// given version, and whether that default is known.
func Default(name string, v Version) ([]string, bool) {
	for _, d := range defaults[name] {
		if v.AtLeast(d.since) {
			return strings.Fields(d.value), true
		}
	}
	return nil, false
}
