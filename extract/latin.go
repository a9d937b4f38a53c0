package extract

import (
	"cmp"
	"math"
	"slices"
	"sync"
	"unicode"

	"github.com/RadhiFadlillah/whatlanggo"
)

// detectLatin is whatlanggo's detection of a text in Latin letters, by the
// same trigram profiles and the same scores, found from the text's
// trigrams instead of from each profile's: whatlanggo looks each of the
// 300 trigrams of each of 48 profiles up in the text's (14,400 lookups,
// most of the cost of reading a short non-English record); this looks
// each of the text's few hundred trigrams up once. Where two languages
// score the same, the one whatlanggo lists first wins (whatlanggo picks
// either, in map order; a tie has confidence 0, which DetectLang reads as
// unknown either way). TestDetectLatinIsWhatlanggo holds it to whatlanggo.
func detectLatin(text string) whatlanggo.Info {
	ix := latinIndex()
	dist := make([]int, len(ix.langs))
	found := make([]int, len(ix.langs))
	sc := trigramScratch.Get().(*trigrams)
	for tri, w := range sc.count(text) {
		for _, r := range ix.ranks[tri] {
			dist[r.lang] += (maxTrigramDistance - int(r.at)) * w
			found[r.lang]++
		}
	}
	trigramScratch.Put(sc)
	order := make([]int, len(ix.langs))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(dist[b], dist[a]) })
	first, second := order[0], order[1]
	info := whatlanggo.Info{Lang: ix.langs[first], Script: unicode.Latin}
	switch s1, s2 := dist[first], dist[second]; {
	case s1 == 0:
		info.Lang = -1
	case s2 == 0:
		info.Confidence = min(float64(s1/500), 1) // whatlanggo's integer division
	default:
		// As whatlanggo.calculateConfidence.
		rate := float64(s1-s2) / float64(s2)
		confident := 12.0/float64(found[first]) + 0.05
		info.Confidence = 1
		if rate <= confident {
			info.Confidence = math.Round(rate/confident*100) / 100
		}
	}
	return info
}

// maxTrigramDistance is whatlanggo's: the score of a profile's first
// trigram.
const maxTrigramDistance = 300

type latinRanks struct {
	langs []whatlanggo.Lang       // the languages, in Lang order
	ranks map[trigram][]trigramAt // trigram -> its places in the profiles
}

// A trigram is three letters (or spaces) of a text.
type trigram [3]rune

type trigramAt struct {
	lang uint8 // index in langs
	at   int16 // place in the profile, from 0
}

var latinIndex = sync.OnceValue(func() latinRanks {
	var ix latinRanks
	for l := range latinProfiles {
		ix.langs = append(ix.langs, l)
	}
	slices.Sort(ix.langs)
	ix.ranks = make(map[trigram][]trigramAt)
	for k, l := range ix.langs {
		for i, s := range latinProfiles[l] {
			// A profile's entry of other than three letters matches no
			// trigram of a text.
			if rs := []rune(s); len(rs) == 3 {
				tri := trigram(rs)
				ix.ranks[tri] = append(ix.ranks[tri], trigramAt{uint8(k), int16(i)})
			}
		}
	}
	return ix
})

// trigrams is the scratch of counting a text's trigrams, kept from text
// to text (trigramScratch).
type trigrams struct {
	runes  []rune
	counts map[trigram]int
}

var trigramScratch = sync.Pool{New: func() any { return &trigrams{counts: make(map[trigram]int)} }}

// count counts the trigrams of text as whatlanggo does: in lower case, with
// punctuation, symbols, digits and spaces as one space, and no trigram of a
// space between spaces or of a word's edge on both sides. The counts are
// valid until the next count.
func (t *trigrams) count(text string) map[trigram]int {
	runes := t.runes[:0]
	for _, r := range text {
		if unicode.IsSymbol(r) || unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsDigit(r) {
			r = ' '
		}
		runes = append(runes, unicode.ToLower(r))
	}
	runes = append(runes, ' ')
	t.runes = runes
	clear(t.counts)
	r1, r2 := ' ', runes[0]
	for _, r3 := range runes[1:] {
		if !(r2 == ' ' && (r1 == ' ' || r3 == ' ')) {
			t.counts[trigram{r1, r2, r3}]++
		}
		r1, r2 = r2, r3
	}
	return t.counts
}
