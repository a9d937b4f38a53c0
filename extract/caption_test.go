package extract

import (
	"flag"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

var captionSeed = flag.Uint64("caption.seed", 0, "seed of TestIsCaptionProperty (0: the clock)")

// isCaption must say what captionRe says, on lines made of the pieces its
// alternatives are made of.
func TestIsCaptionProperty(t *testing.T) {
	rng := seeded(t, 0)
	pieces := []string{"photo", "Photo", "PHOTOS", "photograph", "image", "picture", "slide", "foto", "credit", "source", "video",
		":", " : ", " ", "  ", "\t", "\n", "x", "a", "_", "1", "12", " of ", "/", "(c)", "(C)", "©", "getty", "images", "via",
		"epa-efe", "ap", "AP", "by", "courtesy", "file", "caption", "close", "reuters", "Reuters/", "/reuters", "afp", "/afp",
		"alliance", "-", "shutterstock", "istock", "istockphoto", "é", "ſ", "\u212a", ".", ","}
	for range 20000 {
		var b strings.Builder
		for range 1 + rng.IntN(8) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		s := b.String()
		if got, want := isCaption(s), captionRe.MatchString(s); got != want {
			t.Fatalf("isCaption(%q) = %v, captionRe says %v", s, got, want)
		}
	}
}

func TestIsCaptionMatchesItsRegexp(t *testing.T) {
	for _, tc := range []struct {
		s    string
		want bool
	}{
		{"A man walks past a shop in Jakarta. Photo: Reuters", true},
		{"PHOTO BY JOHN SMITH", true},
		{"Protesters gather in the square. (C) Getty Images", true},
		{"Foto : dpa", true},
		{"Slide 3 of 12 the minister arrives", true},
		{"Image 2 of / 7", true},
		{"The minister arrives. REUTERS/Willy Kurniawan", true},
		{"Wang Yi and Antony Blinken in Jakarta/AFP", true},
		{"The minister in Jakarta. REUTERſ/Willy Kurniawan", true}, // long s folds to s
		{"\u212aurt via Getty", true},                              // Kelvin sign folds to k
		{"The minister met his counterpart on Thursday.", false},
		{"Shares fell 3 pct in early trading, dealers said.", false},
		{"The photos were not released to the press", false}, // a key, no credit
		{"Reuters reported the figures on Monday", false},
		{"", false},
	} {
		if got := isCaption(tc.s); got != tc.want {
			t.Errorf("isCaption(%q) = %v, want %v", tc.s, got, tc.want)
		}
		if got, re := isCaption(tc.s), captionRe.MatchString(tc.s) && len([]rune(tc.s)) <= 400; got != re {
			t.Errorf("isCaption(%q) = %v, captionRe says %v", tc.s, got, re)
		}
	}
}

// Lines made to be hard: a key word at every step but no credit until the
// end, or never. The answer must still be right.
func TestIsCaptionPathological(t *testing.T) {
	near := strings.Repeat("photo image picture source ", 14) // keys without a colon: 378 bytes
	if isCaption(near) {
		t.Fatalf("isCaption(%d bytes of keys without a credit) = true, want false", len(near))
	}
	if !isCaption(near + "/AFP") {
		t.Fatalf("isCaption(keys ending in /AFP) = false, want true")
	}
	long := strings.Repeat("photo: x ", 60) // over 400 runes: an article paragraph, not a caption
	if isCaption(long) {
		t.Fatalf("isCaption(%d runes) = true, want false", len([]rune(long)))
	}
}

func BenchmarkIsCaption(b *testing.B) {
	for _, in := range []struct{ name, s string }{
		{"prose", strings.Repeat("Shares fell in early trading, dealers said. ", 9)},
		{"keys", strings.Repeat("photo image picture source ", 14)},
		{"caption", "A man walks past a shop in Jakarta on Thursday, July 13, 2023. REUTERS/Willy Kurniawan"},
	} {
		b.Run(in.name, func(b *testing.B) {
			b.SetBytes(int64(len(in.s)))
			b.ReportAllocs()
			for b.Loop() {
				isCaption(in.s)
			}
		})
	}
}

// The cheap tests in front of navRe, tailRe, tagsRe, timeOnlyRe, urlRe and
// deskRe must never say no where the pattern says yes: each is checked
// against its bare pattern on lines made of the patterns' own words.
func TestCuesMatchTheirRegexps(t *testing.T) {
	rng := seeded(t, 1)
	var pieces []string
	for _, m := range []map[string]bool{navStarts, tailStarts, tagsStarts} {
		for w := range m {
			pieces = append(pieces, w, strings.ToUpper(w[:1])+w[1:])
		}
	}
	slices.Sort(pieces)
	pieces = append(pieces, "to", "up", "in", "us", "this", "on", "via", "all", "tv", "audio", "videos", "focus", "of", "top", "here",
		"article", "stories", "news", "articles", "reads", "from", "story", "read", "may", "might", "like", "for", "now", "next", "section",
		"'s", "s", "picks", "'t", "miss", "reading", "under", "ago", "3 hours", "minutes", "days", "just", "yesterday", "today", "updated:",
		"12:30 min", "http://", "https://", "www.", "a.b", "x@y.com", "/", "-", "sct", "dsa", "jfx", "sct-dsa/jfx/pbt", "ab/cd", "/xy", "-q",
		" ", " ", " ", "  ", "\t", ":", "-", ".", "...", "…", "1.", "12", "»", "|", "[", "]", "'", "é", "ſ", "\u212a", "SKIP", "MORE")
	checks := []struct {
		name string
		fast func(string) bool
		slow func(string) bool
	}{
		{"isNav", isNav, func(s string) bool {
			return utf8.RuneCountInString(s) <= 60 && navRe.MatchString(strings.TrimSpace(strings.TrimRight(s, ":|»›>")))
		}},
		{"isTailCue", isTailCue, func(s string) bool {
			s = strings.Trim(strings.TrimSpace(s), "[]")
			t := strings.TrimRight(s, ".…")
			return utf8.RuneCountInString(s) <= 60 && !endsSentence(t) && tailRe.MatchString(t)
		}},
		{"isTagsLine", isTagsLine, func(s string) bool {
			return len(s) <= 1000 && !endsSentence(s) && tagsRe.MatchString(s) && (len(s) <= 200 || isKeywordList(s))
		}},
		{"isTimeOnly", isTimeOnly, func(s string) bool { return len(s) <= 60 && timeOnlyRe.MatchString(s) }},
		{"isURLLine", isURLLine, urlRe.MatchString},
		{"isDeskLine", isDeskLine, deskRe.MatchString},
	}
	yes := make(map[string]int)
	for range 200000 {
		var b strings.Builder
		for range 1 + rng.IntN(6) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
			if rng.IntN(2) == 0 {
				b.WriteByte(' ')
			}
		}
		s := b.String()
		for _, c := range checks {
			got, want := c.fast(s), c.slow(s)
			if got != want {
				t.Fatalf("%s(%q) = %v, its pattern says %v", c.name, s, got, want)
			}
			if want {
				yes[c.name]++
			}
		}
	}
	for _, c := range checks {
		if yes[c.name] < 20 {
			t.Errorf("%s matched only %d lines: the lines test it too little", c.name, yes[c.name])
		}
	}
	t.Logf("lines matched: %v", yes)
}

// seeded returns the random stream of a property test, seeded by
// -caption.seed or the clock (the seed is logged, to replay a failure).
func seeded(t *testing.T, stream uint64) *rand.Rand {
	seed := *captionSeed
	if seed == 0 {
		seed = uint64(time.Now().UnixNano())
	}
	t.Logf("-caption.seed=%d", seed)
	return rand.New(rand.NewPCG(seed, stream))
}
