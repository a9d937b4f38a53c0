package cluster

import (
	"math"
	"slices"
	"strings"
	"time"
)

// Event-level evidence: what an article states of its event (the names in
// its lead, the numbers it gives) compared with what a story's members
// state, for agreement and for conflict. See StoryConfig.Conflict.

// facts is an article's evidence in the clusterer's IDs, each list sorted.
type facts struct {
	ents  []uint32    // entities named anywhere
	lead  []uint32    // entities of the title and lead paragraphs
	facts [][2]uint32 // (noun, noun+value) of each Fact
}

// storyFacts counts, over a story's members (not its ghosts), the members
// that name each entity, state each fact and each noun of a fact.
type storyFacts struct {
	counted            bool // a member has been counted (if with no evidence)
	ents, facts, nouns counts
}

// evidenceID returns the ID of an entity, a fact or a noun (by their keys
// as entityKey, nounKey and factKey make them), making one if add. Keys
// are looked up as they are, and made into names only when new.
func (c *Stories) evidenceID(key evKey, add bool) (uint32, bool) {
	if id, ok := c.evIDs[key]; ok {
		return id, true
	}
	if !add {
		return 0, false
	}
	if c.evIDs == nil {
		c.evIDs = make(map[evKey]uint32)
	}
	id := uint32(len(c.evNames))
	c.evIDs[key] = id
	c.evNames = append(c.evNames, key.name())
	if key.kind == 'e' && strings.Contains(key.a, " ") {
		c.newMulti = append(c.newMulti, id)
	}
	return id, true
}

// An evKey is an entity ('e', its name), a fact's noun ('n', the noun) or
// a fact ('f', its noun and value): one namespace, told apart by kind.
type evKey struct {
	kind byte
	a, b string
}

func entityKey(name string) evKey { return evKey{'e', name, ""} }
func nounKey(noun string) evKey   { return evKey{'n', noun, ""} }
func factKey(f Fact) evKey        { return evKey{'f', f.Noun, f.Value} }

// name is the key as evNames keeps it: "e\x00name", "n\x00noun",
// "f\x00noun\x00value".
func (k evKey) name() string {
	if k.kind == 'f' {
		return "f\x00" + k.a + "\x00" + k.b
	}
	return string(k.kind) + "\x00" + k.a
}

// keyOf reads a name back into its key.
func keyOf(name string) evKey {
	k := evKey{kind: name[0]}
	k.a = name[2:]
	if k.kind == 'f' {
		k.a, k.b, _ = strings.Cut(k.a, "\x00")
	}
	return k
}

func (c *Stories) evName(id uint32) string { return c.evNames[id] }

// resolveFacts returns f's evidence in IDs (made as needed when add;
// unknown ones dropped otherwise), and the IDs the article counts in the
// entity document frequencies (countFacts).
func (c *Stories) resolveFacts(f Features, add bool) (facts, []uint32) {
	var out facts
	var df []uint32
	// Entities in a fixed order, so that IDs are made as a replay makes them.
	names := make([]string, 0, len(f.Entities))
	for e := range f.Entities {
		names = append(names, e)
	}
	slices.Sort(names)
	for _, e := range names {
		if id, ok := c.evidenceID(entityKey(e), add); ok {
			out.ents = append(out.ents, id)
			df = append(df, id)
		}
	}
	for _, e := range f.Lead {
		if id, ok := c.evidenceID(entityKey(e), add); ok {
			out.lead = append(out.lead, id)
		}
	}
	for _, x := range f.Facts {
		n, ok1 := c.evidenceID(nounKey(x.Noun), add)
		v, ok2 := c.evidenceID(factKey(x), add)
		if ok1 && ok2 {
			out.facts = append(out.facts, [2]uint32{n, v})
			if !slices.Contains(out.facts[:len(out.facts)-1], [2]uint32{n, v}) {
				df = append(df, v)
			}
		}
	}
	slices.Sort(out.ents)
	out.ents = slices.Compact(out.ents)
	slices.Sort(out.lead)
	out.lead = slices.Compact(out.lead)
	slices.SortFunc(out.facts, func(a, b [2]uint32) int {
		if a[0] != b[0] {
			return int(a[0]) - int(b[0])
		}
		return int(a[1]) - int(b[1])
	})
	out.facts = slices.Compact(out.facts)
	return out, df
}

// takeMulti returns the IDs evidenceID has made for names of more than
// one word since it was last called.
func (c *Stories) takeMulti() []uint32 {
	ids := c.newMulti
	c.newMulti = nil
	return ids
}

// markMulti marks ids (takeMulti) in multi.
func (c *Stories) markMulti(ids []uint32) {
	for _, id := range ids {
		if int(id) >= len(c.multi) {
			c.multi = append(c.multi, make([]bool, int(id)+1-len(c.multi))...)
		}
		c.multi[id] = true
	}
}

// isMulti reports whether entity id's name has more than one word.
func (c *Stories) isMulti(id uint32) bool {
	return int(id) < len(c.multi) && c.multi[id]
}

// countFacts counts an article's entities and facts (resolveFacts) in the
// entity document frequencies.
func (c *Stories) countFacts(ids []uint32) {
	for _, id := range ids {
		c.entDF[id]++
	}
}

// addFacts adds (d = 1) or removes (d = -1) a member's evidence to a story's counts.
func (s *storyFacts) addFacts(x facts, d int32) {
	s.counted = true
	for _, e := range x.ents {
		s.ents.add(e, d)
	}
	prev := uint32(math.MaxUint32)
	for _, f := range x.facts {
		if f[0] != prev {
			s.nouns.add(f[0], d)
			prev = f[0]
		}
		s.facts.add(f[1], d)
	}
}

// A verdict is the outcome of comparing an article's evidence with a
// story's: the facts and lead entities that agree, and those in conflict.
type verdict struct {
	agree, conflict []uint32 // entity IDs, or noun IDs of facts
	factor          float64  // what the similarity is multiplied by
	// kinds compared (nouns of facts both state, leadKind when the
	// article's lead has an uncommon name) and those in conflict.
	compared, conflicted []uint32
	names                int // rare lead names of the article the story names (see FadeRare)
}

// leadKind is the kind of evidence of lead names, beside fact nouns.
const leadKind = math.MaxUint32

// judge compares x, the evidence of an article speaking of times ts, with
// story st's members' (leaving out own, the article's if it is a member of
// st, or nil). A fact's noun that both state agrees when they share an
// uncommon value, says nothing when the value they share is common, and is
// a conflict when they share none; times within Window of the story's
// first are TimeAgree agreements; the article's uncommon lead names agree
// when the story's members name one of them, and cost NameConflict when
// they name none. The factor is exp(Agree·agreements − Conflict·Σ weight
// of each conflict's kind − name conflict), the agreements at most
// MaxAgree and the factor at least exp(−MaxPenalty). Only when explain does
// the verdict list what agreed, what conflicted and what was compared.
func (c *Stories) judge(x facts, ts []time.Time, st *story, own *facts, explain bool) verdict {
	v := verdict{factor: 1}
	if c.cfg.Conflict == 0 && c.cfg.Agree == 0 && !explain {
		return v
	}
	sf := &st.facts
	if !sf.counted {
		return v
	}
	members := int32(st.members)
	if own != nil {
		members--
	}
	if members <= 0 {
		return v
	}
	less := func(m *counts, id uint32, mine []uint32) int32 {
		n := m.get(id)
		if own != nil {
			if _, ok := slices.BinarySearch(mine, id); ok {
				n--
			}
		}
		return n
	}
	var ownNouns, ownFacts []uint32
	if own != nil {
		for _, f := range own.facts {
			ownNouns = append(ownNouns, f[0])
			ownFacts = append(ownFacts, f[1])
		}
		slices.Sort(ownNouns)
		ownNouns = slices.Compact(ownNouns)
		slices.Sort(ownFacts)
	}
	var ownEnts []uint32
	if own != nil {
		ownEnts = own.ents
	}
	na, nc := 0.0, 0.0
	for i := 0; i < len(x.facts); {
		noun := x.facts[i][0]
		j := i
		shared := false
		rare := false
		for ; j < len(x.facts) && x.facts[j][0] == noun; j++ {
			if less(&sf.facts, x.facts[j][1], ownFacts) > 0 {
				shared = true
				rare = rare || !c.common(x.facts[j][1])
			}
		}
		if less(&sf.nouns, noun, ownNouns) > 0 {
			switch {
			case shared && !rare:
				// A value many articles state ("a 17-year-old") agrees
				// by chance as often as not: neither agreement nor
				// conflict.
			case shared:
				if explain {
					v.agree = append(v.agree, x.facts[i][1])
				}
				na++
			default:
				nc += c.weight(noun)
				if explain {
					v.conflict = append(v.conflict, noun)
					v.conflicted = append(v.conflicted, noun)
				}
			}
			if explain {
				v.compared = append(v.compared, noun)
			}
		}
		i = j
	}
	// The lead's names: those few articles of the corpus name (a name in
	// every other article is the corpus's subject, not an event's).
	var named []uint32 // when explaining
	nnamed := 0
	agreed := false
	for _, e := range x.lead {
		if c.common(e) {
			continue
		}
		nnamed++
		if explain {
			named = append(named, e)
		}
		if less(&sf.ents, e, ownEnts) > 0 {
			if explain {
				v.agree = append(v.agree, e)
			}
			agreed = true
			if c.entDF[e] <= c.cfg.FadeRare && c.isMulti(e) {
				v.names++
			}
		}
	}
	nameConflict := 0.0
	if nnamed > 0 && !agreed && c.cfg.NameConflict > 0 {
		nameConflict = c.cfg.NameConflict * c.weight(leadKind)
		if explain {
			v.conflict = append(v.conflict, named...)
			v.conflicted = append(v.conflicted, leadKind)
		}
	}
	if nnamed > 0 && explain {
		v.compared = append(v.compared, leadKind)
	}
	if c.cfg.TimeAgree > 0 && len(ts) > 0 && !st.first.IsZero() && c.nearest(ts, st) >= 1 {
		na += c.cfg.TimeAgree
	}
	p := c.cfg.Agree*min(na, c.cfg.MaxAgree) - c.cfg.Conflict*nc - nameConflict
	if len(ts) > 0 && !st.first.IsZero() {
		p *= c.cfg.Timed
	}
	v.factor = math.Exp(max(p, -c.cfg.MaxPenalty))
	return v
}

// common reports whether entity e is named by more than CommonName of the
// articles seen and by more than CommonMin of them: the subject of the
// corpus (its city, its government), not of one event.
func (c *Stories) common(e uint32) bool {
	n := c.entDF[e]
	return n > c.cfg.CommonMin && float64(n) > c.cfg.CommonName*float64(c.n)
}

// Calibration of conflicts (StoryConfig.Calibrate): for each kind of
// evidence, how often it conflicts between an article and the story it
// joins, and between an article and its runner-up (a story it does not
// join: the corpus's background), counted as articles are placed. A kind
// that conflicts as often in both says nothing of events (the ages of
// people quoted, a weekday every report names differently), one that
// conflicts only in the background is event evidence.
type kindStats struct {
	JoinN, JoinConflicts, BackN, BackConflicts float64
}

// Priors of the calibration, as pseudo-counts: a conflict is taken to
// happen with 20% of joined stories and 50% of runners-up until the
// corpus says otherwise.
const (
	priorN        = 10
	priorJoin     = 0.2
	priorBack     = 0.5
	maxKindWeight = 1
	priorLogRatio = 0.9162907318741551 // log(priorBack / priorJoin)
)

// weight is the weight of a conflict of kind k: 1 without calibration, else
// the log-likelihood ratio of a conflict between the background and joined
// stories, relative to the prior's, within [0, maxKindWeight].
func (c *Stories) weight(k uint32) float64 {
	if !c.cfg.Calibrate {
		return 1
	}
	st := c.kinds[k]
	var s kindStats
	if st != nil {
		s = *st
	}
	pj := (s.JoinConflicts + priorN*priorJoin) / (s.JoinN + priorN)
	pb := (s.BackConflicts + priorN*priorBack) / (s.BackN + priorN)
	return min(max(math.Log(pb/pj)/priorLogRatio, 0), maxKindWeight)
}

// learn counts the evidence of v, a verdict against a story the article
// joined (joined) or its runner-up.
func (c *Stories) learn(v verdict, joined bool) {
	if c.kinds == nil {
		c.kinds = make(map[uint32]*kindStats)
	}
	for _, k := range v.compared {
		st := c.kinds[k]
		if st == nil {
			st = &kindStats{}
			c.kinds[k] = st
		}
		hit := 0.0
		if slices.Contains(v.conflicted, k) {
			hit = 1
		}
		if joined {
			st.JoinN++
			st.JoinConflicts += hit
		} else {
			st.BackN++
			st.BackConflicts += hit
		}
	}
}

// calibrate learns from the placement of an article with evidence x and
// times ts in story placed (not as a copy), with neighbourhood nb.
func (c *Stories) calibrate(x facts, ts []time.Time, nb neighbourhood, placed int, founded bool) {
	if !c.cfg.Calibrate {
		return
	}
	// The runner-up: the best story other than the one joined.
	other := -1
	for s, sc := range nb.scores {
		if s != placed && (other < 0 || sc > nb.scores[other] || sc == nb.scores[other] && s < other) {
			other = s
		}
	}
	if !founded {
		c.learn(c.judge(x, ts, c.stories[placed], nil, true), true)
	}
	if other >= 0 {
		c.learn(c.judge(x, ts, c.stories[other], nil, true), false)
	}
}
