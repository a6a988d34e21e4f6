package openssl

import (
	"fmt"
	"slices"
	"strings"
	"sync"
)

// Op is what an item of a cipher string does.
type Op uint8

const (
	OpAdd      Op = iota // WORD: append the matching suites not yet enabled
	OpRemove             // -WORD: disable the matching suites; later items may enable them again
	OpKill               // !WORD: remove the matching suites for good
	OpOrder              // +WORD: move the matching enabled suites to the end
	OpStrength           // @STRENGTH: sort the enabled suites by strength
	OpSecLevel           // @SECLEVEL=n
	OpDefault            // DEFAULT at the start: OpenSSL's default list
	OpSuiteB             // SUITEB128, SUITEB128ONLY, SUITEB128C2, SUITEB192 at the start
	OpInvalid            // what OpenSSL rejects: an invalid character or @ command
)

func (o Op) String() string {
	return [...]string{"add", "remove", "kill", "order", "strength", "seclevel", "default", "suiteb", "invalid"}[o]
}

// WordKind tells what a word of an item is to the profile.
type WordKind uint8

const (
	WordUnknown WordKind = iota // OpenSSL ignores the item
	WordSuite                   // an OpenSSL suite name
	WordAlias                   // an alias such as HIGH or kRSA
)

// Word is one name of an item ("aRSA" and "AESGCM" in "aRSA+AESGCM").
type Word struct {
	Text       string
	Start, End int // byte offsets in the evaluated string
	Kind       WordKind
	Suite      *Suite
	Alias      *Alias
}

// Item is one element of a cipher string between separators, with what it
// did on the profile.
type Item struct {
	Text       string
	Start, End int // byte offsets in the evaluated string, prefix included
	Op         Op
	Words      []Word
	// Known: every word is known to the profile. Empty: they are, but their
	// '+' combination excludes everything (e.g. "AES+ECDHE+RSA").
	Known, Empty bool
	// Matched are the suites the item's pattern selected (whatever their
	// state); Changed those it actually affected: enabled (add), disabled
	// (remove, kill) or moved (order).
	Matched, Changed []*Suite
	SecLevel         int // for OpSecLevel
}

// Ignored reports an item that changes nothing because the profile does not
// know a word, its words exclude each other, or it matches no suite.
func (it *Item) Ignored() bool {
	switch it.Op {
	case OpAdd, OpRemove, OpKill, OpOrder:
		return !it.Known || it.Empty || len(it.Matched) == 0
	}
	return false
}

// Error is OpenSSL's refusal of a cipher string; nginx then refuses to start
// (SSL_CTX_set_cipher_list() failed).
type Error struct {
	Profile    string
	Reason     string // OpenSSL's reason: "no cipher match" or "invalid command"
	Start, End int    // the offending part of the string (the whole string for "no cipher match")
}

func (e *Error) Error() string { return fmt.Sprintf("OpenSSL %s: %s", e.Profile, e.Reason) }

// Result is the evaluation of a cipher string on a profile. Results are
// shared between callers and must not be modified.
type Result struct {
	Profile string
	String  string
	// Suites are the TLS <= 1.2 suites the string enables, in OpenSSL's
	// order, and EnabledBy[i] the index in Items of the item that enabled
	// Suites[i]. Both are empty when Err is set.
	Suites    []*Suite
	EnabledBy []int
	Items     []Item
	SecLevel  int    // set by @SECLEVEL=n; -1 when the string sets none
	Err       *Error // non-nil when OpenSSL rejects the string

	usable     []*Suite
	usableOnce sync.Once
}

// Usable are the Suites a TLS server such as nginx can negotiate: not the
// PSK and SRP suites, which need callbacks nginx does not set, nor GOST,
// which needs an engine. Worked out once per result, which every server
// with the same string shares.
func (r *Result) Usable() []*Suite {
	r.usableOnce.Do(func() {
		for _, s := range r.Suites {
			if UsableSuite(s) {
				r.usable = append(r.usable, s)
			}
		}
	})
	return r.usable
}

// UsableSuite reports a suite a TLS server such as nginx can negotiate
// (see Usable).
func UsableSuite(s *Suite) bool {
	return s.Kx&(KxPSK|KxRSAPSK|KxECDHEPSK|KxDHEPSK|KxSRP|KxGOST|KxGOST18) == 0 &&
		s.Auth&(AuthPSK|AuthSRP) == 0
}

// Names returns the OpenSSL names of the enabled suites.
func (r *Result) Names() []string {
	out := make([]string, len(r.Suites))
	for i, s := range r.Suites {
		out[i] = s.Name
	}
	return out
}

// --- the list of suites, as ssl_ciph.c keeps it ---

type op uint8

const (
	opAdd  op = iota // append matching inactive suites, enabling them
	opKill           // unlink matching suites
	opDel            // move matching active suites to the front, disabling them
	opOrd            // move matching active suites to the end
	opBump           // move matching active suites to the front
)

// pattern is an item's selection: masks per field (zero matches anything),
// a suite id, a protocol and class flags; or, for @STRENGTH, a strength.
type pattern struct {
	id       uint16
	byID     bool
	kx       Kx
	auth     Auth
	enc      Enc
	mac      MAC
	min      Version
	ssl      sslBits
	strength Strength
	byBits   bool
	bits     int
}

func (p *profile) match(e *entry, m *pattern) bool {
	s := e.s
	if m.byBits {
		return s.Bits == m.bits
	}
	if p.legacy {
		// 1.0.2's COMPLEMENTOFDEFAULT selects export suites outright.
		if m.strength == expMask102 && e.strength&Export != 0 {
			return true
		}
	} else if m.byID && m.id != s.ID {
		return false
	}
	if m.kx != 0 && m.kx&s.Kx == 0 || m.auth != 0 && m.auth&s.Auth == 0 ||
		m.enc != 0 && m.enc&s.Enc == 0 || m.mac != 0 && m.mac&s.MAC == 0 {
		return false
	}
	if p.legacy {
		return (m.ssl == 0 || m.ssl&e.ssl != 0) &&
			(m.strength&expMask102 == 0 || m.strength&expMask102&e.strength != 0) &&
			(m.strength&strongMask102 == 0 || m.strength&strongMask102&e.strength != 0)
	}
	return (m.min == 0 || m.min == s.Min) &&
		(m.strength&strongMask == 0 || m.strength&strongMask&e.strength != 0) &&
		(m.strength&defaultMask == 0 || m.strength&defaultMask&e.strength != 0)
}

type state struct {
	p      *profile
	order  []int16 // the linked list of ssl_ciph.c, as a slice; killed suites leave it
	tmp    []int16
	active []bool
	by     []int32 // the item that enabled each entry
	items  []Item  // where to record what items do; nil during the pre-ordering
}

func newState(p *profile, pre []int16) *state {
	n := len(p.entries)
	st := &state{p: p, order: make([]int16, n), tmp: make([]int16, 0, n), active: make([]bool, n), by: make([]int32, n)}
	if pre != nil {
		copy(st.order, pre)
	} else {
		for i := range st.order {
			st.order[i] = int16(i)
		}
	}
	return st
}

// apply runs one rule of ssl_cipher_apply_rule. Iterating a linked list
// while moving its elements to one end amounts to a stable partition:
// ADD and ORD append the moved suites in list order, DEL and BUMP (which
// OpenSSL walks backwards) put them in front in list order.
func (st *state) apply(o op, m *pattern, item int) {
	var rec *Item
	if item >= 0 && st.items != nil {
		rec = &st.items[item]
	}
	keep, moved := st.tmp[:0], make([]int16, 0, 8)
	for _, e := range st.order {
		if !st.p.match(&st.p.entries[e], m) {
			keep = append(keep, e)
			continue
		}
		if rec != nil {
			rec.Matched = append(rec.Matched, st.p.entries[e].s)
		}
		active := st.active[e]
		switch o {
		case opAdd:
			if active {
				keep = append(keep, e)
				continue
			}
			st.active[e], st.by[e] = true, int32(item)
		case opOrd, opBump:
			if !active {
				keep = append(keep, e)
				continue
			}
		case opDel:
			if !active {
				keep = append(keep, e)
				continue
			}
			st.active[e] = false
		case opKill:
			st.active[e] = false
			if rec != nil && active {
				rec.Changed = append(rec.Changed, st.p.entries[e].s)
			}
			continue // unlinked
		}
		if rec != nil {
			rec.Changed = append(rec.Changed, st.p.entries[e].s)
		}
		moved = append(moved, e)
	}
	switch o {
	case opAdd, opOrd:
		keep = append(keep, moved...)
	case opDel, opBump:
		keep = append(moved, keep...)
	}
	st.tmp = st.order[:0]
	st.order = keep
}

// strengthSort is @STRENGTH: for each strength in use, from the highest,
// move the enabled suites of that strength to the end.
func (st *state) strengthSort(item int) {
	max := 0
	used := map[int]bool{}
	for _, e := range st.order {
		if st.active[e] {
			b := st.p.entries[e].s.Bits
			used[b] = true
			if b > max {
				max = b
			}
		}
	}
	for b := max; b >= 0; b-- {
		if used[b] {
			st.apply(opOrd, &pattern{byBits: true, bits: b}, item)
		}
	}
}

// --- reading the string, as ssl_cipher_process_rulestr does ---

func isSep(c byte) bool { return c == ':' || c == ' ' || c == ';' || c == ',' }

func (p *profile) isWordChar(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' ||
		c == '-' || c == '.' || c == '=' && !p.legacy
}

type evaluator struct {
	p       *profile
	st      *state
	res     *Result
	lenient bool
}

func (ev *evaluator) fail(reason string, start, end int) {
	if ev.res.Err == nil {
		ev.res.Err = &Error{Profile: ev.p.name, Reason: reason, Start: start, End: end}
	}
}

// process reads a rule string. base is its offset in the evaluated string;
// attrib, when >= 0, is the item that all it does is credited to (the
// expansion of DEFAULT or SUITEB). It returns false where OpenSSL stops.
func (ev *evaluator) process(str string, base, attrib int) bool {
	p, n := ev.p, len(str)
	for l := 0; l < n; {
		ch, start := str[l], l
		it, o := ruleOp(ch)
		if it.Op != OpAdd {
			l++
		}
		if isSep(ch) {
			l++
			continue
		}
		special := ch == '@'
		var m pattern
		r := ev.readWords(str, l, base, special, &m, &it)
		l = r.end
		switch {
		case r.invalid:
			// Nothing OpenSSL can read: a character outside [A-Za-z0-9-.=]
			// where a name must start (or the end of the string).
			end := min(l+1, n)
			it.Op, it.Text, it.Start, it.End = OpInvalid, str[start:end], base+start, base+end
			ev.addItem(it, attrib)
			ev.fail("invalid command", base+start, base+end)
			if !ev.lenient && !p.legacy {
				return false
			}
			l = skipItem(str, end)
		case special:
			l = ev.atCommand(str, base, attrib, start, r, it)
		default:
			it.Known = !slices.ContainsFunc(it.Words, func(w Word) bool { return w.Kind == WordUnknown })
			it.Empty = it.Known && !r.found
			if !r.found {
				l = skipItem(str, l)
			}
			it.Text, it.Start, it.End = str[start:l], base+start, base+l
			idx := ev.addItem(it, attrib)
			if r.found {
				ev.st.apply(o, &m, ev.credit(idx, attrib))
			}
		}
	}
	return true
}

// ruleOp is the operation a rule's first character asks for: - removes,
// + moves to the end, ! kills, @ is a command, anything else adds.
func ruleOp(ch byte) (Item, op) {
	switch ch {
	case '-':
		return Item{Op: OpRemove}, opDel
	case '+':
		return Item{Op: OpOrder}, opOrd
	case '!':
		return Item{Op: OpKill}, opKill
	case '@':
		return Item{Op: OpStrength}, opAdd
	}
	return Item{Op: OpAdd}, opAdd
}

// skipItem returns where the item that goes on at l ends: the next
// separator or the end of the string.
func skipItem(str string, l int) int {
	for l < len(str) && !isSep(str[l]) {
		l++
	}
	return l
}

// wordsRead is what readWords found of a rule.
type wordsRead struct {
	start   int  // where the last word starts in the rule string
	end     int  // where reading stopped: after the word, or after its + when one follows
	found   bool // the words matched suites (all of them, joined by +)
	invalid bool // no word where one must start
}

// readWords reads the words of a rule from l, joined by +, into m and
// it.Words; after @ it reads the command's one word only.
func (ev *evaluator) readWords(str string, l, base int, special bool, m *pattern, it *Item) wordsRead {
	n := len(str)
	var r wordsRead
	for {
		r.start = l
		for l < n && ev.p.isWordChar(str[l]) {
			l++
		}
		wend := l
		r.end = l
		if wend == r.start {
			r.invalid = true
			return r
		}
		if special {
			return r
		}
		multi := l < n && str[l] == '+'
		if multi {
			l++
			r.end = l
		}
		w := Word{Text: str[r.start:wend], Start: base + r.start, End: base + wend}
		r.found = ev.word(m, &w, it)
		it.Words = append(it.Words, w)
		if !r.found || !multi {
			return r
		}
	}
}

// atCommand applies an @ command (@STRENGTH, @SECLEVEL=n) read from start
// to r.end and returns where the item ends: OpenSSL ignores the rest of
// it.
func (ev *evaluator) atCommand(str string, base, attrib, start int, r wordsRead, it Item) int {
	text := str[r.start:r.end]
	it.Words = []Word{{Text: text, Start: base + r.start, End: base + r.end, Kind: WordAlias}}
	idx := -1
	switch {
	case text == "STRENGTH":
		idx = ev.addItem(it, attrib)
		ev.st.strengthSort(ev.credit(idx, attrib))
	case !ev.p.legacy && len(text) == 10 && strings.HasPrefix(text, "SECLEVEL=") && text[9] >= '0' && text[9] <= '5':
		it.Op, it.SecLevel = OpSecLevel, int(text[9]-'0')
		ev.res.SecLevel = it.SecLevel
	default:
		it.Op = OpInvalid
		ev.fail("invalid command", base+start, base+r.end)
	}
	l := skipItem(str, r.end)
	it.Text, it.Start, it.End = str[start:l], base+start, base+l
	if idx >= 0 {
		ev.res.Items[idx].Text, ev.res.Items[idx].End = it.Text, it.End
	} else {
		ev.addItem(it, attrib)
	}
	return l
}

func (ev *evaluator) addItem(it Item, attrib int) int {
	if attrib >= 0 {
		return -1
	}
	ev.res.Items = append(ev.res.Items, it)
	ev.st.items = ev.res.Items
	return len(ev.res.Items) - 1
}

func (ev *evaluator) credit(idx, attrib int) int {
	if attrib >= 0 {
		return attrib
	}
	return idx
}

// word adds one name to an item's pattern: masks of the same field are
// intersected, and an empty intersection voids the item.
func (ev *evaluator) word(m *pattern, w *Word, it *Item) bool {
	p := ev.p
	var kx Kx
	var auth Auth
	var enc Enc
	var mac MAC
	var min Version
	var ssl sslBits
	var strength Strength
	m.byID = false
	if i, ok := p.byName[w.Text]; ok {
		e := &p.entries[i]
		w.Kind, w.Suite = WordSuite, e.s
		kx, auth, enc, mac, strength = e.s.Kx, e.s.Auth, e.s.Enc, e.s.MAC, e.strength
	} else if a := p.aliases[w.Text]; a != nil {
		w.Kind, w.Alias = WordAlias, a
		kx, auth, enc, mac, min, ssl, strength = a.Kx, a.Auth, a.Enc, a.MAC, a.Min, a.ssl, a.Strength
	} else {
		return false
	}
	if !and(&m.kx, kx) || !and(&m.auth, auth) || !and(&m.enc, enc) || !and(&m.mac, mac) {
		return false
	}
	if p.legacy {
		if !orClass(&m.strength, strength, expMask102) || !orClass(&m.strength, strength, strongMask102) {
			return false
		}
	} else {
		if strength&strongMask != 0 {
			if m.strength&strongMask != 0 {
				m.strength &= strength&strongMask | ^strongMask
				if m.strength&strongMask == 0 {
					return false
				}
			} else {
				// OpenSSL assigns here, dropping a NotDefault flag an
				// earlier word set: COMPLEMENTOFDEFAULT+HIGH is HIGH.
				m.strength = strength & strongMask
			}
		}
		if !orClass(&m.strength, strength, defaultMask) {
			return false
		}
	}
	if w.Kind == WordSuite {
		// An explicit suite's protocol is not part of the pattern; since
		// OpenSSL 1.1.0 its id is.
		if !p.legacy {
			m.id, m.byID = w.Suite.ID, true
		}
		return true
	}
	if p.legacy {
		return and(&m.ssl, ssl)
	}
	if min != 0 {
		if m.min != 0 && m.min != min {
			return false
		}
		m.min = min
	}
	return true
}

// and intersects a field mask with a word's, reporting an empty result.
func and[T ~uint32 | ~uint8](have *T, add T) bool {
	if add == 0 {
		return true
	}
	if *have == 0 {
		*have = add
		return true
	}
	*have &= add
	return *have != 0
}

// orClass merges the class flags of one mask group: set them when the item
// has none of that group yet, intersect otherwise.
func orClass(have *Strength, add, mask Strength) bool {
	if add&mask == 0 {
		return true
	}
	if *have&mask == 0 {
		*have |= add & mask
		return true
	}
	*have &= add&mask | ^mask
	return *have&mask != 0
}

// Evaluate tells what OpenSSL does with a cipher string (the value of
// ssl_ciphers): the suites it enables in order, which item enabled each,
// and OpenSSL's error when it rejects the string. profile is "3.0", "1.1.1"
// or "1.0.2" (other versions map to the nearest, see Canonical). Results
// are cached; Evaluate is safe for concurrent use.
func Evaluate(s, profile string) *Result { return cached(s, profile, false) }

// EvaluateLenient is Evaluate that reads past what OpenSSL rejects
// (invalid characters, unknown @ commands) instead of stopping there. Its
// Suites answer "what would the rest of the string enable", which is how
// the rules judge tokens on builds that would refuse the string anyway.
// Err still says whether OpenSSL accepts the string.
func EvaluateLenient(s, profile string) *Result { return cached(s, profile, true) }

func evaluate(s, profName string, lenient bool) *Result {
	p := getProfile(profName)
	res := &Result{Profile: p.name, String: s, SecLevel: -1}
	str := s
	if i := strings.IndexByte(str, 0); i >= 0 {
		str = str[:i] // OpenSSL reads a C string
	}
	ev := &evaluator{p: p, st: newState(p, p.pre), res: res, lenient: lenient}
	ok := true
	rest, base := str, 0
	if sb, expansion := suiteB(str, p.legacy); sb != "" {
		idx := ev.addItem(Item{Text: str, Start: 0, End: len(str), Op: OpSuiteB, Known: true,
			Words: []Word{{Text: sb, Start: 0, End: len(sb), Kind: WordAlias}}}, -1)
		ok = ev.process(expansion, 0, idx)
		rest = ""
	} else if strings.HasPrefix(str, "DEFAULT") {
		idx := ev.addItem(Item{Text: "DEFAULT", Start: 0, End: 7, Op: OpDefault, Known: true,
			Words: []Word{{Text: "DEFAULT", Start: 0, End: 7, Kind: WordAlias}}}, -1)
		ok = ev.process(p.defaultList, 0, idx)
		rest, base = str[7:], 7
		if strings.HasPrefix(rest, ":") {
			rest, base = rest[1:], 8
		}
	}
	if ok {
		ev.process(rest, base, -1)
	}
	if res.Err == nil || lenient {
		for _, e := range ev.st.order {
			if ev.st.active[e] {
				res.Suites = append(res.Suites, p.entries[e].s)
				res.EnabledBy = append(res.EnabledBy, int(ev.st.by[e]))
			}
		}
	}
	if res.Err == nil && len(res.Suites) == 0 {
		res.Err = &Error{Profile: p.name, Reason: "no cipher match", Start: 0, End: len(s)}
	}
	if res.Err != nil && !lenient {
		res.Suites, res.EnabledBy = nil, nil
	}
	return res
}

// suiteB recognises the Suite B keywords, which replace the whole string
// (OpenSSL 1.1.0+ only checks that the string starts with one).
func suiteB(s string, legacy bool) (keyword, expansion string) {
	for _, k := range []struct{ word, list string }{
		{"SUITEB128ONLY", "ECDHE-ECDSA-AES128-GCM-SHA256"},
		{"SUITEB128C2", "ECDHE-ECDSA-AES256-GCM-SHA384"},
		{"SUITEB128", "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384"},
		{"SUITEB192", "ECDHE-ECDSA-AES256-GCM-SHA384"},
	} {
		if legacy && s == k.word || !legacy && strings.HasPrefix(s, k.word) {
			return k.word, k.list
		}
	}
	return "", ""
}
