package cluster

import (
	"bytes"
	"encoding/gob"
	"fmt"
	"strings"
	"time"
)

// A snapshot of a clusterer is what rebuilding it would make, saved so that
// a store of many articles opens without rebuilding it: MarshalBinary
// writes the state, UnmarshalBinary reads it into a clusterer made with
// the same config. The term index is not saved: it is remade from the
// members' vectors, in their order, as Add made it.

type familyState struct {
	Parent, Rank []int
	Members      map[int][]int
	Direct       [][2]int
}

// MarshalBinary encodes the set.
func (f *FamilySet) MarshalBinary() ([]byte, error) {
	st := familyState{Parent: f.uf.parent, Rank: f.uf.rank, Members: f.members, Direct: make([][2]int, 0, len(f.direct))}
	for k := range f.direct {
		st.Direct = append(st.Direct, k)
	}
	return encode(st)
}

// UnmarshalBinary replaces the set's state by what MarshalBinary encoded.
func (f *FamilySet) UnmarshalBinary(raw []byte) error {
	var st familyState
	if err := decode(raw, &st); err != nil {
		return fmt.Errorf("families: %w", err)
	}
	if len(st.Parent) != len(st.Rank) {
		return fmt.Errorf("families: %d parents, %d ranks", len(st.Parent), len(st.Rank))
	}
	for _, p := range st.Parent {
		if p < 0 || p >= len(st.Parent) {
			return fmt.Errorf("families: parent %d out of range", p)
		}
	}
	f.uf = &unionFind{parent: st.Parent, rank: st.Rank}
	f.members = st.Members
	if f.members == nil {
		f.members = make(map[int][]int)
	}
	f.direct = make(map[[2]int]bool, len(st.Direct))
	for _, k := range st.Direct {
		f.direct[k] = true
	}
	return nil
}

// Len returns the number of articles in the set.
func (f *FamilySet) Len() int { return len(f.uf.parent) }

type storyState struct {
	Size        int
	First, Last time.Time
	Closed      bool
	// The running term sums' table as it is, slot by slot, so that the
	// restored table adds and iterates exactly as the saved one.
	SumKeys  []uint32
	SumVals  []float64
	SumUsed  int
	SumShift uint8
	Members  int
}

type memberState struct {
	Story         int
	Terms         []uint32
	Weights       []float32
	Pinned, Ghost bool
	Copy          bool // not in the term index
	Pub           time.Time
	Times         []time.Time
	Ents, Lead    []uint32
	Facts         [][2]uint32
}

type storiesState struct {
	N       int
	DF      []int32 // by term ID
	Terms   map[string]uint32
	Stories []storyState
	Members []memberState
	// Event evidence: its keys by ID, the articles holding each, and the
	// calibration of conflicts by kind.
	EvNames []string
	EntDF   map[uint32]int
	Kinds   map[uint32]kindStats
}

// MarshalBinary encodes the clusterer.
func (c *Stories) MarshalBinary() ([]byte, error) {
	st := storiesState{N: c.n, DF: c.df, Terms: c.terms, Stories: make([]storyState, len(c.stories)), Members: make([]memberState, len(c.members)),
		EvNames: c.evNames, EntDF: c.entDF, Kinds: make(map[uint32]kindStats, len(c.kinds))}
	for k, v := range c.kinds {
		st.Kinds[k] = *v
	}
	for k, s := range c.stories {
		ss := storyState{Size: s.size, First: s.first, Last: s.last, Closed: s.closed, Members: s.members,
			SumUsed: s.sum.used, SumShift: s.sum.shift, SumKeys: make([]uint32, len(s.sum.slots)), SumVals: make([]float64, len(s.sum.slots))}
		for j, sl := range s.sum.slots {
			ss.SumKeys[j], ss.SumVals[j] = sl.key, sl.val
		}
		st.Stories[k] = ss
	}
	for k, m := range c.members {
		ms := memberState{Story: m.story, Pinned: m.pinned, Copy: m.copy, Ghost: m.ghost, Pub: m.pub, Times: m.times, Ents: m.ev.ents, Lead: m.ev.lead, Facts: m.ev.facts,
			Terms: make([]uint32, len(m.vec)), Weights: make([]float32, len(m.vec))}
		for j, e := range m.vec {
			ms.Terms[j], ms.Weights[j] = e.term, e.w
		}
		st.Members[k] = ms
	}
	return encode(st)
}

// UnmarshalBinary replaces the clusterer's state by what MarshalBinary
// encoded, and remakes its term index.
func (c *Stories) UnmarshalBinary(raw []byte) error {
	var st storiesState
	if err := decode(raw, &st); err != nil {
		return fmt.Errorf("stories: %w", err)
	}
	c.n, c.df, c.terms = st.N, st.DF, st.Terms
	c.evNames, c.entDF = st.EvNames, st.EntDF
	if c.entDF == nil {
		c.entDF = make(map[uint32]int)
	}
	c.kinds = make(map[uint32]*kindStats, len(st.Kinds))
	for k, v := range st.Kinds {
		c.kinds[k] = &v
	}
	c.evIDs = make(map[evKey]uint32, len(c.evNames))
	for id, k := range c.evNames {
		if len(k) < 2 || k[1] != 0 {
			return fmt.Errorf("stories: evidence key %q is damaged", k)
		}
		c.evIDs[keyOf(k)] = uint32(id)
		if k[0] == 'e' && strings.Contains(k, " ") {
			c.markMulti([]uint32{uint32(id)})
		}
	}
	if c.terms == nil {
		c.terms = make(map[string]uint32)
	}
	if len(c.df) != len(c.terms) {
		return fmt.Errorf("stories: %d document frequencies for %d terms", len(c.df), len(c.terms))
	}
	c.stories = make([]*story, len(st.Stories))
	for k, s := range st.Stories {
		if len(s.SumKeys) != len(s.SumVals) || len(s.SumKeys)&(len(s.SumKeys)-1) != 0 {
			return fmt.Errorf("stories: story %d's sums are damaged", k)
		}
		st := &story{size: s.Size, first: s.First, last: s.Last, closed: s.Closed, members: s.Members}
		if len(s.SumKeys) > 0 {
			st.sum = termSums{slots: make([]sumSlot, len(s.SumKeys)), used: s.SumUsed, shift: s.SumShift}
			for j := range s.SumKeys {
				st.sum.slots[j] = sumSlot{key: s.SumKeys[j], val: s.SumVals[j]}
			}
		}
		c.stories[k] = st
	}
	c.members = make([]member, len(st.Members))
	c.index = make(map[uint32][]posting)
	c.acc, c.touched = nil, nil
	for k, ms := range st.Members {
		if ms.Story < 0 || ms.Story >= len(c.stories) || len(ms.Terms) != len(ms.Weights) {
			return fmt.Errorf("stories: member %d is damaged", k)
		}
		vec := make([]entry, len(ms.Terms))
		for j := range vec {
			vec[j] = entry{term: ms.Terms[j], w: ms.Weights[j]}
		}
		ev := facts{ents: ms.Ents, lead: ms.Lead, facts: ms.Facts}
		for _, ids := range [][]uint32{ev.ents, ev.lead} {
			for _, id := range ids {
				if int(id) >= len(c.evNames) {
					return fmt.Errorf("stories: member %d's evidence is damaged", k)
				}
			}
		}
		for _, f := range ev.facts {
			if int(f[0]) >= len(c.evNames) || int(f[1]) >= len(c.evNames) {
				return fmt.Errorf("stories: member %d's evidence is damaged", k)
			}
		}
		c.members[k] = member{story: ms.Story, vec: vec, pinned: ms.Pinned, copy: ms.Copy, ghost: ms.Ghost, pub: ms.Pub, times: ms.Times, ev: ev}
		if !ms.Ghost && c.cfg.Average > 0 {
			c.stories[ms.Story].facts.addFacts(ev, 1)
		}
		if !ms.Copy {
			c.post(int32(k), vec)
		}
	}
	return nil
}

// Members returns the number of articles the clusterer holds.
func (c *Stories) Members() int { return len(c.members) }

func encode(v any) ([]byte, error) {
	var b bytes.Buffer
	if err := gob.NewEncoder(&b).Encode(v); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func decode(raw []byte, v any) error {
	return gob.NewDecoder(bytes.NewReader(raw)).Decode(v)
}
