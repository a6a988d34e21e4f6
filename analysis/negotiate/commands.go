package negotiate

import (
	"fmt"
	"strings"

	"github.com/nginxls/nginxls/analysis/openssl"
	"github.com/nginxls/nginxls/analysis/tlsdata"
)

// What SSL_CONF_cmd does with the values of the commands the model knows
// (ssl/ssl_conf.c of OpenSSL 3.0).

// splitList is CONF_parse_list with blanks trimmed: an empty element is
// reported as "" (and refused by every command the model knows).
func splitList(v string, sep byte) []string {
	parts := strings.Split(v, string(sep))
	for i, p := range parts {
		parts[i] = strings.TrimSpace(p)
	}
	return parts
}

// parseGroups is SSL_CTX_set1_groups_list: names separated by ':', each a
// group the library knows, none twice (under any of its names).
func parseGroups(v, prof string) ([]string, string) {
	var out []string
	for _, name := range splitList(v, ':') {
		info := tlsdata.LookupGroup(name, prof)
		if info.Group == nil || !info.Supported {
			return nil, fmt.Sprintf("OpenSSL %s rejects the group list: it knows no group %q", prof, name)
		}
		for _, g := range out {
			if g == info.Group.Name {
				return nil, fmt.Sprintf("OpenSSL %s rejects the group list: %s is named twice", prof, displayGroup(info.Group, name))
			}
		}
		out = append(out, info.Group.Name)
	}
	return out, ""
}

func displayGroup(g *tlsdata.Group, written string) string {
	if written == g.Name {
		return g.Name
	}
	return fmt.Sprintf("%s (%s)", g.Name, written)
}

// protocolCommand is `Protocol`: a ','-separated list of versions, each
// switched on, or off with a leading '-'; ALL names every version. The
// versions it does not name keep what ssl_protocols made of them.
func protocolCommand(v string, on map[openssl.Version]bool, from map[openssl.Version]string) string {
	for _, item := range splitList(v, ',') {
		set := true
		name := item
		if strings.HasPrefix(name, "+") || strings.HasPrefix(name, "-") {
			set = name[0] == '+'
			name = name[1:]
		}
		var vs []openssl.Version
		switch {
		case strings.EqualFold(name, "ALL"):
			vs = AllVersions
		case strings.EqualFold(name, "SSLv2"), strings.EqualFold(name, "DTLSv1"), strings.EqualFold(name, "DTLSv1.2"):
			// Known to OpenSSL, without effect on a TLS server.
		default:
			found := false
			for n, pv := range protocolNames {
				if strings.EqualFold(n, name) {
					vs, found = []openssl.Version{pv}, true
				}
			}
			if !found {
				return fmt.Sprintf("Protocol takes versions separated by commas; OpenSSL knows no protocol %q", item)
			}
		}
		for _, pv := range vs {
			on[pv] = set
			if set {
				delete(from, pv)
			} else {
				from[pv] = "ssl_conf_command Protocol " + v + " switches it off"
			}
		}
	}
	return ""
}

// boundValue is the value of MinProtocol and MaxProtocol (compared
// exactly): a version, or None for no bound.
func boundValue(v string) (openssl.Version, bool) {
	if v == "None" {
		return 0, true
	}
	pv, ok := protocolNames[v]
	return pv, ok
}

// options are the flags of `Options` OpenSSL 3.0 knows, lower-cased.
var options = map[string]bool{
	"sessionticket": true, "emptyfragments": true, "bugs": true, "compression": true, "serverpreference": true,
	"noresumptiononrenegotiation": true, "dhsingle": true, "ecdhsingle": true, "unsafelegacyrenegotiation": true,
	"unsafelegacyserverconnect": true, "clientrenegotiation": true, "encryptthenmac": true, "norenegotiation": true,
	"allownodhekex": true, "prioritizechacha": true, "middleboxcompat": true, "antireplay": true,
	"extendedmastersecret": true, "canames": true, "ktls": true, "strictcertcheck": true, "ignoreunexpectedeof": true,
}

// optionsCommand is `Options`: ','-separated flags, each set, or cleared
// with a leading '-'.
func optionsCommand(v string, apply func(flag string, set bool)) string {
	for _, item := range splitList(v, ',') {
		set := true
		name := item
		if strings.HasPrefix(name, "+") || strings.HasPrefix(name, "-") {
			set = name[0] == '+'
			name = name[1:]
		}
		if !options[strings.ToLower(name)] {
			return fmt.Sprintf("OpenSSL knows no option %q", item)
		}
		apply(strings.ToLower(name), set)
	}
	return ""
}

// confCommands are the commands SSL_CONF_cmd takes from a configuration
// file on a server (matched without regard to case).
var confCommands = []string{"SignatureAlgorithms", "ClientSignatureAlgorithms", "Curves", "Groups", "ECDHParameters",
	"CipherString", "Ciphersuites", "Protocol", "MinProtocol", "MaxProtocol", "Options", "VerifyMode", "Certificate",
	"PrivateKey", "ServerInfoFile", "ChainCAPath", "ChainCAFile", "ChainCAStore", "VerifyCAPath", "VerifyCAFile",
	"VerifyCAStore", "RequestCAFile", "ClientCAFile", "RequestCAPath", "ClientCAPath", "RequestCAStore",
	"ClientCAStore", "DHParameters", "RecordPadding", "NumTickets"}

func knownCommand(name string) bool {
	for _, c := range confCommands {
		if strings.EqualFold(c, name) {
			return true
		}
	}
	return false
}
