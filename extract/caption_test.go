package extract

import (
	"flag"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

var captionSeed = flag.Uint64("caption.seed", 0, "seed of TestIsCaptionProperty (0: the clock)")

// isCaption must say what captionRe says, on lines made of the pieces its
// alternatives are made of.
func TestIsCaptionProperty(t *testing.T) {
	seed := *captionSeed
	if seed == 0 {
		seed = uint64(time.Now().UnixNano())
	}
	t.Logf("-caption.seed=%d", seed)
	rng := rand.New(rand.NewPCG(seed, 0))
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
