package openssl

import (
	"sort"
	"sync"
)

// profile is everything the engine needs to know about one OpenSSL build.
type profile struct {
	name string
	// legacy selects OpenSSL 1.0.2's rules: export classes, protocol masks,
	// no '=' in words (no @SECLEVEL), explicit names matched by their
	// algorithms rather than their id, SUITEB only as the whole string.
	legacy      bool
	defaultList string
	entries     []entry        // the suites the build has, in OpenSSL's initial order
	byName      map[string]int // suite name -> entry
	aliasTable  []Alias
	aliases     map[string]*Alias // the aliases the build keeps
	pre         []int16           // entry order after the preference pre-ordering
}

type entry struct {
	s        *Suite
	strength Strength
	ssl      sslBits
}

var (
	profileOnce sync.Once
	profiles    map[string]*profile
)

func getProfile(name string) *profile {
	profileOnce.Do(func() {
		loadTables()
		profiles = map[string]*profile{
			"3.0":   newProfile("3.0", false, "ALL:!COMPLEMENTOFDEFAULT:!eNULL", aliases30, disabled30),
			"1.1.1": newProfile("1.1.1", false, "ALL:!COMPLEMENTOFDEFAULT:!eNULL", aliases30, disabledOld),
			"1.0.2": newProfile("1.0.2", true, "ALL:!EXPORT:!LOW:!aNULL:!eNULL:!SSLv2", aliases102, disabledOld),
		}
	})
	return profiles[Canonical(name)]
}

func newProfile(name string, legacy bool, def string, table []Alias, dis disabled) *profile {
	p := &profile{name: name, legacy: legacy, defaultList: def, byName: map[string]int{},
		aliasTable: table, aliases: map[string]*Alias{}}
	// OpenSSL sorts its table by id and walks it backwards: the initial
	// order is by descending id, which breaks every tie of the pre-ordering.
	suites := SuitesOf(name)
	sort.Slice(suites, func(i, j int) bool { return suites[i].ID > suites[j].ID })
	for _, s := range suites {
		e := entry{s: s, strength: s.StrengthOn(name)}
		switch s.Min {
		case TLS12:
			e.ssl = sslV12
		default:
			e.ssl = sslV3
		}
		p.byName[s.Name] = len(p.entries)
		p.entries = append(p.entries, e)
	}
	for i := range table {
		if !dis.drops(&table[i]) {
			p.aliases[table[i].Name] = &table[i]
		}
	}
	p.pre = p.preorder()
	return p
}

// preorder arranges all suites by OpenSSL's preference, as
// ssl_create_cipher_list does before reading the string: every later ADD
// appends suites in this order.
func (p *profile) preorder() []int16 {
	st := newState(p, nil)
	if p.legacy {
		// 1.0.2: ephemeral ECDH first, AES preferred, then the rest; MD5,
		// anonymous, non-forward-secret and RC4 suites to the end; sort by
		// strength.
		st.apply(opAdd, &pattern{kx: KxECDHE}, -1)
		st.apply(opDel, &pattern{kx: KxECDHE}, -1)
		st.apply(opAdd, &pattern{enc: EncAES128 | EncAES256 | EncAESGCM}, -1)
		st.apply(opAdd, &pattern{}, -1)
		st.apply(opOrd, &pattern{mac: MACMD5}, -1)
		st.apply(opOrd, &pattern{auth: AuthNULL}, -1)
		st.apply(opOrd, &pattern{auth: AuthECDH}, -1)
		st.apply(opOrd, &pattern{kx: KxRSA}, -1)
		st.apply(opOrd, &pattern{kx: KxPSK}, -1)
		st.apply(opOrd, &pattern{enc: EncRC4}, -1)
		st.strengthSort(-1)
		st.apply(opDel, &pattern{}, -1)
		return st.order
	}
	// 1.1.0 and later: ECDHE (ECDSA first), then AES-GCM, ChaCha20, other
	// AES, then the rest; MD5, anonymous, static RSA, PSK and RC4 to the
	// end; sort by strength; then TLS 1.2 suites, AEAD, forward secrecy and
	// forward-secret AEAD are bumped to the top in turn.
	st.apply(opAdd, &pattern{kx: KxECDHE, auth: AuthECDSA}, -1)
	st.apply(opAdd, &pattern{kx: KxECDHE}, -1)
	st.apply(opDel, &pattern{kx: KxECDHE}, -1)
	st.apply(opAdd, &pattern{enc: EncAESGCM}, -1)
	st.apply(opAdd, &pattern{enc: EncCHACHA20POLY1305}, -1)
	st.apply(opAdd, &pattern{enc: EncAES &^ EncAESGCM}, -1)
	st.apply(opAdd, &pattern{}, -1)
	st.apply(opOrd, &pattern{mac: MACMD5}, -1)
	st.apply(opOrd, &pattern{auth: AuthNULL}, -1)
	st.apply(opOrd, &pattern{kx: KxRSA}, -1)
	st.apply(opOrd, &pattern{kx: KxPSK}, -1)
	st.apply(opOrd, &pattern{enc: EncRC4}, -1)
	st.strengthSort(-1)
	st.apply(opBump, &pattern{min: TLS12}, -1)
	st.apply(opBump, &pattern{mac: MACAEAD}, -1)
	st.apply(opBump, &pattern{kx: KxDHE | KxECDHE}, -1)
	st.apply(opBump, &pattern{kx: KxDHE | KxECDHE, mac: MACAEAD}, -1)
	st.apply(opDel, &pattern{}, -1)
	return st.order
}

// Preference returns every suite of a profile in OpenSSL's preference
// order: the order in which cipher strings pick them.
func Preference(profile string) []*Suite {
	p := getProfile(profile)
	out := make([]*Suite, len(p.pre))
	for i, e := range p.pre {
		out[i] = p.entries[e].s
	}
	return out
}
