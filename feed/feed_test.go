package feed

import (
	"strings"
	"testing"
)

const rss = `<?xml version="1.0"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Example News</title><language>en</language>
<item><title>Port strike halts grain exports</title><link>https://news.example.com/strike</link>
<pubDate>Sat, 02 Mar 2024 09:30:00 GMT</pubDate>
<description>Short teaser.</description>
<content:encoded><![CDATA[<p>Dock workers at the northern grain terminal walked out on Saturday, halting exports for the third day in a row.</p><p>Share Facebook Twitter</p><p>The strike began after talks over night-shift pay collapsed.</p>]]></content:encoded>
</item>
<item><title>No text</title><link>https://news.example.com/empty</link></item>
</channel></rss>`

const atom = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Wire</title>
<entry><title>Quake hits Peru</title><link href="https://wire.example.org/quake"/><updated>2024-03-03T10:00:00Z</updated>
<content type="html">&lt;p&gt;A strong earthquake struck northern Peru on Sunday, damaging dozens of houses.&lt;/p&gt;</content></entry>
</feed>`

func TestItems(t *testing.T) {
	arts, errs, err := Items(strings.NewReader(rss), "news.rss")
	if err != nil || len(errs) != 1 || !strings.Contains(errs[0].Error(), "news.rss#https://news.example.com/empty") {
		t.Fatal(err, errs) // the item without text is an error naming it
	}
	if len(arts) != 1 {
		t.Fatalf("articles=%d, want 1 (the item without text is not an article)", len(arts))
	}
	a := arts[0]
	if a.Title != "Port strike halts grain exports" || a.URL != "https://news.example.com/strike" || a.Source != "Example News" || a.Published.Day() != 2 || a.Lang != "en" {
		t.Errorf("article=%+v", a)
	}
	if len(a.Body) != 2 || strings.Contains(a.Text(), "Share Facebook") || a.Input != "news.rss#https://news.example.com/strike" {
		t.Errorf("body=%q input=%q", a.Body, a.Input)
	}
	arts, _, err = Items(strings.NewReader(atom), "wire.atom")
	if err != nil || len(arts) != 1 || arts[0].Title != "Quake hits Peru" || !strings.Contains(arts[0].Text(), "earthquake struck") {
		t.Errorf("atom: %v %+v", err, arts)
	}
}

func TestItemsHostile(t *testing.T) {
	xxe := `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><title>x</title><item><title>t</title><link>https://e.example/x</link>
<description>&lt;p&gt;Before &amp;xxe; and the entity &xxe; after, in a long enough sentence of text.&lt;/p&gt;</description></item></channel></rss>`
	arts, _, err := Items(strings.NewReader(xxe), "xxe.rss")
	for _, a := range arts {
		if strings.Contains(a.Text(), "root:") {
			t.Fatalf("external entity resolved: %q", a.Text())
		}
	}
	if err != nil && !strings.HasPrefix(err.Error(), "xxe.rss: ") {
		t.Errorf("error does not name the feed: %v", err)
	}
	if _, _, err := Items(strings.NewReader("this is no feed"), "bad.xml"); err == nil || !strings.HasPrefix(err.Error(), "bad.xml: ") {
		t.Errorf("not a feed: err=%v", err)
	}
	// A billion-laughs style expansion is not performed either.
	lol := `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><rss><channel><item><description>&lol2;</description></item></channel></rss>`
	Items(strings.NewReader(lol), "lol.rss")
}
