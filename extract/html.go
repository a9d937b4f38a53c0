package extract

import (
	"bytes"
	"fmt"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/go-shiori/dom"
	"github.com/markusmobius/go-trafilatura"
	"golang.org/x/net/html"

	"newsdedup"
)

// MaxHTMLBytes is the largest page HTML accepts; a larger page is cut
// there (news pages are rarely over 2 MB; 50 MB is a dump or an attack).
const MaxHTMLBytes = 16 << 20

// maxTreeSize bounds the number of elements go-trafilatura works on, so a
// page of deeply nested or endless tags costs bounded time and memory.
const maxTreeSize = 200_000

// HTML extracts an article from an HTML page: main text with go-trafilatura
// (with its readability and DOM-distiller fallbacks), title, publication
// date, site name, canonical URL and language from the page's metadata.
// pageURL, if known, is the address the page was fetched from. The text
// then goes through the same chrome rules as plain text, so that captions
// and "related stories" lines the library keeps are dropped.
func HTML(name string, data []byte, pageURL string) (*newsdedup.Article, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, fmt.Errorf("%s: %w", name, ErrEmpty)
	}
	if len(data) > MaxHTMLBytes {
		data = data[:MaxHTMLBytes]
	}
	if !utf8.Valid(data) {
		data = bytes.ToValidUTF8(data, []byte("\uFFFD"))
	}
	opts := trafilatura.Options{
		EnableFallback:  true,
		ExcludeComments: true,
		MaxTreeSize:     maxTreeSize,
	}
	if u, err := url.Parse(pageURL); err == nil && pageURL != "" {
		opts.OriginalURL = u
	}
	res, err := trafilatura.Extract(bytes.NewReader(data), opts)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, newsdedup.Errorf(newsdedup.EINVALID, "no article found: %v", err))
	}
	a := &newsdedup.Article{
		Input:     name,
		Title:     strings.TrimSpace(res.Metadata.Title),
		Published: res.Metadata.Date,
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
	return a, nil
}

// blockTags are the elements whose text is one paragraph.
var blockTags = map[string]bool{
	"p": true, "h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true,
	"li": true, "blockquote": true, "pre": true, "td": true, "th": true, "dd": true, "dt": true,
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
				if s := strings.Join(strings.Fields(dom.TextContent(c)), " "); s != "" {
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

// cleanBlocks drops from the extracted blocks the chrome lines the plain-text
// rules know (captions with credits, navigation, related-story lists and
// what follows them, tags, desk lines) and a repeat of the title; it returns
// the body and the agencies credited.
func cleanBlocks(blocks []string, title string) (body, credits []string) {
	for i, b := range blocks {
		if i > 0 && isTailCue(b) {
			break
		}
		if c := creditLine(b); c != nil {
			credits = append(credits, c...)
			continue
		}
		if isNav(b) || isTimeOnly(b) || isURLLine(b) || isTagsLine(b) || isDeskLine(b) || isCaption(b) && !endsSentence(b) {
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
