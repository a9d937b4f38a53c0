// Package textnorm turns text into the normalized word tokens and hashed word
// n-gram shingles that every later stage compares.
//
// Normalization is Unicode NFKC, lower case, folding of typographic quotes and
// dashes, and folding of British spellings to American ones, so that
// "criticised" and "criticized", or "China’s" and "China's", compare equal.
// All hashes use fixed seeds: they are persisted and must not depend on the
// process that made them.
package textnorm

import (
	"unicode"
	"unicode/utf8"

	"github.com/zeebo/xxh3"
	"golang.org/x/text/unicode/norm"
)

// Tokenizer splits text into normalized word tokens. A word is a run of
// letters, digits and marks; an apostrophe between two letters stays inside a
// word ("china's"). Scripts written without spaces between words (Han, Kana,
// Hangul, Thai, Lao, Khmer, Myanmar, Tibetan) give overlapping character
// n-grams instead, as Lucene's CJKBigramFilter does: a run of such letters
// of length L ≥ Gram yields L-Gram+1 tokens of Gram characters each, a
// shorter run one token. Mixed text is handled token by token. Letters are
// folded where copies differ only in spelling (see foldRune). The zero value
// is ready to use. A Tokenizer reuses its buffers and is not safe for
// concurrent use; use one per goroutine.
type Tokenizer struct {
	// Gram is the n-gram size for unspaced scripts; 0 means DefaultGram.
	Gram int

	tok []byte
	sp  []byte
	run []rune // letters of an unspaced script not yet emitted
}

// DefaultGram is the character n-gram size of unspaced scripts for a zero
// Tokenizer: bigrams, as Lucene's CJK analyzer, make better terms for
// stories and titles and word pairs for paragraph alignment than single
// characters. Fingerprint shingles use newsdedup.Params.Gram instead.
const DefaultGram = 2

// Analyzer names the analysis chain of this package: tokens by script,
// n-grams of unspaced scripts, and the folds of foldRune and the spelling
// tables. It is part of newsdedup.Params, so that a store whose shingles were
// made by another chain is refused; change it with any change that alters
// the tokens of some text.
const Analyzer = "script-ngrams/1"

// Each calls fn with every normalized token of s, in order. The slice passed
// to fn is only valid during the call. It runs in O(len(s)) time and does not
// allocate for ASCII text once its buffers have grown.
func (t *Tokenizer) Each(s string, fn func(tok []byte)) {
	if !isASCII(s) && !norm.NFKC.IsNormalString(s) {
		s = norm.NFKC.String(s)
	}
	t.tok = t.tok[:0]
	t.run = t.run[:0]
	flush := func() {
		if len(t.run) > 0 {
			t.emitRun(fn)
		}
		if len(t.tok) == 0 {
			return
		}
		// Drop a trailing apostrophe ("reporters'").
		for len(t.tok) > 0 && t.tok[len(t.tok)-1] == '\'' {
			t.tok = t.tok[:len(t.tok)-1]
		}
		if len(t.tok) > 0 {
			t.sp = appendSpelling(t.sp[:0], t.tok)
			fn(t.sp)
		}
		t.tok = t.tok[:0]
	}
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			switch {
			case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
				t.tok = append(t.tok, c)
			case 'A' <= c && c <= 'Z':
				t.tok = append(t.tok, c+('a'-'A'))
			case c == '\'' && len(t.tok) > 0 && i < len(s) && isWordStart(s[i:]):
				t.tok = append(t.tok, '\'')
			default:
				flush()
			}
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		switch {
		case r == '’' || r == '‘' || r == 'ʼ' || r == '′':
			if len(t.tok) > 0 && i < len(s) && isWordStart(s[i:]) {
				t.tok = append(t.tok, '\'')
			} else {
				flush()
			}
		case unspaced(r) || len(t.run) > 0 && unicode.Is(unicode.Mn, r):
			if len(t.tok) > 0 {
				flush()
			}
			t.run = append(t.run, r)
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r):
			if len(t.run) > 0 {
				t.emitRun(fn)
			}
			t.tok = appendFolded(t.tok, r)
		default:
			flush()
		}
	}
	flush()
}

// emitRun calls fn with the character n-grams of t.run and empties it.
func (t *Tokenizer) emitRun(fn func(tok []byte)) {
	n := t.Gram
	if n <= 0 {
		n = DefaultGram
	}
	run := t.run
	if len(run) < n {
		n = len(run)
	}
	for i := 0; i+n <= len(run); i++ {
		t.sp = t.sp[:0]
		for _, r := range run[i : i+n] {
			t.sp = appendFolded(t.sp, r)
		}
		if len(t.sp) > 0 {
			fn(t.sp)
		}
	}
	t.run = t.run[:0]
}

// unspaced reports whether r is a letter of a script written without spaces
// between words.
func unspaced(r rune) bool {
	if r < 0x0E00 {
		return false
	}
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul,
		unicode.Thai, unicode.Lao, unicode.Khmer, unicode.Myanmar, unicode.Tibetan) && !unicode.IsPunct(r)
}

func isWordStart(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsLetter(r)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// Tokens returns the normalized tokens of s.
func Tokens(s string) []string {
	var t Tokenizer
	var out []string
	t.Each(s, func(tok []byte) { out = append(out, string(tok)) })
	return out
}

// Fold returns s normalized to its tokens joined by single spaces. Two texts
// that differ only in case, punctuation, spacing, quotes or spelling variant
// fold to the same string.
func Fold(s string) string {
	var t Tokenizer
	b := make([]byte, 0, len(s))
	t.Each(s, func(tok []byte) {
		if len(b) > 0 {
			b = append(b, ' ')
		}
		b = append(b, tok...)
	})
	return string(b)
}

// HashTokens appends the 64-bit hash of every normalized token of s to dst.
// Hashes use seed, so they are the same in every process.
func (t *Tokenizer) HashTokens(dst []uint64, s string, seed uint64) []uint64 {
	t.Each(s, func(tok []byte) { dst = append(dst, xxh3.HashSeed(tok, seed)) })
	return dst
}

// Shingles appends to dst one hash for every run of k consecutive token
// hashes (a word k-gram). A text with fewer than k but at least one token
// yields one shingle of all its tokens. It runs in O(len(tokens)·k) time with
// one multiply-xor per token of each shingle, and panics if k < 1.
func Shingles(dst []uint64, tokens []uint64, k int) []uint64 {
	if k < 1 {
		panic("textnorm: shingle size < 1")
	}
	if len(tokens) == 0 {
		return dst
	}
	if len(tokens) < k {
		k = len(tokens)
	}
	for i := 0; i+k <= len(tokens); i++ {
		h := uint64(k)
		for _, x := range tokens[i : i+k] {
			h = (h ^ x) * 0x9e3779b97f4a7c15
			h ^= h >> 29
		}
		dst = append(dst, Mix(h))
	}
	return dst
}

// Mix is the splitmix64 finalizer: a bijection of uint64 whose output bits
// each depend on every input bit.
func Mix(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}
