package extract

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	xunicode "golang.org/x/text/encoding/unicode"

	"github.com/newsdedup/newsdedup"
)

const page = `<!DOCTYPE html><html lang="en"><head>
<title>Port strike halts grain exports | Example News</title>
<meta property="og:site_name" content="Example News">
<meta property="og:title" content="Port strike halts grain exports">
<link rel="canonical" href="https://news.example.com/2024/03/02/port-strike">
<meta property="article:published_time" content="2024-03-02T09:30:00Z">
</head><body>
<nav><a href="/">Home</a> » <a href="/world">World</a> » <a href="/europe">Europe</a></nav>
<article>
<h1>Port strike halts grain exports</h1>
<p>ROTTERDAM (Reuters) - Dock workers at the northern grain terminal walked out on Saturday, halting exports for the third day in a row, union officials said.</p>
<div class="share">Share Facebook Twitter WhatsApp Email</div>
<p>The strike began after talks over night-shift pay collapsed late on Wednesday, and the operator said it had no plans to reopen negotiations before Monday.</p>
<figure><img src="x.jpg"><figcaption>Workers outside the gates on Saturday. Photo: Jan Visser/Reuters</figcaption></figure>
<p>Farmers' groups warned that a long stoppage would leave thousands of tonnes of wheat stranded in silos as the harvest season approaches.</p>
<table><tr><td>Terminal</td><td>Tonnes</td></tr><tr><td>North</td><td>12000</td></tr></table>
<p>A spokesman for the port authority said ships were being diverted to other terminals where possible.</p>
</article>
<aside><h2>Related stories</h2><ul><li><a href="/a">Grain prices climb to a six-month high</a></li></ul></aside>
<footer>Copyright Example News</footer>
</body></html>`

func TestHTML(t *testing.T) {
	a, err := HTML("page.html", []byte(page), "")
	if err != nil {
		t.Fatal(err)
	}
	if a.Title != "Port strike halts grain exports" {
		t.Errorf("Title=%q", a.Title)
	}
	if a.URL != "https://news.example.com/2024/03/02/port-strike" || a.Source != "Example News" || a.Lang != "en" {
		t.Errorf("URL=%q Source=%q Lang=%q", a.URL, a.Source, a.Lang)
	}
	if want := time.Date(2024, 3, 2, 0, 0, 0, 0, time.UTC); a.Published.Format("2006-01-02") != want.Format("2006-01-02") {
		t.Errorf("Published=%v", a.Published)
	}
	body := a.Text()
	for _, want := range []string{"Dock workers at the northern grain terminal", "reopen negotiations", "stranded in silos", "ships were being diverted", "North 12000"} {
		if !strings.Contains(body, want) {
			t.Errorf("body lacks %q:\n%s", want, body)
		}
	}
	for _, chrome := range []string{"Home", "Share Facebook", "Photo: Jan Visser", "Grain prices climb", "Copyright"} {
		if strings.Contains(body, chrome) {
			t.Errorf("body holds chrome %q:\n%s", chrome, body)
		}
	}
	if len(a.Credits) != 1 || a.Credits[0] != "Reuters" {
		t.Errorf("Credits=%v", a.Credits)
	}
}

// TestHTMLHostile feeds pages that must end in a bounded result or a clear
// error: never a hang or a crash.
func TestHTMLHostile(t *testing.T) {
	if testing.Short() {
		t.Skip("large inputs")
	}
	para := "<p>" + strings.Repeat("A sentence of reasonable prose about a strike at the port. ", 5) + "</p>"
	for _, tc := range []struct {
		name string
		data []byte
	}{
		{"empty", nil},
		{"nested", []byte(strings.Repeat("<div>", 200_000) + para + strings.Repeat("</div>", 200_000))},
		{"unclosed", []byte(strings.Repeat("<b><i><span>", 50_000) + para)},
		{"huge", bytes.Repeat([]byte(para), 50<<20/len(para))},
		{"many unclosed paragraphs", []byte(strings.Repeat("<p>a short line of text", 5000))},
		{"invalid utf-8", []byte("<html><body><p>caf\xe9 " + strings.Repeat("words of the story ", 20) + "</p></body></html>")},
		{"binary", bytes.Repeat([]byte{0, 1, 2, 0xff}, 10_000)},
	} {
		if tc.name == "huge" && raceEnabled {
			continue // minutes under the race detector; run without it
		}
		done := make(chan error, 1)
		go func() {
			_, err := HTML(tc.name, tc.data, "")
			done <- err
		}()
		select {
		case err := <-done:
			if err != nil && !strings.HasPrefix(err.Error(), tc.name+": ") {
				t.Errorf("%s: error does not name the input: %v", tc.name, err)
			}
		case <-time.After(60 * time.Second):
			t.Fatalf("%s: no result after 60 s", tc.name)
		}
	}
}

func TestHTMLCues(t *testing.T) {
	for _, tc := range []struct {
		fn   func(string) bool
		name string
		in   string
		want bool
	}{
		{isCallToAction, "cta", "Get the day’s top headlines delivered to your inbox every morning by subscribing to our newsletter.", true},
		{isCallToAction, "cta", "Follow @Deals on Twitter to keep up with the latest deals.", true},
		{isCallToAction, "cta", "Get ready: the strike may last until the harvest, the union said.", false},
		{isURLLine, "url", "reporter@example.com", true},
		{isURLLine, "url", "twitter.com/reporter", true},
		{isURLLine, "url", "He wrote to the paper.", false},
		{isBreadcrumb, "breadcrumb", "Home » World » Asia", true},
		{isBreadcrumb, "breadcrumb", "Prices rose 5% » analysts said.", false},
		{isShareWidget, "share", "Whatsapp Facebook Pint Baixar", true},
		{isShareWidget, "share", "Facebook said on Monday", false},
		{isTimestamp, "timestamp", "segunda-feira, 22 de janeiro de 2018 às 0:13", true},
		{isTimestamp, "timestamp", "The meeting at 10:30 in 2018 was short.", false},
		{isTailCue, "tail", "Related: SpaceX's Starship in pictures", true},
		{isTailCue, "tail", "More Great WIRED Stories", true},
		{isTailCue, "tail", "You may also like...", true},
		{isPageLine, "page", "Copyright © Example News 2019. All rights reserved.", true},
		{isPageLine, "page", "By JANE DOE and JOHN ROE", true},
		{isPageLine, "page", "Keith Bradsher contributed reporting from Hong Kong.", true},
		{isPageLine, "page", "Write to Al Root at al.root@example.com", true},
		{isPageLine, "page", "Updated at 1:23 p.m.", true},
		{isPageLine, "page", "[CNET]", true},
		{isPageLine, "page", "By noon the strike had spread to two more terminals and the port authority closed its gates.", false},
		{isPageLine, "page", "Published figures show exports fell 12% in 2019.", false},
	} {
		if got := tc.fn(tc.in); got != tc.want {
			t.Errorf("%s(%q)=%v, want %v", tc.name, tc.in, got, tc.want)
		}
	}
}

// article is the body of a test page: three paragraphs of prose.
const article = `<p>Dock workers at the northern grain terminal walked out on Saturday, halting exports for the third day in a row, union officials said.</p>
<p>The strike began after talks over night-shift pay collapsed late on Wednesday, and the operator said it had no plans to reopen negotiations before Monday.</p>
<p>Farmers' groups warned that a long stoppage would leave thousands of tonnes of wheat stranded in silos as the harvest season approaches.</p>`

// TestHTMLCharsets: a page is read in the encoding its bytes and its
// declaration show, and its text comes out as the publisher wrote it.
func TestHTMLCharsets(t *testing.T) {
	page := func(head, body string) string {
		return "<!DOCTYPE html><html><head>" + head + "<title>Port strike</title></head><body><article><h1>Port strike</h1>" + body + "</article></body></html>"
	}
	encode := func(e encoding.Encoding, s string) []byte {
		out, err := e.NewEncoder().String(s)
		if err != nil {
			t.Fatal(err)
		}
		return []byte(out)
	}
	// A page whose only non-ASCII characters are two dashes: its bytes
	// also read as Windows-1252, where they are "â€”".
	const dashes = "Talks failed — again — on Friday, and the union said it would strike."
	const wire = "<p>Dock workers at the northern grain terminal walked out on Saturday, halting exports for the third day in a row, union officials said on the record.</p>"
	const french = "Le maire a annoncé la fermeture du marché de Noël pour trois jours, à cause de la tempête « Ciarán » qui approche."
	const ja1 = "北部の穀物ターミナルで港湾労働者がストライキを行い、三日連続で輸出が止まったと組合が発表した。"
	const ja2 = "夜勤手当をめぐる交渉は水曜日に決裂し、運営会社は月曜日まで交渉を再開する予定はないと述べた。"
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"utf-8 declared, two dashes", []byte(page(`<meta charset="utf-8">`, "<p>"+dashes+"</p>"+wire+wire)), dashes},
		{"utf-8 declared by http-equiv", []byte(page(`<meta http-equiv="Content-Type" content="text/html; charset=UTF-8">`, "<p>"+dashes+"</p>"+wire+wire)), dashes},
		{"utf-8 undeclared", []byte(page("", "<p>"+dashes+"</p>"+wire+wire)), dashes},
		{"utf-8 declared windows-1252", []byte(page(`<meta charset="windows-1252">`, "<p>"+dashes+"</p>"+wire+wire)), dashes},
		{"windows-1252 declared", encode(charmap.Windows1252, page(`<meta charset="windows-1252">`, "<p>"+french+"</p>"+article)), french},
		{"iso-8859-1 by http-equiv", encode(charmap.Windows1252, page(`<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">`, "<p>"+french+"</p>"+article)), french},
		{"iso-8859-1 by xml declaration", encode(charmap.Windows1252, `<?xml version="1.0" encoding="ISO-8859-1"?>`+"\n"+page("", "<p>"+french+"</p>"+article)), french},
		{"shift_jis declared", encode(japanese.ShiftJIS, page(`<meta charset="Shift_JIS">`, "<p>"+ja1+"</p><p>"+ja2+"</p>"+article)), ja1},
		{"euc-jp declared", encode(japanese.EUCJP, page(`<meta http-equiv="Content-Type" content="text/html; charset=EUC-JP">`, "<p>"+ja1+"</p><p>"+ja2+"</p>"+article)), ja1},
		{"utf-16le with bom", append([]byte{0xff, 0xfe}, encode(xunicode.UTF16(xunicode.LittleEndian, xunicode.IgnoreBOM), page("", "<p>"+french+"</p>"+article))...), french},
		{"utf-8 with a stray windows-1252 byte", []byte(page(`<meta charset="utf-8">`, "<p>"+french+"</p><p>"+dashes+" \x93Enough\x94, he said.</p>"+article)), dashes + " “Enough”, he said."},
	} {
		a, err := HTML(tc.name, tc.data, "")
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if !slices.Contains(a.Body, tc.want) {
			t.Errorf("%s: body=%q, want %q", tc.name, a.Body, tc.want)
		}
		if a.Title != "Port strike" {
			t.Errorf("%s: title=%q", tc.name, a.Title)
		}
	}
}

// TestHTMLPublished: the publication time keeps the time of day and zone
// the page states, where it states one for the day htmldate finds.
func TestHTMLPublished(t *testing.T) {
	page := func(head, body string) []byte {
		return []byte("<!DOCTYPE html><html><head><title>Port strike</title>" + head + "</head><body><article><h1>Port strike</h1>" + body + article + "</article></body></html>")
	}
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"article:published_time", page(`<meta property="article:published_time" content="2025-03-14T06:40:00Z">`, ""), "2025-03-14T06:40:00Z"},
		{"zone kept", page(`<meta property="article:published_time" content="2025-03-14T23:40:00-05:00">`, ""), "2025-03-14T23:40:00-05:00"},
		{"fractional seconds", page(`<meta property="article:published_time" content="2025-03-14T06:40:12.345+01:00">`, ""), "2025-03-14T06:40:12.345+01:00"},
		{"time element", page("", `<time datetime="2025-03-14T06:40:00+02:00">14 March 2025</time>`), "2025-03-14T06:40:00+02:00"},
		{"itemprop", page("", `<span itemprop="datePublished" content="2025-03-14T06:40:00Z">March 14</span>`), "2025-03-14T06:40:00Z"},
		{"json-ld", page(`<script type="application/ld+json">{"@type":"NewsArticle","headline":"Port strike","datePublished":"2025-03-14T06:40:00+00:00","dateModified":"2025-03-15T08:00:00+00:00"}</script>`, ""), "2025-03-14T06:40:00Z"},
		{"meta before a later time element", page(`<meta property="article:published_time" content="2025-03-14T06:40:00Z">`, `<time datetime="2025-03-15T10:00:00Z">updated</time>`), "2025-03-14T06:40:00Z"},
		{"date only", page(`<meta property="article:published_time" content="2025-03-14">`, ""), "2025-03-14T00:00:00Z"},
		{"none", page("", ""), "0001-01-01T00:00:00Z"},
	} {
		a, err := HTML(tc.name, tc.data, "")
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if got := a.Published.Format(time.RFC3339Nano); got != tc.want {
			t.Errorf("%s: Published=%s, want %s", tc.name, got, tc.want)
		}
	}
}

// TestHTMLNotArticle: pages that hold no article, and files that are no
// pages, are errors that say so and name the input.
func TestHTMLNotArticle(t *testing.T) {
	for _, tc := range []struct {
		name string
		data string
		want string // "" for an article
	}{
		{"nav.html", `<html><body><nav><a href=/>Home</a> | <a href=/about>About</a></nav><p>Hi</p></body></html>`, "nav.html: no article text found (only 3 words of navigation or chrome)"},
		{"menu.html", `<html><body><ul><li><a href=/>Home</a></li><li><a href=/world>World</a></li><li><a href=/sport>Sport</a></li><li><a href=/contact>Contact us</a></li></ul></body></html>`, "menu.html: no article text found (only"},
		{"brief.html", `<html><body><nav><a href=/>Home</a> | <a href=/about>About</a></nav><p>The council approved the budget.</p></body></html>`, ""},
		{"brief-ja.html", `<html><body><p>市議会は予算案を承認した。</p></body></html>`, ""},
		{"list.html", `<html><body><article><h1>Results</h1><ul>` + strings.Repeat(`<li>Northern terminal grain exports resumed</li><li>Southern terminal closed for repairs</li>`, 5) + `</ul></article></body></html>`, ""},
		{"report.pdf", "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "report.pdf: a PDF document, not supported (newsdedup reads text, HTML, WARC, feeds and JSON lines)"},
		{"photo.html", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "photo.html: a PNG image, not supported"},
	} {
		a, err := HTML(tc.name, []byte(tc.data), "")
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: %v, want an article", tc.name, err)
		case tc.want != "" && err == nil:
			t.Errorf("%s: body %q, want error %q", tc.name, a.Body, tc.want)
		case tc.want != "" && !strings.HasPrefix(err.Error(), tc.want):
			t.Errorf("%s: error %q, want %q", tc.name, err, tc.want)
		case tc.want != "" && newsdedup.ErrorCode(err) != newsdedup.EINVALID:
			t.Errorf("%s: error code %q, want invalid", tc.name, newsdedup.ErrorCode(err))
		}
	}
}
