package textnorm

import (
	"unicode"
	"unicode/utf8"
)

// appendFolded appends the folded lower-case form of the letter, digit or
// mark r to dst. Besides lower-casing it folds the spellings that copies of
// one text differ by while meaning the same, each a general rule of its
// script (bleve's analysis/lang normalizers and Lucene's
// ArabicNormalizationFilter do the same):
//   - German ß and ẞ are ss (Swiss and older spellings);
//   - Cyrillic ё is е (Russian print mostly omits the dots);
//   - Turkish dotless ı is i, so that İ, I, ı and i all compare equal
//     whatever locale lower-cased the text;
//   - Arabic alef with hamza or madda (أ إ آ ٱ) is bare alef, alef maksura
//     and Persian yeh are yeh, Persian keheh is kaf, teh marbuta is heh;
//     tatweel (the stretching stroke) and the vowel marks (harakat) go, as do
//     Hebrew points.
//
// Full-width and other compatibility forms are folded before, by NFKC.
// Traditional and simplified Chinese are not folded: golang.org/x/text has
// no table of them.
func appendFolded(dst []byte, r rune) []byte {
	if r < 0xDF {
		return utf8.AppendRune(dst, unicode.ToLower(r))
	}
	switch r {
	case 'ß', 'ẞ':
		return append(dst, 's', 's')
	case 'ё', 'Ё':
		return utf8.AppendRune(dst, 'е')
	case 'ı':
		return append(dst, 'i')
	case 'أ', 'إ', 'آ', 'ٱ':
		return utf8.AppendRune(dst, 'ا')
	case 'ى', 'ی':
		return utf8.AppendRune(dst, 'ي')
	case 'ک':
		return utf8.AppendRune(dst, 'ك')
	case 'ة':
		return utf8.AppendRune(dst, 'ه')
	case 'ـ': // tatweel
		return dst
	}
	if 0x0591 <= r && r <= 0x05C7 && unicode.Is(unicode.Mn, r) || // Hebrew points
		0x064B <= r && r <= 0x065F || r == 0x0670 { // Arabic harakat, superscript alef
		return dst
	}
	return utf8.AppendRune(dst, unicode.ToLower(r))
}
