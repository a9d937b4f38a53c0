package extract

import (
	"bytes"
	"strings"
	"testing"
	"time"
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
