package cluster

// termSums maps term IDs to float sums: a story's running sum of its
// members' vectors. It is an open-addressing table with linear probing,
// key and value side by side, so that a lookup costs one cache line where
// a Go map costs two or more: the story scores of a placement are hundreds
// of such lookups, the largest part of placing an article. The zero value
// is empty and ready to use. Not safe for concurrent writes.
type termSums struct {
	slots []sumSlot
	used  int
	shift uint8 // 32 − log2(len(slots))
}

type sumSlot struct {
	key uint32 // term ID + 1; 0 marks an empty slot
	val float64
}

// get returns the sum of term, 0 if it has none.
func (t *termSums) get(term uint32) float64 {
	if len(t.slots) == 0 {
		return 0
	}
	k := term + 1
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

// add adds x to the sum of term.
func (t *termSums) add(term uint32, x float64) {
	if (t.used+1)*2 > len(t.slots) {
		t.grow()
	}
	k := term + 1
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

// grow doubles the table (or makes its first 16 slots).
func (t *termSums) grow() {
	old := t.slots
	log := uint8(4)
	if len(old) > 0 {
		log = 32 - t.shift + 1
	}
	t.slots, t.shift = make([]sumSlot, 1<<log), 32-log
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
