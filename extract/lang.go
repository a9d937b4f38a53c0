package extract

import (
	"strings"

	"github.com/RadhiFadlillah/whatlanggo"
)

// DetectLang returns the ISO 639-1 code of the language of text, or "" when
// it cannot tell reliably. It reads the first 4 KiB, by trigram profiles
// (whatlanggo, the Go port of whatlang, already a dependency of
// go-trafilatura); scripts used by one language (Han for Chinese, Kana for
// Japanese, Hangul for Korean) decide alone.
func DetectLang(text string) string {
	if len(text) > 4096 {
		text = text[:4096]
		text = strings.ToValidUTF8(text, "")
	}
	info := whatlanggo.Detect(text)
	if !info.IsReliable() && info.Confidence < 0.5 {
		return ""
	}
	return info.Lang.Iso6391()
}
