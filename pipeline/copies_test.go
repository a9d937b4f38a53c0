package pipeline

import (
	"slices"
	"testing"
)

func TestCandidateSet(t *testing.T) {
	var c candidateSet
	for _, tc := range []struct {
		before int32
		add    []int32
		want   []int32
	}{
		{3, []int32{2, 0, 2, 3, 5, 0}, []int32{2, 0}}, // each once, none from before on
		{6, []int32{5, 2, 5}, []int32{5, 2}},          // marks of the last article do not carry over
		{0, []int32{0, 1}, nil},
	} {
		c.reset(tc.before)
		for _, id := range tc.add {
			c.add(id)
		}
		if !slices.Equal(c.ids, tc.want) {
			t.Errorf("before=%d add %v: ids=%v, want %v", tc.before, tc.add, c.ids, tc.want)
		}
	}
	// A wrapped generation clears the marks.
	c.gen = ^uint32(0)
	c.reset(6)
	c.add(2)
	c.add(2)
	if c.gen != 1 || !slices.Equal(c.ids, []int32{2}) {
		t.Errorf("after wrapping: gen=%d ids=%v, want 1 and [2]", c.gen, c.ids)
	}
}
