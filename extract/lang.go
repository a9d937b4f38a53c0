package extract

//go:generate go run ./internal/genprofiles

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/RadhiFadlillah/whatlanggo"
)

// langSample is how much of a text DetectLang reads: as reliable as 4 KiB
// on the shared GVC, ECB+ and multilingual texts (3 of 4,566 GVC texts fewer
// told), in about three quarters of the time.
const langSample = 1024

// DetectLang returns the ISO 639-1 code of the language of text, or "" when
// it cannot tell reliably. It reads the first langSample bytes. Text mostly
// in Han, Kana or Hangul (a character counting as three letters of other
// scripts) is Japanese when it has Kana, Korean when it has Hangul, else
// Chinese; other text goes to whatlanggo (the Go port of whatlang, by
// trigram profiles; already a dependency of go-trafilatura). It costs about
// a millisecond.
func DetectLang(text string) string {
	if len(text) > langSample {
		text = strings.ToValidUTF8(text[:langSample], "")
	}
	var han, kana, hangul, other int
	for _, r := range text {
		switch {
		case r < 0x2E80:
			if unicode.IsLetter(r) {
				other++
			}
		case unicode.Is(unicode.Han, r):
			han++
		case unicode.In(r, unicode.Hiragana, unicode.Katakana):
			kana++
		case unicode.Is(unicode.Hangul, r):
			hangul++
		case unicode.IsLetter(r):
			other++
		}
	}
	if cjk := han + kana + hangul; cjk > 0 && 3*cjk >= other {
		switch {
		case kana*10 >= cjk:
			return "ja"
		case hangul >= han:
			return "ko"
		default:
			return "zh"
		}
	}
	if english(text) {
		return "en"
	}
	var info whatlanggo.Info
	if latinScript(text, other) {
		info = detectLatin(text)
	} else {
		info = whatlanggo.Detect(text)
	}
	if !info.IsReliable() && info.Confidence < 0.5 {
		return ""
	}
	return info.Lang.Iso6391()
}

// latinScript reports whether whatlanggo.DetectScript(text) is Latin; text
// has letters letters below U+2E80. An ASCII text's only letters are Latin
// ones (DetectScript counts no other character), so it is Latin if it has
// one.
func latinScript(text string, letters int) bool {
	for i := 0; i < len(text); i++ {
		if text[i] >= utf8.RuneSelf {
			return whatlanggo.DetectScript(text) == unicode.Latin
		}
	}
	return letters > 0
}

// englishWords are function words of English that other languages written
// in Latin letters do not use as words ("a", "in", "on", "as" and "at"
// are left out: Italian, German, French and Spanish have them too).
var englishWords = map[string]bool{
	"the": true, "of": true, "and": true, "to": true, "is": true, "that": true, "for": true, "with": true,
	"was": true, "said": true, "by": true, "from": true, "it": true, "are": true, "has": true, "have": true,
	"were": true, "be": true, "this": true, "which": true, "its": true, "will": true, "would": true,
}

// english reports whether text is plainly English: of at least 30 words,
// one in eight or more is one of englishWords. It spares whatlanggo's
// trigram profiles (most of the cost of reading a JSON line) for the
// texts it would call English anyway; others go to whatlanggo.
func english(text string) bool {
	words, hits := 0, 0
	for f := range strings.FieldsSeq(text) {
		w := strings.TrimFunc(f, isWordEdge)
		if w == "" {
			continue
		}
		words++
		if isEnglishWord(w) {
			hits++
		}
	}
	return words >= 30 && hits*8 >= words
}

// isWordEdge reports whether r is punctuation english trims off a word.
func isWordEdge(r rune) bool { return strings.ContainsRune(".,;:!?\"'()[]“”‘’", r) }

// isEnglishWord reports whether w, in lower case, is one of englishWords,
// all ASCII of five letters at most: an ASCII word is lowered in a 5-byte
// buffer; one with other letters by strings.ToLower, as some lower to
// ASCII ones (İ to i, the Kelvin sign to k).
func isEnglishWord(w string) bool {
	var b [5]byte
	for i := 0; i < len(w); i++ {
		c := w[i]
		if c >= utf8.RuneSelf {
			return englishWords[strings.ToLower(w)]
		}
		if i == len(b) {
			return false // six ASCII letters or more lower to as many
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		b[i] = c
	}
	return englishWords[string(b[:len(w)])]
}
