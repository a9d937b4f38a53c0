package extract

import (
	"bytes"
	"fmt"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/markusmobius/go-trafilatura"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/newsdedup/newsdedup"
	"github.com/newsdedup/newsdedup/textnorm"
)

// MaxHTMLBytes is the largest page HTML accepts; a larger page is cut
// there (news pages are rarely over 2 MB; 50 MB is a dump or an attack).
const MaxHTMLBytes = 16 << 20

// maxTreeSize bounds the number of elements go-trafilatura works on, so a
// page of deeply nested or endless tags costs bounded time and memory.
const maxTreeSize = 200_000

// HTML extracts an article from an HTML page: main text with go-trafilatura
// (with its readability and DOM-distiller fallbacks), title, publication
// time, site name, canonical URL and language from the page's metadata.
// pageURL, if known, is the address the page was fetched from. The page is
// read in the encoding its bytes and declaration show (see htmlUTF8). The
// text then goes through the same chrome rules as plain text, so that
// captions and "related stories" lines the library keeps are dropped; what
// is left must read as prose (see prose). A file in a binary format such as
// PDF is an error wrapping ErrUnsupported.
func HTML(name string, data []byte, pageURL string) (*newsdedup.Article, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, fmt.Errorf("%s: %w", name, ErrEmpty)
	}
	if err := unsupported(name, data); err != nil {
		return nil, err
	}
	if !utf16BOM(data) && looksBinary(data) {
		return nil, fmt.Errorf("%s: %w", name, newsdedup.Errorf(newsdedup.EINVALID, "binary data, not HTML"))
	}
	if len(data) > MaxHTMLBytes {
		data = data[:MaxHTMLBytes]
	}
	doc, err := parseHTML(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if err := checkSize(doc); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	times := statedTimes(doc)
	opts := trafilatura.Options{
		EnableFallback:  true,
		ExcludeComments: true,
		MaxTreeSize:     maxTreeSize,
	}
	if u, err := url.Parse(pageURL); err == nil && pageURL != "" {
		opts.OriginalURL = u
	}
	res, err := trafilatura.ExtractDocument(doc, opts)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, newsdedup.Errorf(newsdedup.EINVALID, "no article found: %v", err))
	}
	a := &newsdedup.Article{
		Input:     name,
		Title:     newsdedup.CutTitle(strings.TrimSpace(res.Metadata.Title)),
		Published: publishedTime(res.Metadata.Date, times),
		Source:    strings.TrimSpace(res.Metadata.Sitename),
		URL:       res.Metadata.URL,
		Lang:      res.Metadata.Language,
	}
	if a.URL == "" {
		a.URL = pageURL
	}
	if a.Source == "" {
		a.Source = strings.TrimPrefix(res.Metadata.Hostname, "www.")
	}
	paras := Blocks(res.ContentNode)
	a.Body, a.Credits = cleanBlocks(paras, a.Title)
	if len(a.Body) == 0 {
		return nil, fmt.Errorf("%s: %w", name, newsdedup.Errorf(newsdedup.EINVALID, "no article text found"))
	}
	if words, ok := prose(a.Body); !ok {
		return nil, fmt.Errorf("%s: %w", name, newsdedup.Errorf(newsdedup.EINVALID, "no article text found (only %d words of navigation or chrome)", words))
	}
	if a.Lang == "" { // the page's <html lang> when present, else the text's
		a.Lang = DetectLang(a.Text())
	}
	return a, nil
}

// Prose thresholds: an extraction is an article if one of its blocks is a
// sentence of minSentenceWords words or more, or if it runs to
// minProseWords words (poems, lists and transcripts may have no full
// stops). A page of navigation ("Home | About") or a one-line notice has
// neither. The shortest article among the extraction benchmarks' 680 pages
// has 21 words and a sentence of 16; the shortest without a sentence has 67.
const (
	minSentenceWords = 5
	minProseWords    = 50
)

// prose returns the number of words in body, and whether it reads as
// prose (see minSentenceWords). In scripts written without spaces every
// character counts as a word.
func prose(body []string) (words int, ok bool) {
	var t textnorm.Tokenizer
	for _, b := range body {
		n := 0
		t.Each(b, func(tok []byte) {
			if u := unspaced(tok); u > 0 {
				n += u
			} else {
				n++
			}
		})
		words += n
		if n >= minSentenceWords && endsProse(b) {
			ok = true
		}
	}
	return words, ok || words >= minProseWords
}

// unspaced returns the number of characters of tok in scripts written
// without spaces between words.
func unspaced(tok []byte) int {
	n := 0
	for _, r := range string(tok) {
		if unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Thai, unicode.Lao, unicode.Khmer, unicode.Myanmar, unicode.Tibetan) {
			n++
		}
	}
	return n
}

// endsProse reports whether s ends a sentence, in any script.
func endsProse(s string) bool {
	if endsSentence(s) {
		return true
	}
	s = strings.TrimRight(s, "\"'”’)]»」』）》 ")
	r, _ := utf8.DecodeLastRuneInString(s)
	return strings.ContainsRune("。！？｡।॥؟۔։።", r)
}

// MaxDepth is the deepest element nesting HTML accepts. Real pages stay
// under a few dozen levels; the HTML parser's cost grows with depth times
// length, so a page nested deeper is refused rather than parsed.
const MaxDepth = 1024

// flatTags do not count towards depth: void elements, and elements whose
// end tag may be left out (the parser closes them itself).
var flatTags = map[string]bool{"area": true, "base": true, "br": true, "col": true, "embed": true, "hr": true, "img": true,
	"input": true, "link": true, "meta": true, "source": true, "track": true, "wbr": true, "param": true,
	"p": true, "li": true, "dt": true, "dd": true, "tr": true, "td": true, "th": true, "option": true, "optgroup": true,
	"thead": true, "tbody": true, "tfoot": true, "colgroup": true, "caption": true, "rb": true, "rt": true, "rp": true}

// preflight scans data with the tokenizer (linear time) and refuses pages
// nested deeper than MaxDepth.
func preflight(data []byte) error {
	z := html.NewTokenizer(bytes.NewReader(data))
	depth := 0
	for {
		switch z.Next() {
		case html.ErrorToken:
			return nil
		case html.StartTagToken:
			name, _ := z.TagName()
			if !flatTags[string(name)] {
				if depth++; depth > MaxDepth {
					return newsdedup.Errorf(newsdedup.EINVALID, "HTML nested deeper than %d elements", MaxDepth)
				}
			}
		case html.EndTagToken:
			if name, _ := z.TagName(); depth > 0 && !flatTags[string(name)] {
				depth--
			}
		}
	}
}

// blockTags are the elements whose text is one paragraph.
var blockTags = map[string]bool{
	"p": true, "h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true,
	"li": true, "blockquote": true, "pre": true, "tr": true, "dd": true, "dt": true,
	"figcaption": true, "caption": true, "summary": true,
}

// Blocks returns the text of each block element under n, in document
// order, with whitespace collapsed. Text outside any block element forms
// blocks of its own between them.
func Blocks(n *html.Node) []string {
	if n == nil {
		return nil
	}
	var out []string
	var loose strings.Builder
	flush := func() {
		if s := strings.Join(strings.Fields(loose.String()), " "); s != "" {
			out = append(out, s)
		}
		loose.Reset()
	}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			switch {
			case c.Type == html.TextNode:
				loose.WriteString(c.Data)
			case c.Type == html.ElementNode && blockTags[c.Data]:
				flush()
				if s := strings.Join(strings.Fields(textOf(c)), " "); s != "" {
					out = append(out, s)
				}
			case c.Type == html.ElementNode && c.Data == "br":
				loose.WriteString("\n")
			case c.Type == html.ElementNode:
				if c.Data == "div" || c.Data == "section" || c.Data == "article" || c.Data == "table" || c.Data == "ul" || c.Data == "ol" {
					flush()
				}
				walk(c)
			}
		}
	}
	walk(n)
	flush()
	return out
}

// spaced are the elements whose text is kept apart from its neighbours'.
var spaced = map[string]bool{"td": true, "th": true, "br": true, "div": true, "p": true, "li": true, "tr": true, "dd": true, "dt": true}

// textOf returns the text under n, with a space where table cells, line
// breaks and blocks meet, and where an element's text runs into a capital
// ("<strong>Summary</strong>Studies show" reads "Summary Studies show").
func textOf(n *html.Node) string {
	var b strings.Builder
	var last rune
	boundary := false
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			switch c.Type {
			case html.TextNode:
				if first, _ := utf8.DecodeRuneInString(c.Data); boundary && unicode.IsUpper(first) && (unicode.IsLetter(last) || unicode.IsDigit(last)) {
					b.WriteByte(' ')
				}
				b.WriteString(c.Data)
				if r, _ := utf8.DecodeLastRuneInString(c.Data); r != utf8.RuneError {
					last = r
				}
				boundary = false
			case html.ElementNode:
				boundary = true
				if spaced[c.Data] {
					b.WriteByte(' ')
				}
				walk(c)
				boundary = true
				if spaced[c.Data] {
					b.WriteByte(' ')
				}
			}
		}
	}
	walk(n)
	return b.String()
}

// cleanBlocks drops from the extracted blocks the chrome lines the plain-text
// rules know (captions with credits, navigation, related-story lists and
// what follows them, tags, desk lines) and a repeat of the title; it returns
// the body and the agencies credited.
func cleanBlocks(blocks []string, title string) (body, credits []string) {
	inList := false
	for i, b := range blocks {
		if isBreadcrumb(b) || isShareWidget(b) || isCallToAction(b) || isPageLine(b) {
			continue
		}
		if isTailCue(b) {
			// A "Related stories" or "Don't miss" box: its headline links
			// go with it, up to the next sentence of prose. (The library
			// has cut the page's own tail already; such boxes also sit
			// inside articles, so they do not end the text here.)
			inList = true
			continue
		}
		if inList {
			if !endsSentence(b) {
				continue
			}
			inList = false
		}
		if c := creditLine(b); c != nil {
			credits = append(credits, c...)
			continue
		}
		if isNav(b) || isTimeOnly(b) || isTimestamp(b) || isURLLine(b) || isTagsLine(b) || isDeskLine(b) || isCaption(b) && !endsSentence(b) {
			continue
		}
		if title != "" && i < 3 && sameText(b, title) {
			continue
		}
		credits = append(credits, datelineCredit(b)...)
		body = append(body, b)
	}
	return body, credits
}

// isBreadcrumb reports whether s is a trail of section links: "Home » World » Asia".
func isBreadcrumb(s string) bool {
	if len(strings.Fields(s)) > 20 {
		return false
	}
	n := 0
	for _, sep := range []string{"»", "›", " > ", " / ", "|"} {
		n += strings.Count(s, sep)
	}
	return n >= 2 && !endsSentence(s)
}

// shareWords are the words share and follow widgets are made of.
var shareWords = map[string]bool{
	"share": true, "shares": true, "tweet": true, "whatsapp": true, "facebook": true, "twitter": true, "x": true,
	"pinterest": true, "pin": true, "pint": true, "linkedin": true, "reddit": true, "telegram": true, "tumblr": true,
	"email": true, "e": true, "mail": true, "print": true, "copy": true, "link": true, "messenger": true, "flipboard": true,
	"baixar": true, "download": true, "save": true, "comment": true, "comments": true, "sms": true, "threads": true,
	"bluesky": true, "mastodon": true, "instagram": true, "youtube": true, "on": true, "via": true, "this": true, "article": true,
}

// isShareWidget reports whether every word of s is a share-widget word.
func isShareWidget(s string) bool {
	toks := textnorm.Tokens(s)
	if len(toks) < 2 || len(toks) > 12 {
		return false
	}
	for _, t := range toks {
		if !shareWords[t] {
			return false
		}
	}
	return true
}

// Fragment extracts an article from an HTML fragment that is the article
// already, such as a feed item's content: its blocks, through the same
// chrome rules as a page, without looking for the main text.
func Fragment(name, fragment string) (*newsdedup.Article, error) {
	if err := preflight([]byte(fragment)); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	doc, err := html.Parse(strings.NewReader(fragment))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, newsdedup.Errorf(newsdedup.EINVALID, "HTML: %v", err))
	}
	a := &newsdedup.Article{Input: name}
	a.Body, a.Credits = cleanBlocks(Blocks(doc), "")
	if len(a.Body) == 0 {
		return nil, fmt.Errorf("%s: %w", name, newsdedup.Errorf(newsdedup.EINVALID, "no article text found"))
	}
	return a, nil
}

// Bounds on a page's tree: extraction's cost grows faster than the number
// of paragraphs (a 7.9 MB page of 32,000 paragraphs took 103 s and 1.7 GB),
// and no news article's page has this many: of the 681 extraction sample
// pages, the largest has 274 paragraphs and 9,750 elements.
const (
	maxParagraphs = 5_000
	maxElements   = 100_000
)

// checkSize returns an error when doc has more paragraphs or elements than
// one article's page can.
func checkSize(doc *html.Node) error {
	var paras, elems int
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.ElementNode {
				elems++
				if c.DataAtom == atom.P {
					paras++
				}
			}
			walk(c)
		}
	}
	walk(doc)
	switch {
	case paras > maxParagraphs:
		return newsdedup.Errorf(newsdedup.EINVALID, "%d paragraphs: not one article's page (at most %d)", paras, maxParagraphs)
	case elems > maxElements:
		return newsdedup.Errorf(newsdedup.EINVALID, "%d HTML elements: not one article's page (at most %d)", elems, maxElements)
	}
	return nil
}

// utf16BOM reports whether data starts with a UTF-16 byte-order mark (its
// NUL bytes are text).
func utf16BOM(data []byte) bool {
	return bytes.HasPrefix(data, []byte{0xff, 0xfe}) || bytes.HasPrefix(data, []byte{0xfe, 0xff})
}
