package negotiate

import (
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/nginxls/nginxls/analysis/openssl"
	"github.com/nginxls/nginxls/analysis/syntax"
	"github.com/nginxls/nginxls/analysis/tlsdata"
)

// Target is the TLS library a server runs with.
type Target struct {
	OpenSSL string // profile: "3.0", "1.1.1" or "1.0.2"
	// SecLevel is the security level an SSL_CTX starts with: the
	// library's compiled-in default, or what the system configuration's
	// CipherString sets; SecLevelFrom says which, for messages.
	SecLevel     int
	SecLevelFrom string
}

// Key is a certificate's public key, as the security level judges it.
type Key struct {
	Alg   string // "RSA", "ECDSA", "Ed25519", "Ed448", "DSA"
	Bits  int    // RSA or DSA modulus, EC field size
	Curve string // the curve's TLS group name, for ECDSA ("secp256r1")
	Dir   *syntax.Directive
}

func (k Key) securityBits() int {
	switch k.Alg {
	case "RSA", "DSA":
		return securityBits(k.Bits)
	case "Ed25519":
		return 128
	case "Ed448":
		return 224
	}
	return ecSecurityBits(k.Bits)
}

// KeyState is a certificate's key that no handshake uses.
type KeyState struct {
	Key Key
	Why string
}

// Command is one ssl_conf_command.
type Command struct {
	Name, Value string
	Dir         *syntax.Directive
}

// Input is a server's effective TLS settings. Dirs maps a directive name
// (ssl_protocols, ssl_ciphers, ssl_ecdh_curve, ssl_dhparam, ...) to the
// directive that sets it, absent when nginx's default applies.
type Input struct {
	Protocols    []string
	Ciphers      string
	PreferServer bool
	Curves       string // "auto" or a group list
	// DHBits is the size of the ssl_dhparam prime: 0 without ssl_dhparam,
	// -1 when the file cannot be read here.
	DHBits int
	// Keys are the certificates' keys; KeysKnown is false when a
	// certificate cannot be read here (then every key type is assumed).
	Keys      []Key
	KeysKnown bool
	Commands  []Command
	EarlyData bool
	Tickets   bool // ssl_session_tickets
	Cache     bool // a session cache that stores sessions (builtin or shared)
	Dirs      map[string]*syntax.Directive
}

// Failure is why nginx refuses to start: the directive whose call into
// OpenSSL fails, and why.
type Failure struct {
	Directive string            // "ssl_ciphers", "ssl_certificate", "ssl_conf_command", ...
	Dir       *syntax.Directive // nil when nginx's default is at fault
	Why       string
}

// VersionState is one protocol version of a server.
type VersionState struct {
	Version    openssl.Version
	Configured bool   // the protocol settings switch it on
	Negotiable bool   // a client offering everything completes a handshake with it
	Why        string // when configured but not negotiable
}

// SuiteState is one suite of the server's lists, in the server's order.
type SuiteState struct {
	Suite *openssl.Suite
	Why   string // why the server never picks it; "" when it does
	// Fatal marks a suite the server picks but whose handshake then
	// fails (DHE with parameters the final security level refuses).
	Fatal string
}

// GroupState is one group of the server's list.
type GroupState struct {
	Name         string // the TLS name (tlsdata.Group.Name), or as written when unknown
	TLS12, TLS13 bool   // usable for ECDHE in TLS 1.2 / key exchange in TLS 1.3
	Why          string // when neither
}

// Endpoint is what a server accepts.
type Endpoint struct {
	Target Target
	// Start is set when nginx refuses to start with these settings; the
	// rest of the endpoint is then empty.
	Start *Failure
	// Level is the security level handshakes run at, LevelFrom where it
	// comes from.
	Level     int
	LevelFrom string
	// ServerOrder is true when the server picks suites in its own order
	// (ssl_prefer_server_ciphers on, Options ServerPreference).
	ServerOrder bool
	Versions    []VersionState // SSLv3 to TLS 1.3
	// NoHandshake says why no handshake at all can complete, or "".
	NoHandshake string
	Suites      []SuiteState // the TLS 1.2-and-older list
	Suites13    []SuiteState
	Groups      []GroupState
	EarlyData   bool
	// EarlyDataWhy says why 0-RTT is configured but refused.
	EarlyDataWhy string
	// Unused are the certificates no handshake uses, and why.
	Unused []KeyState
	// Unmodelled are the ssl_conf_command settings whose effect the
	// model does not know: its answers may be wrong where they matter.
	Unmodelled []Command

	keys      []Key
	keysKnown bool
	refused   map[int]string // index in keys -> why the level refuses it
	dhBits    int
	enabled   map[openssl.Version]bool
}

// AllVersions are the versions the model knows, oldest first.
var AllVersions = []openssl.Version{openssl.SSLv3, openssl.TLS10, openssl.TLS11, openssl.TLS12, openssl.TLS13}

var protocolNames = map[string]openssl.Version{"SSLv3": openssl.SSLv3, "TLSv1": openssl.TLS10, "TLSv1.1": openssl.TLS11, "TLSv1.2": openssl.TLS12, "TLSv1.3": openssl.TLS13}

// Evaluate replays what nginx and OpenSSL do with a server's settings.
func Evaluate(in Input, t Target) *Endpoint {
	r := &replay{in: in, prof: openssl.Canonical(t.OpenSSL), noTicket: !in.Tickets}
	r.e = &Endpoint{Target: t, Level: t.SecLevel, LevelFrom: t.SecLevelFrom, keys: in.Keys, keysKnown: in.KeysKnown, dhBits: in.DHBits}
	r.protocols()
	// nginx's calls in its order; the first that fails stops nginx.
	if !r.ciphers() || !r.certificates() || !r.dhparam() || !r.curves() || !r.commands() {
		return r.e
	}
	e := r.e
	e.judgeKeys()
	r.versions()
	r.groupsAndSuites()
	r.feasibility()
	e.negotiateVersions(r.prof)
	r.earlyData()
	return e
}

// replay is Evaluate's state between nginx's calls into OpenSSL.
type replay struct {
	e    *Endpoint
	in   Input
	prof string

	on         map[openssl.Version]bool   // the versions switched on
	from       map[openssl.Version]string // what switched a version off
	minV, maxV openssl.Version            // MinProtocol, MaxProtocol
	list       *openssl.Result            // the TLS 1.2 and older suites
	suites13   []*openssl.Suite
	groups     []string
	noTicket   bool
	antiReplay bool // nginx sets SSL_OP_NO_ANTI_REPLAY unless told
}

// fail records why nginx does not start, and returns false.
func (r *replay) fail(name string, d *syntax.Directive, format string, args ...any) bool {
	r.e.Start = &Failure{Directive: name, Dir: d, Why: fmt.Sprintf(format, args...)}
	return false
}

// protocols is ngx_ssl_create: every version ssl_protocols leaves out is
// switched off by an option, the min/max bounds are cleared.
func (r *replay) protocols() {
	r.on, r.from = map[openssl.Version]bool{}, map[openssl.Version]string{}
	for _, p := range r.in.Protocols {
		if v, ok := protocolNames[p]; ok {
			r.on[v] = true
		}
	}
	for _, v := range AllVersions {
		if !r.on[v] {
			r.from[v] = "ssl_protocols does not enable it"
		}
	}
	r.suites13 = openssl.EvaluateCiphersuites(defaultTLS13Suites, r.prof).Suites
}

// ciphers is ngx_ssl_ciphers.
func (r *replay) ciphers() bool {
	e := r.e
	r.list = openssl.Evaluate(r.in.Ciphers, r.prof)
	if r.list.Err != nil {
		return r.fail("ssl_ciphers", r.in.Dirs["ssl_ciphers"], "OpenSSL rejects the cipher list (%s)", r.list.Err.Reason)
	}
	if r.list.SecLevel >= 0 {
		e.Level, e.LevelFrom = r.list.SecLevel, "@SECLEVEL in ssl_ciphers"
	}
	e.ServerOrder = r.in.PreferServer
	return true
}

// certificates is ngx_ssl_certificates: SSL_CTX_use_certificate checks
// the key against the level in force now.
func (r *replay) certificates() bool {
	e := r.e
	for _, k := range r.in.Keys {
		if e.Level > 0 && k.securityBits() < minBits(e.Level) {
			return r.fail("ssl_certificate", k.Dir, "security level %d (%s) refuses the certificate's %s-%d key (%d bits of security, %d needed)",
				e.Level, e.LevelFrom, k.Alg, k.Bits, k.securityBits(), minBits(e.Level))
		}
	}
	return true
}

// dhparam is ngx_ssl_dhparam: SSL_CTX_set0_tmp_dh_pkey checks the group
// the same way; below 1024 bits even level 0 refuses it.
func (r *replay) dhparam() bool {
	e, bits := r.e, r.in.DHBits
	if bits <= 0 {
		return true
	}
	sb := securityBits(bits)
	if e.Level <= 0 && sb < 80 || e.Level > 0 && sb < minBits(e.Level) {
		need := 1024
		switch {
		case e.Level >= 5:
			need = 15360
		case e.Level == 4:
			need = 7680
		case e.Level == 3:
			need = 3072
		case e.Level == 2:
			need = 2048
		}
		return r.fail("ssl_dhparam", r.in.Dirs["ssl_dhparam"], "security level %d (%s) refuses a %d-bit DH group (%d bits needed)", e.Level, e.LevelFrom, bits, need)
	}
	return true
}

// curves is ngx_ssl_ecdh_curve.
func (r *replay) curves() bool {
	r.groups = defaultGroups30
	if c := r.in.Curves; c != "" && c != "auto" {
		g, err := parseGroups(c, r.prof)
		if err != "" {
			return r.fail("ssl_ecdh_curve", r.in.Dirs["ssl_ecdh_curve"], "%s", err)
		}
		r.groups = g
	}
	return true
}

// commands is ngx_ssl_conf_commands, last and in order.
func (r *replay) commands() bool {
	for _, c := range r.in.Commands {
		if !r.command(c) {
			return false
		}
	}
	return true
}

func (r *replay) command(c Command) bool {
	e, prof := r.e, r.prof
	switch strings.ToLower(c.Name) {
	case "protocol":
		if err := protocolCommand(c.Value, r.on, r.from); err != "" {
			return r.fail("ssl_conf_command", c.Dir, "%s", err)
		}
	case "minprotocol", "maxprotocol":
		v, ok := boundValue(c.Value)
		if !ok {
			return r.fail("ssl_conf_command", c.Dir, "%s takes None, SSLv3, TLSv1, TLSv1.1, TLSv1.2 or TLSv1.3, not %q", c.Name, c.Value)
		}
		if strings.EqualFold(c.Name, "minprotocol") {
			r.minV = v
		} else {
			r.maxV = v
		}
	case "cipherstring":
		res := openssl.Evaluate(c.Value, prof)
		if res.Err != nil {
			return r.fail("ssl_conf_command", c.Dir, "OpenSSL rejects the cipher list (%s)", res.Err.Reason)
		}
		r.list = res
		if res.SecLevel >= 0 {
			e.Level, e.LevelFrom = res.SecLevel, "@SECLEVEL in ssl_conf_command CipherString"
		}
	case "ciphersuites":
		res := openssl.EvaluateCiphersuites(c.Value, prof)
		if res.Err != nil {
			return r.fail("ssl_conf_command", c.Dir, "OpenSSL rejects the TLS 1.3 suites (%s)", res.Err.Reason)
		}
		r.suites13 = nil
		for _, s := range res.Suites {
			if s.Min == openssl.TLS13 {
				r.suites13 = append(r.suites13, s)
			} else {
				e.Unmodelled = append(e.Unmodelled, c)
			}
		}
	case "groups", "curves":
		g, err := parseGroups(c.Value, prof)
		if err != "" {
			return r.fail("ssl_conf_command", c.Dir, "%s", err)
		}
		r.groups = g
	case "options":
		err := optionsCommand(c.Value, func(flag string, set bool) {
			switch flag {
			case "serverpreference":
				e.ServerOrder = set
			case "sessionticket":
				r.noTicket = !set
			case "antireplay":
				r.antiReplay = set
			}
		})
		if err != "" {
			return r.fail("ssl_conf_command", c.Dir, "%s", err)
		}
	default:
		if !knownCommand(c.Name) {
			return r.fail("ssl_conf_command", c.Dir, "OpenSSL knows no command %q", c.Name)
		}
		e.Unmodelled = append(e.Unmodelled, c)
	}
	return true
}

// judgeKeys: a level raised after the certificates were loaded
// (CipherString) does not stop the server from choosing a key it now
// refuses: the handshake fails when the certificate is sent.
func (e *Endpoint) judgeKeys() {
	e.refused = map[int]string{}
	for i, k := range e.keys {
		if e.Level > 0 && k.securityBits() < minBits(e.Level) {
			why := fmt.Sprintf("security level %d (%s) refuses the %s certificate's %d bits of security when it is sent", e.Level, e.LevelFrom, k, k.securityBits())
			e.Unused = append(e.Unused, KeyState{Key: k, Why: why})
			e.refused[i] = why
		}
	}
}

// versions says which versions are on, and why the others are not.
func (r *replay) versions() {
	e, prof := r.e, r.prof
	e.enabled = map[openssl.Version]bool{}
	for _, v := range AllVersions {
		vs := VersionState{Version: v, Configured: r.on[v]}
		switch {
		case !r.on[v]:
			vs.Why = r.from[v]
		case r.minV != 0 && v < r.minV:
			vs.Why = "MinProtocol " + r.minV.String() + " excludes " + v.String()
		case r.maxV != 0 && v > r.maxV:
			vs.Why = "MaxProtocol " + r.maxV.String() + " excludes " + v.String()
		case v == openssl.SSLv3 && prof != openssl.LegacyProfile:
			vs.Why = "OpenSSL " + prof + " is built without SSLv3"
		case !versionAllowed(v, e.Level):
			vs.Why = fmt.Sprintf("security level %d (%s) refuses %s", e.Level, e.LevelFrom, v)
		default:
			e.enabled[v] = true
		}
		e.Versions = append(e.Versions, vs)
	}
}

// groupsAndSuites judges the key exchange groups and the suites the
// server may pick.
func (r *replay) groupsAndSuites() {
	e := r.e
	for _, g := range r.groups {
		gs := GroupState{Name: g}
		f, ok := groups30[g]
		switch {
		case !ok:
			gs.Why = "OpenSSL " + r.prof + " has no such TLS group"
		case e.Level > 0 && f.secBits < minBits(e.Level):
			gs.Why = fmt.Sprintf("security level %d (%s) refuses a group of %d bits of security", e.Level, e.LevelFrom, f.secBits)
		default:
			gs.TLS12 = f.minTLS <= openssl.TLS12
			gs.TLS13 = f.maxTLS == 0
		}
		e.Groups = append(e.Groups, gs)
	}
	e.Suites = e.suiteStates(r.list)
	for _, s := range r.suites13 {
		st := SuiteState{Suite: s}
		if e.Level > 0 && s.Bits < minBits(e.Level) {
			st.Why = fmt.Sprintf("security level %d (%s) refuses it: its cipher has %d bits of security", e.Level, e.LevelFrom, s.Bits)
		}
		e.Suites13 = append(e.Suites13, st)
	}
}

// feasibility is tls_setup_handshake: OpenSSL takes the lowest contiguous
// run of versions, and checks that a suite of the list fits the run's top.
func (r *replay) feasibility() {
	e := r.e
	top := e.rangeTop()
	if top == 0 {
		var why []string
		for _, vs := range e.Versions {
			if vs.Configured && !slices.Contains(why, vs.Why) {
				why = append(why, vs.Why)
			}
		}
		e.NoHandshake = "no protocol version is left"
		if len(why) > 0 {
			e.NoHandshake += " (" + strings.Join(why, "; ") + ")"
		}
	} else if !fitsTop(r.list.Suites, r.suites13, top) {
		if gap := e.gap(top); gap != "" {
			e.NoHandshake = fmt.Sprintf("%s is missing, so OpenSSL caps the versions at %s, and no enabled suite works with it", gap, top)
		} else {
			e.NoHandshake = fmt.Sprintf("no enabled suite works with %s", top)
		}
	}
}

// negotiateVersions tries each version left with a client that offers
// everything.
func (e *Endpoint) negotiateVersions(prof string) {
	everything := EveryClient(prof, 0)
	for i := range e.Versions {
		vs := &e.Versions[i]
		if !vs.Configured || vs.Why != "" {
			continue
		}
		everything.Version = vs.Version
		out := e.Handshake(everything)
		vs.Negotiable = out.OK
		vs.Why = out.Why
	}
}

// earlyData: 0-RTT needs TLS 1.3 and a session to resume.
func (r *replay) earlyData() {
	e, in := r.e, r.in
	if !in.EarlyData {
		return
	}
	switch {
	case !e.negotiable(openssl.TLS13):
		e.EarlyDataWhy = "TLS 1.3 is not negotiable"
	case r.noTicket && !in.Cache:
		e.EarlyDataWhy = "no session can be resumed (session tickets are off and there is no session cache)"
	case r.antiReplay && !in.Cache:
		e.EarlyDataWhy = "OpenSSL's anti-replay protection needs a session cache"
	case !e.groupFor13("x25519"):
		// A client sends its first key share for X25519; a server
		// without it asks for another group (HelloRetryRequest), which
		// rejects early data.
		e.EarlyDataWhy = "the server's groups lack X25519, so a client's first key share is refused and the retry rejects early data"
	default:
		e.EarlyData = true
	}
}

func (e *Endpoint) groupFor13(name string) bool {
	for _, g := range e.Groups {
		if g.Name == name && g.TLS13 {
			return true
		}
	}
	return false
}

func (e *Endpoint) negotiable(v openssl.Version) bool {
	for _, vs := range e.Versions {
		if vs.Version == v {
			return vs.Negotiable
		}
	}
	return false
}

// Negotiable reports whether a client that offers everything completes a
// handshake with version v.
func (e *Endpoint) Negotiable(v openssl.Version) bool { return e.Start == nil && e.negotiable(v) }

// rangeTop is what ssl_get_min_max_version makes of the enabled versions:
// walking down from the newest, a version after a gap restarts the range,
// so the top is that of the lowest contiguous run.
func (e *Endpoint) rangeTop() openssl.Version {
	var top openssl.Version
	hole := true
	for i := len(AllVersions) - 1; i >= 0; i-- {
		v := AllVersions[i]
		if !e.enabled[v] {
			hole = true
			continue
		}
		if hole {
			top = v
			hole = false
		}
	}
	return top
}

// gap names the versions missing between the range's top and the newest
// enabled version.
func (e *Endpoint) gap(top openssl.Version) string {
	var newest openssl.Version
	for _, v := range AllVersions {
		if e.enabled[v] {
			newest = v
		}
	}
	var missing []string
	for _, v := range AllVersions {
		if v > top && v < newest && !e.enabled[v] {
			missing = append(missing, v.String())
		}
	}
	return strings.Join(missing, " and ")
}

func fitsTop(list, suites13 []*openssl.Suite, top openssl.Version) bool {
	if top == openssl.TLS13 {
		return len(suites13) > 0
	}
	for _, s := range list {
		if s.Min <= top {
			return true
		}
	}
	return false
}

// suiteState says whether the server can pick a TLS 1.2-and-older suite,
// whatever the client: its certificate, DH parameters and security level.
// Groups and versions depend on the client and are checked per handshake.
// suitesKey is what suiteState reads of an endpoint, with the cipher list
// (openssl.Evaluate's results are cached, so one string is one pointer).
type suitesKey struct {
	list                       *openssl.Result
	keysKnown, rsa, ecdsa, dsa bool
	dhBits, level              int
	levelFrom                  string
}

// suitesMemo shares the suite states of endpoints alike: thousands of
// servers with one cipher string and one kind of key held a list of 150
// states each (7 KB a server). Bounded: cleared when full.
var suitesMemo struct {
	sync.Mutex
	m map[suitesKey][]SuiteState
}

const maxSuitesMemo = 1024

// suiteStates are the states of list's suites on e, read-only: they may
// be shared with other endpoints.
func (e *Endpoint) suiteStates(list *openssl.Result) []SuiteState {
	k := suitesKey{list, e.keysKnown, e.hasKey("RSA"), e.hasKey("ECDSA"), e.hasKey("DSA"), e.dhBits, e.Level, e.LevelFrom}
	suitesMemo.Lock()
	out, ok := suitesMemo.m[k]
	suitesMemo.Unlock()
	if ok {
		return out
	}
	out = make([]SuiteState, 0, len(list.Suites))
	for _, s := range list.Suites {
		out = append(out, e.suiteState(s))
	}
	suitesMemo.Lock()
	if suitesMemo.m == nil || len(suitesMemo.m) >= maxSuitesMemo {
		suitesMemo.m = map[suitesKey][]SuiteState{}
	}
	suitesMemo.m[k] = out
	suitesMemo.Unlock()
	return out
}

func (e *Endpoint) suiteState(s *openssl.Suite) SuiteState {
	st := SuiteState{Suite: s}
	switch {
	case !openssl.UsableSuite(s):
		st.Why = "nginx sets no PSK or SRP callback, and OpenSSL has no GOST without an engine"
	case s.Kx&openssl.KxRSA != 0 && !e.hasKey("RSA"):
		st.Why = "RSA key exchange needs an RSA certificate"
	case s.Auth&openssl.AuthRSA != 0 && !e.hasKey("RSA"):
		st.Why = "it needs an RSA certificate"
	case s.Auth&openssl.AuthECDSA != 0 && !e.hasKey("ECDSA"):
		st.Why = "it needs an ECDSA certificate"
	case s.Auth&openssl.AuthDSS != 0 && !e.hasKey("DSA"):
		st.Why = "it needs a DSA certificate"
	case s.Kx&openssl.KxDHE != 0 && e.dhBits == 0:
		st.Why = "DHE needs ssl_dhparam, which is not set"
	}
	if st.Why != "" {
		return st
	}
	if why := suiteRefusal(s, e.Level); why != "" {
		st.Why = fmt.Sprintf("security level %d (%s) refuses it: %s", e.Level, e.LevelFrom, why)
		return st
	}
	if s.Kx&openssl.KxDHE != 0 && e.dhBits > 0 {
		sb := securityBits(e.dhBits)
		if e.Level <= 0 && sb < 80 || e.Level > 0 && sb < minBits(e.Level) {
			st.Fatal = fmt.Sprintf("security level %d (%s) refuses the %d-bit DH group at the handshake", e.Level, e.LevelFrom, e.dhBits)
		}
	}
	return st
}

func (e *Endpoint) hasKey(alg string) bool {
	if !e.keysKnown {
		return true
	}
	for _, k := range e.keys {
		if k.Alg == alg {
			return true
		}
	}
	return false
}

// Client is what a client offers: one version, its suites in its order,
// its groups (TLS names).
type Client struct {
	Version openssl.Version
	Suites  []*openssl.Suite // TLS 1.2-and-older and TLS 1.3 suites alike
	Groups  []string
}

// Outcome is what a handshake gives.
type Outcome struct {
	OK    bool
	Suite *openssl.Suite // the suite picked (also when the handshake then fails)
	Why   string         // why it fails
}

// Handshake predicts the handshake of a client with the server.
func (e *Endpoint) Handshake(c Client) Outcome {
	if e.Start != nil {
		return Outcome{Why: "nginx does not start: " + e.Start.Why}
	}
	if e.NoHandshake != "" {
		return Outcome{Why: e.NoHandshake}
	}
	v := c.Version
	if !e.enabled[v] {
		for _, vs := range e.Versions {
			if vs.Version == v {
				return Outcome{Why: vs.Why}
			}
		}
		return Outcome{Why: "unknown version"}
	}
	if v == openssl.TLS13 {
		return e.handshake13(c)
	}
	// A set made per handshake was most of what evaluating every server
	// allocated: it is borrowed and cleared instead.
	offered := offeredPool.Get().(map[*openssl.Suite]int)
	defer func() { clear(offered); offeredPool.Put(offered) }()
	for i, s := range c.Suites {
		offered[s] = i + 1
	}
	type cand struct {
		i, pos int32 // the suite in e.Suites; its rank in the pick
	}
	cands := make([]cand, 0, len(e.Suites))
	for i, st := range e.Suites {
		if offered[st.Suite] == 0 {
			continue
		}
		pos := i
		if !e.ServerOrder {
			pos = offered[st.Suite]
		}
		cands = append(cands, cand{int32(i), int32(pos)})
	}
	slices.SortStableFunc(cands, func(a, b cand) int { return int(a.pos - b.pos) })
	var why string
	for _, cd := range cands {
		st := e.Suites[cd.i]
		s := st.Suite
		if st.Why != "" || s.Min > v {
			continue
		}
		if s.Kx&openssl.KxECDHE != 0 && !e.sharedGroup(c.Groups, v) {
			why = "no group shared with the client for ECDHE"
			continue
		}
		if s.Auth&openssl.AuthECDSA != 0 && !e.ecdsaCurveOffered(c.Groups) {
			why = "the client does not offer the ECDSA certificate's curve"
			continue
		}
		if st.Fatal != "" {
			return Outcome{Suite: s, Why: st.Fatal}
		}
		if why := e.keyRefused(s, c.Groups); why != "" {
			return Outcome{Suite: s, Why: why}
		}
		if v < openssl.TLS12 && e.Level > 0 {
			return Outcome{Suite: s, Why: fmt.Sprintf("security level %d refuses the SHA-1 and MD5 signatures of TLS 1.0 and 1.1", e.Level)}
		}
		return Outcome{OK: true, Suite: s}
	}
	if why == "" {
		why = "no suite the server can pick is offered for " + v.String()
	}
	return Outcome{Why: why}
}

func (e *Endpoint) handshake13(c Client) Outcome {
	if e.keysKnown {
		// The signature algorithms put ECDSA first, then EdDSA, then
		// RSA-PSS: the first certificate of those kinds signs.
		chosen := -1
		for _, alg := range []string{"ECDSA", "Ed25519", "Ed448", "RSA"} {
			for i, k := range e.keys {
				if k.Alg == alg && chosen < 0 {
					chosen = i
				}
			}
		}
		if chosen < 0 {
			return Outcome{Why: "no certificate can sign a TLS 1.3 handshake"}
		}
		if why := e.refused[chosen]; why != "" {
			return Outcome{Why: why}
		}
	}
	if !e.sharedGroup(c.Groups, openssl.TLS13) {
		return Outcome{Why: "no group of the server's list works with TLS 1.3"}
	}
	// A set made per handshake was most of what evaluating every server
	// allocated: it is borrowed and cleared instead.
	offered := offeredPool.Get().(map[*openssl.Suite]int)
	defer func() { clear(offered); offeredPool.Put(offered) }()
	for i, s := range c.Suites {
		offered[s] = i + 1
	}
	var best *openssl.Suite
	bestPos := 0
	for i, st := range e.Suites13 {
		if st.Why != "" || offered[st.Suite] == 0 {
			continue
		}
		pos := i + 1
		if !e.ServerOrder {
			pos = offered[st.Suite]
		}
		if best == nil || pos < bestPos {
			best, bestPos = st.Suite, pos
		}
	}
	if best == nil {
		return Outcome{Why: "no TLS 1.3 suite the server can pick is offered"}
	}
	return Outcome{OK: true, Suite: best}
}

func (e *Endpoint) sharedGroup(client []string, v openssl.Version) bool {
	for _, g := range e.Groups {
		if (v == openssl.TLS13 && g.TLS13 || v < openssl.TLS13 && g.TLS12) && slices.Contains(client, g.Name) {
			return true
		}
	}
	return false
}

// keyRefused says why the certificate a TLS 1.2-and-older suite needs
// makes the handshake fail: every key of the kind is refused by the level.
func (e *Endpoint) keyRefused(s *openssl.Suite, client []string) string {
	alg := ""
	switch {
	case s.Kx&openssl.KxRSA != 0 || s.Auth&openssl.AuthRSA != 0:
		alg = "RSA"
	case s.Auth&openssl.AuthECDSA != 0:
		alg = "ECDSA"
	default:
		return ""
	}
	why := ""
	for i, k := range e.keys {
		if k.Alg != alg || alg == "ECDSA" && k.Curve != "" && !slices.Contains(client, k.Curve) {
			continue
		}
		if e.refused[i] == "" {
			return ""
		}
		why = e.refused[i]
	}
	return why
}

// ecdsaCurveOffered: in TLS 1.2 and older an ECDSA certificate is used
// only when the client lists its curve among its groups.
func (e *Endpoint) ecdsaCurveOffered(client []string) bool {
	if !e.keysKnown {
		return true
	}
	for _, k := range e.keys {
		if k.Alg == "ECDSA" && (k.Curve == "" || slices.Contains(client, k.Curve)) {
			return true
		}
	}
	return false
}

// Picks are the suites a server picks for a client offering c.Suites,
// each removed after it is picked, until the handshake fails: the server's
// set, in the order it prefers them (in the client's, without server
// preference). The last outcome is the failure.
func (e *Endpoint) Picks(c Client) []*openssl.Suite {
	var out []*openssl.Suite
	offer := slices.Clone(c.Suites)
	for {
		c.Suites = offer
		o := e.Handshake(c)
		if !o.OK {
			return out
		}
		out = append(out, o.Suite)
		offer = slices.DeleteFunc(offer, func(s *openssl.Suite) bool { return s == o.Suite })
	}
}

// allSuites are the suites of a client offering everything, in OpenSSL's
// order: ALL at level 0, then the TLS 1.3 suites.
func allSuites(prof string) []*openssl.Suite {
	return append(slices.Clone(openssl.Evaluate("ALL:COMPLEMENTOFALL:@SECLEVEL=0", prof).Suites), openssl.TLS13Suites()...)
}

// allGroups are the groups a client of the profile can offer.
func allGroups(prof string) []string {
	var out []string
	for _, g := range tlsdata.Groups {
		if tlsdata.LookupGroup(g.Name, prof).Supported {
			out = append(out, g.Name)
		}
	}
	return out
}

var offeredPool = sync.Pool{New: func() any { return map[*openssl.Suite]int{} }}

// EveryClient is a client that offers every suite a server can pick and
// every group of the profile, for version v. Its slices are the caller's.
func EveryClient(prof string, v openssl.Version) Client {
	k := clientKey{prof, v}
	if c, ok := everyClient.Load(k); ok {
		c := c.(Client)
		c.Suites, c.Groups = slices.Clone(c.Suites), slices.Clone(c.Groups)
		return c
	}
	c := everyClientOf(prof, v)
	everyClient.Store(k, c)
	c.Suites, c.Groups = slices.Clone(c.Suites), slices.Clone(c.Groups)
	return c
}

type clientKey struct {
	prof string
	v    openssl.Version
}

// everyClient caches EveryClient: the rules ask for it per suite and group
// of every server.
var everyClient sync.Map

func everyClientOf(prof string, v openssl.Version) Client {
	var suites []*openssl.Suite
	for _, s := range allSuites(prof) {
		if openssl.UsableSuite(s) {
			suites = append(suites, s)
		}
	}
	return Client{Version: v, Suites: suites, Groups: allGroups(prof)}
}

// stateOf finds a suite in the server's final lists.
func (e *Endpoint) stateOf(s *openssl.Suite) *SuiteState {
	list := e.Suites
	if s.Min == openssl.TLS13 {
		list = e.Suites13
	}
	for i := range list {
		if list[i].Suite == s {
			return &list[i]
		}
	}
	return nil
}

// SuiteNegotiable reports whether some client completes a handshake with
// suite s, and else why not: a client that offers only s and every group,
// at each version the server enables.
func (e *Endpoint) SuiteNegotiable(s *openssl.Suite) (bool, string) {
	if e.Start != nil {
		return false, "nginx does not start: " + e.Start.Why
	}
	if e.NoHandshake != "" {
		return false, e.NoHandshake
	}
	st := e.stateOf(s)
	switch {
	case st == nil:
		return false, "the server's final cipher list does not contain it"
	case st.Why != "":
		return false, st.Why
	case st.Fatal != "":
		return false, st.Fatal
	}
	why := ""
	for i := len(AllVersions) - 1; i >= 0; i-- {
		v := AllVersions[i]
		if !e.enabled[v] || (s.Min == openssl.TLS13) != (v == openssl.TLS13) || s.Min > v {
			continue
		}
		c := EveryClient(openssl.Canonical(e.Target.OpenSSL), v)
		c.Suites = []*openssl.Suite{s}
		o := e.Handshake(c)
		if o.OK {
			return true, ""
		}
		if why == "" {
			why = o.Why
		}
	}
	if why == "" {
		why = "it needs " + s.Min.String() + " or newer, which the server does not negotiate"
	}
	return false, why
}

// GroupNegotiable reports whether some client's key exchange uses the
// group (ECDHE in TLS 1.2 and older, a key share in TLS 1.3), and else why
// not.
func (e *Endpoint) GroupNegotiable(name string) (bool, string) {
	if e.Start != nil {
		return false, "nginx does not start: " + e.Start.Why
	}
	if e.NoHandshake != "" {
		return false, e.NoHandshake
	}
	var gs *GroupState
	for i := range e.Groups {
		if e.Groups[i].Name == name {
			gs = &e.Groups[i]
		}
	}
	switch {
	case gs == nil:
		return false, "the server's final group list does not contain it"
	case gs.Why != "":
		return false, gs.Why
	}
	why := ""
	for i := len(AllVersions) - 1; i >= 0; i-- {
		v := AllVersions[i]
		if !e.enabled[v] || v == openssl.TLS13 && !gs.TLS13 || v < openssl.TLS13 && !gs.TLS12 {
			continue
		}
		c := EveryClient(openssl.Canonical(e.Target.OpenSSL), v)
		c.Groups = []string{name}
		if v < openssl.TLS13 {
			// Only the suites that use the group count. An ECDSA
			// certificate's curve must be offered too: after the group, so
			// a server that follows the client picks the group, and only
			// when the server's list cannot pick the curve first.
			c.Suites = slices.DeleteFunc(c.Suites, func(s *openssl.Suite) bool { return s.Kx&openssl.KxECDHE == 0 })
			for _, k := range e.keys {
				if k.Curve != "" && k.Curve != name && !slices.Contains(c.Groups, k.Curve) && !e.groupBefore(k.Curve, name) {
					c.Groups = append(c.Groups, k.Curve)
				}
			}
		}
		o := e.Handshake(c)
		if o.OK {
			return true, ""
		}
		if why == "" {
			why = o.Why
		}
	}
	if why == "" {
		switch {
		case gs.TLS13 && !gs.TLS12:
			why = "it works with TLS 1.3 only, which the server does not negotiate"
		case gs.TLS12 && !gs.TLS13:
			why = "it works with TLS 1.2 and older only, which the server does not negotiate"
		default:
			why = "no version the server negotiates uses it"
		}
	}
	return false, why
}

// groupBefore reports whether a server that picks groups in its own order
// would pick a before b.
func (e *Endpoint) groupBefore(a, b string) bool {
	if !e.ServerOrder {
		return false
	}
	for _, g := range e.Groups {
		switch g.Name {
		case a:
			return g.TLS12
		case b:
			return false
		}
	}
	return false
}
