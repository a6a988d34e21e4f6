package openssl

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/nginxls/nginxls/internal/textedit"
)

// Weakness is a reason a suite should not be enabled. A suite can have
// several.
type Weakness uint16

const (
	WeakNull      Weakness = 1 << iota // no encryption
	WeakAnonymous                      // no authentication
	WeakExport                         // 40/56-bit export grade
	WeakRC4
	WeakDES  // single DES, RC2, IDEA, SEED: obsolete or 56-bit ciphers
	Weak3DES // 64-bit block (SWEET32)
	WeakMD5  // MD5 record MAC
	WeakNoFS // no forward secrecy: static RSA, static (EC)DH, plain PSK, SRP
	WeakCBC  // CBC mode with a separate MAC, not AEAD
	WeakDHE  // finite-field ephemeral DH
)

// Weaknesses lists them in the order of the rules.
var Weaknesses = []Weakness{WeakNull, WeakAnonymous, WeakExport, WeakRC4, WeakDES, Weak3DES, WeakMD5, WeakNoFS, WeakCBC, WeakDHE}

// Classify returns every weakness of a suite.
func Classify(s *Suite) Weakness {
	var w Weakness
	export := s.Strength102&Export != 0
	if s.Enc == EncNULL {
		w |= WeakNull
	}
	if s.Auth == AuthNULL {
		w |= WeakAnonymous
	}
	if export {
		w |= WeakExport
	}
	if s.Enc == EncRC4 {
		w |= WeakRC4
	}
	if !export && (s.Enc&(EncDES|EncRC2|EncIDEA|EncSEED) != 0 || s.Bits > 0 && s.Bits < 112 && s.Enc != EncRC4) {
		w |= WeakDES
	}
	if s.Enc == Enc3DES {
		w |= Weak3DES
	}
	if s.MAC == MACMD5 {
		w |= WeakMD5
	}
	if s.Kx&(KxRSA|KxPSK|KxRSAPSK|KxSRP|KxDHr|KxDHd|KxECDHr|KxECDHe) != 0 {
		w |= WeakNoFS
	}
	if s.Enc&EncCBC != 0 {
		w |= WeakCBC
	}
	if s.Kx&(KxDHE|KxDHEPSK) != 0 {
		w |= WeakDHE
	}
	return w
}

// IsAEAD reports authenticated encryption (GCM, CCM, ChaCha20-Poly1305).
func (s *Suite) IsAEAD() bool { return s.MAC == MACAEAD }

// ForwardSecret reports an ephemeral key exchange.
func (s *Suite) ForwardSecret() bool { return Classify(s)&WeakNoFS == 0 }

// Grade sums a suite up in one word: "insecure" (no encryption or
// authentication, export, RC4, DES, MD5), "weak" (3DES, no forward
// secrecy), "legacy" (CBC) or "good" (forward-secret AEAD).
func Grade(s *Suite) string {
	w := Classify(s)
	switch {
	case w&(WeakNull|WeakAnonymous|WeakExport|WeakRC4|WeakDES|WeakMD5) != 0:
		return "insecure"
	case w&(Weak3DES|WeakNoFS) != 0:
		return "weak"
	case w&WeakCBC != 0 || !s.IsAEAD():
		return "legacy"
	}
	return "good"
}

// Select returns the suites that have a weakness.
func Select(suites []*Suite, w Weakness) []*Suite {
	var out []*Suite
	for _, s := range suites {
		if Classify(s)&w != 0 {
			out = append(out, s)
		}
	}
	return out
}

// Exclusions returns the items to append to a cipher string so that none of
// the given suites of a weakness is left, in a form every profile accepts
// (words a profile does not know are ignored there).
func (w Weakness) Exclusions(suites []*Suite) []string {
	// A handful of words at most: a slice beats a set, and the suites are
	// filtered in the loop rather than copied (Select), since this runs
	// for every weak finding of every server.
	var out []string
	add := func(x string) {
		if !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	for _, s := range suites {
		if Classify(s)&w == 0 {
			continue
		}
		switch w {
		case WeakNull:
			add("!eNULL")
		case WeakAnonymous:
			add("!aNULL")
		case WeakExport:
			add("!EXPORT")
		case WeakRC4:
			add("!RC4")
		case WeakDES:
			switch {
			case s.Enc == EncDES:
				add("!DES")
			case s.Enc == EncRC2:
				add("!RC2")
			case s.Enc == EncIDEA:
				add("!IDEA")
			case s.Enc == EncSEED:
				add("!SEED")
			default:
				add("!LOW")
			}
		case Weak3DES:
			add("!3DES")
		case WeakMD5:
			add("!MD5")
		case WeakNoFS:
			switch {
			case s.Kx == KxRSA:
				add("!kRSA")
			case s.Kx&(KxPSK|KxRSAPSK) != 0:
				add("!PSK")
			case s.Kx == KxSRP:
				add("!SRP")
			case s.Kx&(KxDHr|KxDHd) != 0:
				add("!kDH")
			default:
				add("!kECDH")
			}
		case WeakDHE:
			if s.Kx == KxDHEPSK {
				add("!kDHEPSK")
			} else {
				add("!kDHE")
			}
		}
	}
	return out
}

// Summarize names suites for a message: all of them when there are few,
// else a few and the count of the rest ("A, B, C and 13 more").
func Summarize(suites []*Suite, max int) string {
	var names []string
	for i, s := range suites {
		if i == max && len(suites) > max+1 {
			names = append(names, fmt.Sprintf("%d more", len(suites)-max))
			break
		}
		names = append(names, s.Name)
	}
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// Suggest proposes the name a misspelt word probably meant: the right case
// of a known name, OpenSSL's name for an IANA name, or a name one or two
// edits away. It returns "" when nothing is close.
func Suggest(word, profile string) string {
	p := getProfile(profile)
	if s := byIANA[word]; s != nil && s.Min != TLS13 && s.In(profile) {
		return s.Name
	}
	var names []string
	for n := range p.byName {
		names = append(names, n)
	}
	for n := range p.aliases {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if strings.EqualFold(n, word) {
			return n
		}
	}
	best, bestD := "", 3
	if len(word) < 5 {
		bestD = 2
	}
	for _, n := range names {
		if d := textedit.Distance(word, n, bestD-1); d < bestD {
			best, bestD = n, d
		}
	}
	return best
}
