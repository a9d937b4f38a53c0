package textnorm_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/newsdedup/newsdedup/textnorm"
)

func TestTokens(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want string
	}{
		{"Hello, World!", "hello world"},
		{"China’s top diplomat", "china's top diplomat"},
		{"China's top diplomat", "china's top diplomat"},
		{"reporters' notes", "reporters notes"},
		{"US-Chinese ‘talks’ — “candid”", "us chinese talks candid"},
		{"Ｆｕｌｌｗｉｄｔｈ ＡＢＣ", "fullwidth abc"}, // NFKC
		{"ﬁnance", "finance"},              // ligature, NFKC
		{"Çà et là", "çà et là"},
		{"", ""},
		{"  ...  ", ""},
		{"5.93 mln", "5 93 mln"},
	} {
		if got := strings.Join(textnorm.Tokens(tc.in), " "); got != tc.want {
			t.Errorf("Tokens(%q)=%q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestSpellingFolds(t *testing.T) {
	for _, tc := range []struct{ british, american string }{
		{"criticised", "criticized"},
		{"organisation", "organization"},
		{"analysing", "analyzing"},
		{"colour", "color"},
		{"favourite", "favorite"},
		{"neighbours", "neighbors"},
		{"defence", "defense"},
		{"centres", "centers"},
		{"travelled", "traveled"},
		{"cancelling", "canceling"},
		{"labelled", "labeled"},
		{"signalled", "signaled"},
		{"catalogue", "catalog"},
		{"programme", "program"},
		{"grey", "gray"},
	} {
		b, a := textnorm.Fold(tc.british), textnorm.Fold(tc.american)
		if b != a {
			t.Errorf("Fold(%q)=%q, Fold(%q)=%q; want equal", tc.british, b, tc.american, a)
		}
	}
	// Short and unrelated words are left alone.
	for _, w := range []string{"four", "hour", "your", "rise", "wise", "called", "filled", "spelled", "us", "bus"} {
		if got := textnorm.Fold(w); got != w {
			t.Errorf("Fold(%q)=%q, want unchanged", w, got)
		}
	}
}

func TestFoldEqualities(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		eq   bool
	}{
		{"The defence minister criticised China’s “policy”.", "the defense minister criticized China's \"policy\"", true},
		{"Blinken met Wang", "Blinken  met\nWang.", true},
		{"Blinken met Wang", "Wang met Blinken", false},
	} {
		if got := textnorm.Fold(tc.a) == textnorm.Fold(tc.b); got != tc.eq {
			t.Errorf("Fold(%q)==Fold(%q) is %v, want %v", tc.a, tc.b, got, tc.eq)
		}
	}
}

func TestShingles(t *testing.T) {
	toks := []uint64{1, 2, 3, 4, 5, 6, 7}
	for _, tc := range []struct {
		toks []uint64
		k    int
		want int
	}{
		{toks, 5, 3},
		{toks, 1, 7},
		{toks, 7, 1},
		{toks, 9, 1}, // fewer tokens than k: one shingle of all
		{nil, 5, 0},
	} {
		if got := len(textnorm.Shingles(nil, tc.toks, tc.k)); got != tc.want {
			t.Errorf("len(Shingles(%v, %d))=%d, want %d", tc.toks, tc.k, got, tc.want)
		}
	}
	a := textnorm.Shingles(nil, []uint64{1, 2, 3, 4, 5}, 5)
	b := textnorm.Shingles(nil, []uint64{5, 4, 3, 2, 1}, 5)
	if slices.Equal(a, b) {
		t.Errorf("shingles ignore word order")
	}
	// Fixed seeds: the same text hashes the same in every process and
	// release, since signatures are persisted. These golden values change
	// only with a deliberate change of Params.
	var tk textnorm.Tokenizer
	h1 := tk.HashTokens(nil, "Blinken met Wang in Jakarta", 42)
	h2 := tk.HashTokens(nil, "blinken met wang in jakarta", 42)
	if !slices.Equal(h1, h2) {
		t.Errorf("token hashes differ for equal tokens")
	}
	if h1[0] != 0x899f6ba8f2373065 {
		t.Errorf("hash of \"blinken\"=%#x, want the golden 0x899f6ba8f2373065", h1[0])
	}
	if sh := textnorm.Shingles(nil, h1, 5); sh[0] != 0xf40ae86a72504600 {
		t.Errorf("shingle hash=%#x, want the golden 0xf40ae86a72504600", sh[0])
	}
}

func TestShinglesPanicsOnZeroK(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Errorf("Shingles with k=0 did not panic")
		}
	}()
	textnorm.Shingles(nil, []uint64{1}, 0)
}

func TestScripts(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want string
	}{
		// Unspaced scripts: overlapping character bigrams, words elsewhere.
		{"北京时间4月12日", "北京 京时 时间 4 月 12 日"},
		{"湖人", "湖人"},
		{"东京で会議。Apple社", "东京 京で で会 会議 apple 社"},
		{"한국어 뉴스", "한국 국어 뉴스"},
		{"ภาษาไทย", "ภา าษ ษา าไ ไท ทย"},
		{"ＡＢＣ１２３ 全角", "abc123 全角"}, // full width, NFKC
		// Spelling folds.
		{"Straße STRASSE", "strasse strasse"},
		{"Ёлка ёж", "елка еж"},
		{"İstanbul ISTANBUL ıstanbul", "istanbul istanbul istanbul"},
		{"أحمد إلى آمال", "احمد الي امال"},
		{"العـــربية مَدْرَسَة", "العربيه مدرسه"},
		{"שָׁלוֹם", "שלום"},
	} {
		if got := strings.Join(textnorm.Tokens(tc.in), " "); got != tc.want {
			t.Errorf("Tokens(%q)=%q, want %q", tc.in, got, tc.want)
		}
	}
	var one textnorm.Tokenizer
	one.Gram = 1
	var got []string
	one.Each("新闻", func(tok []byte) { got = append(got, string(tok)) })
	if strings.Join(got, " ") != "新 闻" {
		t.Errorf("Gram 1: %q, want [新 闻]", got)
	}
}
