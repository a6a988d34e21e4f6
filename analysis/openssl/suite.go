package openssl

import (
	"fmt"
	"sort"
	"strings"
	"sync"
)

// Suite is one TLS cipher suite usable with TLS 1.2 or older (TLS 1.3 suites
// are configured separately: see EvaluateCiphersuites).
type Suite struct {
	ID      uint16 // IANA code point
	Name    string // OpenSSL's name
	IANA    string // the registry's name
	Kx      Kx
	Auth    Auth
	Enc     Enc
	MAC     MAC
	Min     Version // the protocol version that introduced it
	Bits    int     // effective symmetric strength (3DES counts 112)
	AlgBits int     // key size of the cipher
	// Strength are the class flags on OpenSSL 3.0 and 1.1.1, Strength102
	// those on OpenSSL 1.0.2 (where 3DES was still HIGH).
	Strength    Strength
	Strength102 Strength

	profiles profileSet
}

type profileSet uint8

const (
	in30 profileSet = 1 << iota
	in111
	in102
)

// Profiles are the OpenSSL builds the engine models, newest first.
var Profiles = []string{"3.0", "1.1.1", "1.0.2"}

// LegacyProfile is the profile of old builds that still have RC4, DES,
// EXPORT suites and 3DES in HIGH. No such OpenSSL is at hand to check the
// model against, so findings on it speak of "legacy builds".
const LegacyProfile = "1.0.2"

// Canonical maps an OpenSSL version ("3.0", "3.2.1", "1.1.1w", "1.0.2k",
// "3") to the profile that models it: OpenSSL 3.x to "3.0", 1.1.x to
// "1.1.1", older releases to "1.0.2". Unknown input gives "3.0".
func Canonical(version string) string {
	v := strings.TrimSpace(strings.TrimPrefix(strings.ToLower(version), "openssl"))
	v = strings.TrimSpace(v)
	switch {
	case v == "1" || strings.HasPrefix(v, "1.0") || strings.HasPrefix(v, "0."):
		return "1.0.2"
	case strings.HasPrefix(v, "1."):
		return "1.1.1"
	}
	return "3.0"
}

func profileBit(profile string) profileSet {
	switch Canonical(profile) {
	case "1.1.1":
		return in111
	case "1.0.2":
		return in102
	}
	return in30
}

// In reports whether builds of the profile have the suite.
func (s *Suite) In(profile string) bool { return s.profiles&profileBit(profile) != 0 }

// StrengthOn returns the class flags the suite has on a profile.
func (s *Suite) StrengthOn(profile string) Strength {
	if profileBit(profile) == in102 {
		return s.Strength102
	}
	return s.Strength
}

// EncName is the encryption as `openssl ciphers -v` names it, with the
// reduced key size of export suites.
func (s *Suite) EncName() string {
	if s.Strength102&Export != 0 && s.Enc&(EncDES|EncRC4|EncRC2) != 0 {
		return strings.SplitN(s.Enc.String(), "(", 2)[0] + fmt.Sprintf("(%d)", s.Bits)
	}
	return s.Enc.String()
}

// Description is the line `openssl ciphers -v` prints for the suite.
func (s *Suite) Description() string {
	kx, au := s.Kx.String(), s.Auth.String()
	if s.Min == TLS13 {
		kx, au = "any", "any"
	}
	return fmt.Sprintf("%-30s %-7s Kx=%-8s Au=%-5s Enc=%-22s Mac=%-4s", s.Name, s.Min, kx, au, s.EncName(), s.MAC)
}

func (s *Suite) String() string { return s.Name }

var (
	tableOnce sync.Once
	allSuites []*Suite // every TLS <= 1.2 suite of any profile, by id
	byName    map[string]*Suite
	byIANA    map[string]*Suite
)

func loadTables() {
	tableOnce.Do(func() {
		byName = map[string]*Suite{}
		byIANA = map[string]*Suite{}
		add := func(s *Suite) {
			if _, dup := byName[s.Name]; dup {
				panic("openssl: duplicate suite name " + s.Name)
			}
			allSuites = append(allSuites, s)
			byName[s.Name] = s
			byIANA[s.IANA] = s
		}
		for i := range suites30 {
			s := &suites30[i]
			s.profiles = in30 | in111
			if in102IDs[s.ID] {
				s.profiles |= in102
				s.Strength102 = s.Strength&^NotDefault | NotExport
			}
			add(s)
		}
		for i := range legacySuites {
			add(&legacySuites[i])
		}
		sort.Slice(allSuites, func(i, j int) bool { return allSuites[i].ID < allSuites[j].ID })
		for i := range tls13Suites {
			byIANA[tls13Suites[i].IANA] = &tls13Suites[i]
		}
	})
}

// LookupSuite finds a suite by its OpenSSL name, or by its IANA name (also
// TLS 1.3 suites, which have no other name). It returns nil for names no
// profile knows. OpenSSL names are case-sensitive.
func LookupSuite(name string) *Suite {
	loadTables()
	if s := byName[name]; s != nil {
		return s
	}
	return byIANA[name]
}

// SuitesOf returns the TLS <= 1.2 suites a profile's builds have, by id.
func SuitesOf(profile string) []*Suite {
	loadTables()
	bit := profileBit(profile)
	var out []*Suite
	for _, s := range allSuites {
		if s.profiles&bit != 0 {
			out = append(out, s)
		}
	}
	return out
}

// AllSuites returns every TLS <= 1.2 suite any profile knows, by id.
func AllSuites() []*Suite {
	loadTables()
	return append([]*Suite(nil), allSuites...)
}
