package relate_test

import (
	"testing"

	"github.com/newsdedup/newsdedup"
	"github.com/newsdedup/newsdedup/align"
	"github.com/newsdedup/newsdedup/relate"
)

func TestDecide(t *testing.T) {
	art := func(src, url string) *newsdedup.Article { return &newsdedup.Article{Source: src, URL: url} }
	sc := func(shared int, j, c float64) align.Scores {
		return align.Scores{Shared: shared, Jaccard: j, Containment: c}
	}
	for _, tc := range []struct {
		name   string
		a, b   *newsdedup.Article
		exact  bool
		s      align.Scores
		ev     *newsdedup.Evidence
		want   newsdedup.Kind
		needEv bool
	}{
		{"exact body", art("", ""), art("", ""), true, sc(300, 1, 1), nil, newsdedup.KindExact, false},
		{"small edits", art("", ""), art("", ""), false, sc(300, 0.9, 0.95), nil, newsdedup.KindNearDuplicate, false},
		{"same outlet evolved", art("dw", ""), art("dw", ""), false, sc(300, 0.5, 0.7), nil, newsdedup.KindVersion, false},
		{"same url small edit", art("", "u"), art("x", "u"), false, sc(300, 0.85, 0.9), nil, newsdedup.KindVersion, false}, // one address over time: a version, however small the edit,
		{"other outlet", art("dw", ""), art("abs", ""), false, sc(300, 0.5, 0.7), nil, newsdedup.KindReprint, false},
		{"other outlet verbatim", art("dw", ""), art("abs", ""), false, sc(300, 0.95, 0.97), nil, newsdedup.KindReprint, false},
		{"unknown outlets, trimmed", art("", ""), art("", ""), false, sc(300, 0.6, 0.85), nil, newsdedup.KindReprint, false},
		{"unknown outlets, reworded", art("", ""), art("", ""), false, sc(300, 0.45, 0.65), nil, newsdedup.KindVersion, false},
		{"seed 000/001 figures", art("", ""), art("", ""), false, sc(291, 0.61, 0.77), nil, newsdedup.KindVersion, false},
		{"reused section", art("", ""), art("", ""), false, sc(60, 0.1, 0.25), nil, newsdedup.KindPartialReuse, false},
		{"reused paragraph needs evidence", art("", ""), art("", ""), false, sc(40, 0.05, 0.1), nil, "", true},
		{"reused paragraph with evidence", art("", ""), art("", ""), false, sc(40, 0.05, 0.1), &newsdedup.Evidence{Kept: 1}, newsdedup.KindPartialReuse, false},
		{"scattered shared phrases", art("", ""), art("", ""), false, sc(40, 0.05, 0.1), &newsdedup.Evidence{Removed: 9}, "", false},
		{"independent report", art("", ""), art("", ""), false, sc(5, 0.005, 0.01), nil, "", false},
	} {
		p := relate.Pair{A: tc.a, B: tc.b, ExactA: 1, ExactB: 2, Scores: tc.s, Evidence: tc.ev}
		if tc.exact {
			p.ExactB = 1
		}
		got := relate.Default.Decide(&p)
		if got != tc.want || p.NeedEvidence != tc.needEv {
			t.Errorf("%s: Decide=%q (need evidence %v), want %q (%v)", tc.name, got, p.NeedEvidence, tc.want, tc.needEv)
		}
	}
}

// TestDecideRewritten: a copy reworded throughout keeps few 5-word shingles
// but nearly all of its paragraphs; a quote or a few paragraphs taken is no
// copy.
func TestDecideRewritten(t *testing.T) {
	s := align.Scores{Shared: 100, Jaccard: 0.3, Containment: 0.45}
	for _, tc := range []struct {
		name        string
		found, less float64
		ev          bool
		want        newsdedup.Kind
		need        bool
	}{
		{"needs evidence", 0, 0, false, "", true},
		{"reworded throughout", 0.95, 0.9, true, newsdedup.KindReprint, false},
		{"reworded, one updated", 1, 0.6, true, newsdedup.KindReprint, false},
		{"some passages taken", 0.4, 0.3, true, newsdedup.KindPartialReuse, false},
		{"a short text quoting a long one", 1, 0.1, true, newsdedup.KindPartialReuse, false},
	} {
		p := relate.Pair{A: &newsdedup.Article{Source: "a"}, B: &newsdedup.Article{Source: "b"}, ExactA: 1, ExactB: 2, Scores: s,
			Found: tc.found, FoundLess: tc.less}
		if tc.ev {
			p.Evidence = &newsdedup.Evidence{Changed: 3}
		}
		if got := relate.Default.Decide(&p); got != tc.want || p.NeedEvidence != tc.need {
			t.Errorf("%s: Decide=%q NeedEvidence=%v, want %q %v", tc.name, got, p.NeedEvidence, tc.want, tc.need)
		}
	}
}

// TestUnrelatedAgreesWithDecide checks, over every small pair of set sizes
// and every bound above the true overlap, that a pair Unrelated calls
// unrelated is no copy for Decide, and that near-duplicate small texts,
// identical texts and captures of one URL are never called unrelated.
func TestUnrelatedAgreesWithDecide(t *testing.T) {
	th := relate.Default
	arts := [][2]*newsdedup.Article{
		{{Source: "a"}, {Source: "b"}},
		{{Source: "a"}, {Source: "a"}},
		{{URL: "u"}, {URL: "u"}},
		{{}, {}},
	}
	settled := 0
	for la := 1; la <= 40; la++ {
		for lb := 1; lb <= 40; lb++ {
			for shared := 0; shared <= min(la, lb); shared++ {
				s := align.Scores{Shared: shared}
				if shared > 0 {
					s.Jaccard = float64(shared) / float64(la+lb-shared)
					s.ContainsA, s.ContainsB = float64(shared)/float64(la), float64(shared)/float64(lb)
					s.Containment = max(s.ContainsA, s.ContainsB)
				}
				for bound := shared; bound <= la; bound++ {
					for _, ab := range arts {
						for _, exact := range []bool{false, true} {
							eb := uint64(2)
							if exact {
								eb = 1
							}
							if !th.Unrelated(ab[0], ab[1], 1, eb, bound, la, lb) {
								continue
							}
							settled++
							p := relate.Pair{A: ab[0], B: ab[1], ExactA: 1, ExactB: eb, Scores: s}
							if kind := th.Decide(&p); kind != "" || p.NeedEvidence {
								t.Fatalf("sizes %d, %d sharing %d (bound %d), %+v, exact %v: Unrelated, but Decide=%q (need evidence %v)", la, lb, shared, bound, ab, exact, kind, p.NeedEvidence)
							}
						}
					}
				}
			}
		}
	}
	if settled == 0 {
		t.Fatal("Unrelated settled no pair")
	}
	if th.Unrelated(&newsdedup.Article{}, &newsdedup.Article{}, 1, 2, 5, 5, 6) {
		t.Error("Unrelated: 5 of 5 and 6 shingles shared (Jaccard 0.83) is a near duplicate")
	}
}
