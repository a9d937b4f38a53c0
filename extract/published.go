package extract

import (
	"regexp"
	"strings"
	"time"

	"golang.org/x/net/html"
)

// publishedMeta are the names (in name, property or itemprop) under which
// a page's <meta> elements give its publication time.
var publishedMeta = map[string]bool{
	"article:published_time": true, "og:article:published_time": true, "og:published_time": true,
	"datepublished": true, "pubdate": true, "publishdate": true, "publish-date": true, "publish_date": true,
	"publication_date": true, "parsely-pub-date": true, "sailthru.date": true, "dc.date.issued": true,
	"dcterms.issued": true, "article.published": true, "date.published": true,
}

// ldPublished finds datePublished in JSON-LD without decoding it: much
// JSON-LD in the wild is not valid JSON.
var ldPublished = regexp.MustCompile(`"datePublished"\s*:\s*"([^"]{10,40})"`)

// statedTimes returns the publication times the page states with a time
// of day, strongest first: <meta> elements and itemprop="datePublished",
// then JSON-LD datePublished, then <time datetime> elements in document
// order (which may also date comments or other stories).
func statedTimes(doc *html.Node) []time.Time {
	var meta, ld, times []time.Time
	add := func(list *[]time.Time, s string) {
		if t, ok := parseStamp(s); ok {
			*list = append(*list, t)
		}
	}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			var content, datetime, itemprop string
			named := false
			for _, a := range n.Attr {
				switch a.Key {
				case "name", "property":
					named = named || publishedMeta[strings.ToLower(strings.TrimSpace(a.Val))]
				case "itemprop":
					itemprop = strings.ToLower(strings.TrimSpace(a.Val))
				case "content":
					content = a.Val
				case "datetime":
					datetime = a.Val
				}
			}
			switch {
			case n.Data == "meta" && (named || publishedMeta[itemprop]):
				add(&meta, content)
			case itemprop == "datepublished":
				add(&meta, content)
				add(&meta, datetime)
			case n.Data == "time":
				add(&times, datetime)
			case n.Data == "script" && n.FirstChild != nil && strings.Contains(n.FirstChild.Data, "datePublished"):
				for _, m := range ldPublished.FindAllStringSubmatch(n.FirstChild.Data, -1) {
					add(&ld, m[1])
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return append(append(meta, ld...), times...)
}

// stampLayouts are the layouts of a date with a time of day found in
// pages; a time without a zone is taken as UTC.
var stampLayouts = []string{
	time.RFC3339, "2006-01-02T15:04:05Z0700", "2006-01-02T15:04Z07:00", "2006-01-02T15:04Z0700",
	"2006-01-02 15:04:05Z07:00", "2006-01-02 15:04:05 Z07:00", "2006-01-02 15:04:05 -0700", "2006-01-02 15:04:05 MST",
	"2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02T15:04", "2006-01-02 15:04",
	time.RFC1123Z, time.RFC1123, "Mon, 2 Jan 2006 15:04:05 -0700",
}

// parseStamp parses a date with a time of day; a bare date is not one.
func parseStamp(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if len(s) < 16 {
		return time.Time{}, false
	}
	for _, l := range stampLayouts {
		if t, err := time.Parse(l, s); err == nil && t.Year() >= 1990 && t.Year() < 2100 {
			return t, true
		}
	}
	return time.Time{}, false
}

// publishedTime returns the first of the stated times that falls on day,
// the publication date htmldate found (which keeps only the date), so
// that the page's time of day and zone are kept; or the first stated time
// if htmldate found none; or day.
func publishedTime(day time.Time, stated []time.Time) time.Time {
	for _, t := range stated {
		if day.IsZero() || sameDay(t, day) || sameDay(t.UTC(), day) {
			return t
		}
	}
	return day
}

func sameDay(a, b time.Time) bool {
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	return ay == by && am == bm && ad == bd
}
