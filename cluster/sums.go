package cluster

// idTable maps IDs (of terms, entities, facts) to numbers: a story's
// running sum of its members' vectors (termSums), or how many of its
// members state each piece of evidence (counts). It is an open-addressing
// table with linear probing, key and value side by side, so that a lookup
// costs one cache line where a Go map costs two or more: the story scores
// of a placement are hundreds of such lookups, the largest part of placing
// an article. The zero value is empty and ready to use. Not safe for
// concurrent writes.
type idTable[V int32 | float64] struct {
	slots []idSlot[V]
	used  int
	shift uint8 // 32 − log2(len(slots))
}

type idSlot[V int32 | float64] struct {
	key uint32 // ID + 1; 0 marks an empty slot
	val V
}

type (
	termSums = idTable[float64]
	sumSlot  = idSlot[float64]
	counts   = idTable[int32]
)

// get returns the value of id, 0 if it has none.
func (t *idTable[V]) get(id uint32) V {
	if len(t.slots) == 0 {
		return 0
	}
	k := id + 1
	mask := len(t.slots) - 1
	for i := int((k * 0x9E3779B1) >> t.shift); ; i = (i + 1) & mask {
		switch t.slots[i].key {
		case k:
			return t.slots[i].val
		case 0:
			return 0
		}
	}
}

// add adds x to the value of id.
func (t *idTable[V]) add(id uint32, x V) {
	if (t.used+1)*2 > len(t.slots) {
		t.grow()
	}
	k := id + 1
	mask := len(t.slots) - 1
	i := int((k * 0x9E3779B1) >> t.shift)
	for t.slots[i].key != k && t.slots[i].key != 0 {
		i = (i + 1) & mask
	}
	if t.slots[i].key == 0 {
		t.slots[i].key = k
		t.used++
	}
	t.slots[i].val += x
}

// each calls f with every ID given a value, and the value, in slot order.
func (t *idTable[V]) each(f func(id uint32, x V)) {
	for _, s := range t.slots {
		if s.key != 0 {
			f(s.key-1, s.val)
		}
	}
}

// grow doubles the table (or makes its first 16 slots).
func (t *idTable[V]) grow() {
	old := t.slots
	log := uint8(4)
	if len(old) > 0 {
		log = 32 - t.shift + 1
	}
	t.slots, t.shift = make([]idSlot[V], 1<<log), 32-log
	mask := len(t.slots) - 1
	for _, s := range old {
		if s.key == 0 {
			continue
		}
		i := int((s.key * 0x9E3779B1) >> t.shift)
		for t.slots[i].key != 0 {
			i = (i + 1) & mask
		}
		t.slots[i] = s
	}
}
