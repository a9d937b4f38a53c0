package align

import (
	"strings"
	"unicode"

	"github.com/sergi/go-diff/diffmatchpatch"

	"github.com/newsdedup/newsdedup"
	"github.com/newsdedup/newsdedup/textnorm"
)

// Op is what happened to a passage or a run of words between A and B.
type Op string

// The operations of a diff.
const (
	Kept    Op = "kept"
	Added   Op = "added"
	Removed Op = "removed"
	Changed Op = "changed"
)

// Word is a run of words with its operation: kept, added (in B only) or
// removed (in A only).
type Word struct {
	Op   Op     `json:"op"`
	Text string `json:"text"`
}

// Passage is one aligned passage of a diff: a paragraph of A and its
// counterpart in B, with the word-level changes when it changed.
type Passage struct {
	Op    Op     `json:"op"`
	A     string `json:"a,omitempty"`
	B     string `json:"b,omitempty"`
	Words []Word `json:"words,omitempty"`
}

// Diff aligns the paragraphs of a and b passage by passage, in B's order
// with A's unmatched paragraphs where they stood: kept (same text up to
// case, punctuation and spelling variants), changed (with the words added
// and removed), removed (only in A) and added (only in B).
func Diff(p newsdedup.Params, a, b []string) []Passage {
	al := AlignTexts(NewText(p, a), NewText(p, b))
	usedA := make([]bool, len(a))
	var out []Passage
	nextA := 0
	flushRemoved := func(upto int) {
		for ; nextA < upto; nextA++ {
			if !usedA[nextA] && !found(al.A[nextA]) {
				out = append(out, Passage{Op: Removed, A: a[nextA]})
				usedA[nextA] = true
			}
		}
	}
	for j, m := range al.B {
		if !found(m) {
			out = append(out, Passage{Op: Added, B: b[j]})
			continue
		}
		i := m.Index
		flushRemoved(i)
		usedA[i] = true
		if textnorm.Fold(a[i]) == textnorm.Fold(b[j]) {
			out = append(out, Passage{Op: Kept, A: a[i], B: b[j]})
		} else {
			out = append(out, Passage{Op: Changed, A: a[i], B: b[j], Words: Words(a[i], b[j])})
		}
		if i >= nextA {
			nextA = i + 1
		}
	}
	nextA = 0
	flushRemoved(len(a))
	return out
}

func found(m Match) bool { return m.Index >= 0 && m.Cover >= Found }

// Words returns the word-level diff of two texts: runs of kept, removed
// and added words, whitespace attached to the word before it.
func Words(a, b string) []Word {
	dmp := diffmatchpatch.New()
	dict := make(map[string]rune)
	var words []string
	encode := func(s string) []rune {
		var out []rune
		for _, w := range splitWords(s) {
			r, ok := dict[w]
			if !ok {
				r = rune(0xE000 + len(words)) // private use area, then beyond
				if r >= 0xF900 {
					r = rune(0xF0000 + len(words))
				}
				dict[w] = r
				words = append(words, w)
			}
			out = append(out, r)
		}
		return out
	}
	ra, rb := encode(a), encode(b)
	decode := func(s string) string {
		var sb strings.Builder
		for _, r := range s {
			if r >= 0xF0000 {
				sb.WriteString(words[int(r-0xF0000)])
			} else {
				sb.WriteString(words[int(r-0xE000)])
			}
		}
		return sb.String()
	}
	var out []Word
	for _, d := range dmp.DiffMainRunes(ra, rb, false) {
		op := Kept
		switch d.Type {
		case diffmatchpatch.DiffInsert:
			op = Added
		case diffmatchpatch.DiffDelete:
			op = Removed
		}
		out = append(out, Word{Op: op, Text: decode(d.Text)})
	}
	return out
}

// splitWords splits s into words, each with the spaces after it.
func splitWords(s string) []string {
	var out []string
	start := 0
	inSpace := false
	for i, r := range s {
		sp := unicode.IsSpace(r)
		if inSpace && !sp {
			out = append(out, s[start:i])
			start = i
		}
		inSpace = sp
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}
