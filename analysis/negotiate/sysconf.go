package negotiate

import (
	"regexp"
	"strconv"
	"strings"
)

// SystemConf is what an OpenSSL configuration file (openssl.cnf, the file
// OPENSSL_CONF names) sets for every SSL_CTX a program creates: the
// `system_default` section that `openssl_conf` -> `ssl_conf` leads to.
type SystemConf struct {
	SecLevel     int    // from CipherString's @SECLEVEL=n; -1 when unset
	CipherString string // "" when unset
	MinProtocol  string // nginx resets it: recorded to say so
}

var seclevelRE = regexp.MustCompile(`@SECLEVEL=(\d)`)

// ParseSystemConf reads the system_default section of an OpenSSL
// configuration file. Only the parts that lead there are understood:
// sections, `name = value` lines, comments; `.include` is not followed.
func ParseSystemConf(data []byte) SystemConf {
	sections := map[string]map[string]string{}
	cur := "default"
	for _, line := range strings.Split(string(data), "\n") {
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]") {
			cur = strings.TrimSpace(line[1 : len(line)-1])
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			continue
		}
		if sections[cur] == nil {
			sections[cur] = map[string]string{}
		}
		sections[cur][strings.TrimSpace(k)] = strings.Trim(strings.TrimSpace(v), `"`)
	}
	out := SystemConf{SecLevel: -1}
	init := sections["default"]["openssl_conf"]
	ssl := sections[init]["ssl_conf"]
	sys := sections[sections[ssl]["system_default"]]
	if sys == nil {
		return out
	}
	out.CipherString = sys["CipherString"]
	out.MinProtocol = sys["MinProtocol"]
	if m := seclevelRE.FindStringSubmatch(out.CipherString); m != nil {
		out.SecLevel, _ = strconv.Atoi(m[1])
	}
	return out
}

var compiledLevelRE = regexp.MustCompile(`-DOPENSSL_TLS_SECURITY_LEVEL=(\d)`)

// CompiledSecLevel reads the default security level from the output of
// `openssl version -a` (Debian builds with -DOPENSSL_TLS_SECURITY_LEVEL=2);
// OpenSSL's own default is 1.
func CompiledSecLevel(versionA string) (level int, set bool) {
	if m := compiledLevelRE.FindStringSubmatch(versionA); m != nil {
		n, _ := strconv.Atoi(m[1])
		return n, true
	}
	return 1, false
}
