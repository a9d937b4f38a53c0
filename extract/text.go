// Package extract turns an input document into a newsdedup.Article: its
// title, publication date, credits and body paragraphs without the chrome of
// the page it was saved from. It reads what it is given and fetches nothing.
package extract

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/newsdedup/newsdedup"
	"github.com/newsdedup/newsdedup/textnorm"
)

// MaxBytes is the largest input Text accepts. A news article is rarely over
// 200 KB of text; a larger input is a dump, not an article.
const MaxBytes = 8 << 20

// Input errors. Text wraps them with the input's name.
var (
	ErrEmpty    = newsdedup.Errorf(newsdedup.EINVALID, "empty input")
	ErrBinary   = newsdedup.Errorf(newsdedup.EINVALID, "binary data, not text")
	ErrTooLarge = newsdedup.Errorf(newsdedup.EINVALID, "too large for one article")
)

// CheckText returns an error naming name if data is not usable text: empty,
// too large, in a binary format such as PDF, binary, or neither UTF-8 nor
// text in Windows-1252 (see decodeText).
func CheckText(name string, data []byte) error {
	_, err := decodeText(name, data)
	return err
}

// decodeText returns data as UTF-8 text, or an error naming name if it is
// not usable text. Text with a byte-order mark is read as the mark says
// (UTF-8, UTF-16 LE or BE). Text that is not valid UTF-8 is read as UTF-8
// with a few stray bytes, or as Windows-1252 (ISO-8859-1) when it reads as
// Latin-script text that way (see mixedUTF8 and win1252Text); otherwise it
// is refused.
func decodeText(name string, data []byte) ([]byte, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, fmt.Errorf("%s: %w", name, ErrEmpty)
	}
	if len(data) > MaxBytes {
		return nil, fmt.Errorf("%s: %d bytes, over the %d MiB limit: %w", name, len(data), MaxBytes>>20, ErrTooLarge)
	}
	if err := unsupported(name, data); err != nil {
		return nil, err
	}
	data, _ = fromBOM(data)
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, fmt.Errorf("%s: %w", name, ErrEmpty)
	}
	if looksBinary(data) {
		return nil, fmt.Errorf("%s: %w", name, ErrBinary)
	}
	if utf8.Valid(data) {
		return data, nil
	}
	if out, ok := mixedUTF8(data); ok {
		return out, nil
	}
	if out, ok := win1252Text(data); ok {
		return out, nil
	}
	off := 0
	for off < len(data) {
		r, n := utf8.DecodeRune(data[off:])
		if r == utf8.RuneError && n <= 1 {
			break
		}
		off += n
	}
	return nil, fmt.Errorf("%s: %w", name, newsdedup.Errorf(newsdedup.EINVALID, "invalid UTF-8 at byte %d, and not text in Windows-1252 either", off))
}

// Text extracts an article from plain text as news gets saved in practice: an
// optional first metadata line " date YYYY-MM-DD", a title line, the body,
// and whatever chrome the scraper kept (menus, captions, image credits,
// "related stories" lists, taglines, share lines, tags). Paragraphs are
// classified in the manner of jusText (Pomikálek 2011): by length, stop-word
// density, terminal punctuation and the class of their neighbours, plus cues
// that mark navigation, captions and the end of an article. It uses no list
// of sites. Text that is not UTF-8 is decoded where its encoding is evident
// (see decodeText). name is used in errors and as the article's Input.
func Text(name string, data []byte) (*newsdedup.Article, error) {
	data, err := decodeText(name, data)
	if err != nil {
		return nil, err
	}
	a := &newsdedup.Article{Input: name}
	lines := splitLines(string(data))
	// As for a page (checkSize): classifying costs more than linear time
	// in the lines, and no article has this many paragraphs.
	if len(lines) > maxParagraphs {
		return nil, fmt.Errorf("%s: %w", name, newsdedup.Errorf(newsdedup.EINVALID, "%d lines: not one article's text (at most %d)", len(lines), maxParagraphs))
	}
	if len(lines) > 0 {
		if m := metaDate.FindStringSubmatch(lines[0].text); m != nil {
			if t, err := time.Parse("2006-01-02", m[1]); err == nil {
				a.Published = t
				lines[0].text = strings.TrimSpace(m[2])
				if lines[0].text == "" {
					lines = lines[1:]
				}
			}
		}
	}
	a.Lang = DetectLang(string(data))
	doc := classify(lines, a.Lang)
	a.Title, a.Body, a.Credits = newsdedup.CutTitle(doc.title), doc.body, doc.credits
	if a.Published.IsZero() {
		a.Published = doc.date
	}
	if len(a.Body) == 0 {
		return nil, fmt.Errorf("%s: %w", name, newsdedup.Errorf(newsdedup.EINVALID, "no article text found"))
	}
	return a, nil
}

var metaDate = regexp.MustCompile(`^\s*date\s+(\d{4}-\d{2}-\d{2})\b\s*(.*)$`)

type line struct {
	text     string
	gapAbove bool // a blank line separates it from the line above
}

func splitLines(s string) []line {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	var out []line
	gap := false
	for _, l := range strings.Split(s, "\n") {
		l = strings.TrimFunc(l, func(r rune) bool { return unicode.IsSpace(r) || r == '\uFEFF' || r == '\u200B' })
		if l == "" {
			gap = true
			continue
		}
		out = append(out, line{text: l, gapAbove: gap || len(out) == 0})
		gap = false
	}
	return out
}

// Paragraph classes, as in jusText.
type class int

const (
	bad class = iota
	short
	nearGood
	good
)

// jusText's thresholds, with stop-word densities lowered for our shorter
// stop-word list.
const (
	lengthLow     = 70
	lengthHigh    = 200
	stopwordsLow  = 0.22
	stopwordsHigh = 0.26
)

type para struct {
	line
	words, stops int
	length       int // in characters, a character of an unspaced script counting as three
	class        class
	chrome       bool // a cue marks it as chrome whatever its class
	caption      bool
	tail         bool // starts a related-stories or footer section
	credit       []string
	final        class
}

type document struct {
	title   string
	date    time.Time
	body    []string
	credits []string
}

// classify finds the title, date and body among lines of text in the
// language lang ("" if unknown: English stop words).
func classify(lines []line, lang string) document {
	ps := make([]*para, len(lines))
	gaps := 0
	var t textnorm.Tokenizer
	for i, l := range lines {
		p := &para{line: l}
		t.Each(l.text, func(tok []byte) {
			p.words++
			if textnorm.IsStopwordIn(lang, string(tok)) {
				p.stops++
			}
		})
		if lang == "zh" || lang == "ja" {
			// Function characters do not tell Chinese prose from chrome
			// (in the multilingual texts a tenth of the paragraphs have
			// under 0.16 of their bigrams holding one): classify by
			// length, punctuation and cues alone, as jusText does for a
			// language without a stop list.
			p.stops = p.words
		}
		for _, r := range l.text {
			p.length++
			if r >= 0x2E80 && unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul) {
				p.length += 2 // about as much text as three letters of a spaced script
			}
		}
		p.class = initialClass(p)
		p.chrome = isNav(l.text) || isTimeOnly(l.text) || isURLLine(l.text) || isTagsLine(l.text) || isDeskLine(l.text)
		p.caption = isCaption(l.text)
		p.tail = isTailCue(l.text)
		p.credit = creditLine(l.text)
		if p.credit != nil {
			p.chrome = true
		}
		if p.chrome || p.caption || p.tail {
			p.class = bad
		}
		if l.gapAbove && i > 0 {
			gaps++
		}
		ps[i] = p
	}
	// A file that separates paragraphs by blank lines keeps a picture's
	// alt text and caption as one block: the lines above a credit line in
	// its block are caption too.
	if len(ps) > 4 && gaps*3 >= len(ps) {
		for i, p := range ps {
			if !p.caption {
				continue
			}
			for j := i; j > 0 && !ps[j].gapAbove; j-- {
				ps[j-1].caption = true
				ps[j-1].class = bad
			}
		}
	}
	reviseContext(ps)

	var d document
	firstGood := -1
	for i, p := range ps {
		if p.final == good && p.words >= 8 {
			firstGood = i
			break
		}
	}
	if firstGood < 0 {
		// No prose found: keep whatever is not chrome.
		for _, p := range ps {
			if !p.chrome && !p.caption && !p.tail {
				d.body = append(d.body, p.text)
			}
		}
		return d
	}
	// The head, where a title may stand, runs to the second paragraph of
	// prose: a site's tagline can read like prose and come first.
	head, prose := 0, 0
	for i, p := range ps {
		head = i
		if p.final == good && p.words >= 8 && endsSentence(p.text) {
			if prose++; prose == 2 {
				break
			}
		}
	}
	start := firstGood
	if ti := findTitle(ps, head, firstGood, lang); ti >= 0 {
		d.title = ps[ti].text
		start = ti + 1
	}
	for i := 0; i < min(len(ps), max(start, firstGood)+3); i++ {
		if t, ok := findDate(ps[i].text, ps[i].words); ok {
			d.date = t
			break
		}
	}
	// The article ends at the first related-stories or footer cue after it.
	end := len(ps)
	for i := firstGood + 1; i < len(ps); i++ {
		if ps[i].tail {
			end = i
			break
		}
	}
	for _, p := range ps {
		d.credits = append(d.credits, p.credit...)
	}
	for i := start; i < end; i++ {
		p := ps[i]
		if p.credit == nil {
			d.credits = append(d.credits, datelineCredit(p.text)...)
		}
		if p.final != good || p.chrome || p.caption {
			continue
		}
		if d.title != "" && sameText(p.text, d.title) {
			continue
		}
		if isTeaser(p.text, ps[i+1:end]) {
			continue
		}
		if isDateLine(p.text, p.words) {
			continue
		}
		d.body = append(d.body, p.text)
	}
	return d
}

func initialClass(p *para) class {
	n := p.length
	if n < lengthLow {
		return short
	}
	density := 0.0
	if p.words > 0 {
		density = float64(p.stops) / float64(p.words)
	}
	switch {
	case density >= stopwordsHigh && n > lengthHigh:
		return good
	case density >= stopwordsLow:
		// Prose ends with a sentence; a long unpunctuated line is more
		// likely a list of links or a caption.
		if endsSentence(p.text) || n > lengthHigh {
			return good
		}
		return nearGood
	}
	return bad
}

// reviseContext gives short and near-good paragraphs the class their
// neighbours suggest, as jusText does: a short paragraph between good ones is
// good (a subheading, a one-line paragraph), between bad ones bad.
func reviseContext(ps []*para) {
	for _, p := range ps {
		p.final = p.class
	}
	neighbour := func(i, step int, skipNearGood bool) class {
		for j := i + step; j >= 0 && j < len(ps); j += step {
			c := ps[j].class
			if ps[j].caption {
				// A picture inside the article interrupts it; it says
				// nothing about whether its neighbours are article text.
				continue
			}
			if c == short || (skipNearGood && c == nearGood) {
				continue
			}
			return c
		}
		return bad
	}
	for i, p := range ps {
		if p.class != short {
			continue
		}
		prev, next := neighbour(i, -1, true), neighbour(i, 1, true)
		switch {
		case prev == good && next == good:
			p.final = good
		case prev == bad && next == bad:
			p.final = bad
		case prev == bad && neighbour(i, -1, false) == nearGood,
			next == bad && neighbour(i, 1, false) == nearGood:
			p.final = good
		default:
			p.final = bad
			if prev == good || next == good {
				// Between good prose and chrome: a heading if it reads like one.
				if p.words >= 3 && !endsSentence(p.text) && i > 0 && ps[i-1].class == good {
					p.final = good
				}
			}
		}
	}
	for i, p := range ps {
		if p.class != nearGood {
			continue
		}
		prev, next := neighbour(i, -1, true), neighbour(i, 1, true)
		if prev == bad && next == bad {
			p.final = bad
		} else {
			p.final = good
		}
	}
	for _, p := range ps {
		if p.chrome || p.caption || p.tail {
			p.final = bad
		}
	}
}

func endsSentence(s string) bool {
	s = strings.TrimRight(s, "\"'”’)]» 」』）")
	r, _ := utf8.DecodeLastRuneInString(s)
	return r == '.' || r == '!' || r == '?' || r == '…' || r == '。' || r == '！' || r == '？' || r == '؟' || r == '।'
}

// findTitle returns the index of the title line among the lines before head,
// or -1. A title reads like a headline (4 to 30 words,
// no closing full stop, no chrome cue) and shares its content words with the
// opening of the body; of several, the one sharing most wins, the later on a tie.
func findTitle(ps []*para, head, firstGood int, lang string) int {
	// The opening's words, made when a first line may be a title.
	var opening map[string]bool
	words := func() {
		opening = make(map[string]bool)
		n := 0
		for i := firstGood; i < len(ps) && n < 250; i++ {
			if ps[i].final != good || i < head && !endsSentence(ps[i].text) {
				continue
			}
			for _, t := range textnorm.Tokens(ps[i].text) {
				if !textnorm.IsStopwordIn(lang, t) {
					opening[stem(t)] = true
				}
				n++
			}
		}
	}
	best, bestScore := -1, 0.0
	for i := 0; i < head; i++ {
		p := ps[i]
		if p.chrome || p.caption || p.tail || p.words < 4 || p.words > 30 {
			continue
		}
		if endsSentence(p.text) {
			continue
		}
		if opening == nil {
			words()
		}
		var content, shared int
		for _, t := range textnorm.Tokens(p.text) {
			if textnorm.IsStopwordIn(lang, t) {
				continue
			}
			content++
			if opening[stem(t)] {
				shared++
			}
		}
		if content == 0 || float64(shared) < 0.4*float64(content) {
			continue
		}
		// Headlines run to six words and more; a shorter line sharing
		// words with the body is more often a section name.
		score := float64(shared) / float64(content) * min(1, float64(p.words)/6)
		if score >= bestScore {
			best, bestScore = i, score
		}
	}
	return best
}

// stem strips a plural or possessive ending, enough to match a headline's
// "diplomats" with the body's "diplomat".
func stem(t string) string {
	t = strings.TrimSuffix(t, "'s")
	if len(t) > 4 && strings.HasSuffix(t, "s") && !strings.HasSuffix(t, "ss") {
		return t[:len(t)-1]
	}
	return t
}

func sameText(a, b string) bool { return textnorm.Fold(a) == textnorm.Fold(b) }

// isTeaser reports whether s is a truncated copy of a later paragraph (a
// summary cut with an ellipsis).
func isTeaser(s string, later []*para) bool {
	t := strings.TrimSpace(s)
	if !strings.HasSuffix(t, "...") && !strings.HasSuffix(t, "…") {
		return false
	}
	f := textnorm.Fold(t)
	if len(f) < 20 {
		return false
	}
	for _, p := range later {
		if strings.HasPrefix(textnorm.Fold(p.text), f) {
			return true
		}
	}
	return false
}

// looksBinary reports whether the first 8 KiB of data hold a NUL byte or
// more than one control character in 20: no text or page does.
func looksBinary(data []byte) bool {
	head := data[:min(len(data), 8192)]
	ctrl := 0
	for _, c := range head {
		if c == 0 {
			return true
		}
		if c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' {
			ctrl++
		}
	}
	return ctrl*20 > len(head)
}
