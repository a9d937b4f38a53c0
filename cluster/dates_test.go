package cluster

import (
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// The patterns as Mentions once ran them over whole paragraphs: matchesAt
// must find what they find.
var (
	monthDayRe     = regexp.MustCompile(`\b` + monthPattern + `\s+(\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+((?:19|20)\d\d)\b)?`)
	dayMonthYearRe = regexp.MustCompile(`\b(\d{1,2})\s+` + monthPattern + `,?\s+((?:19|20)\d\d)\b`)
)

func TestMatchesAtIsFindAll(t *testing.T) {
	pieces := []string{"July", "Jul.", "Jul", "June", "May", "Sept.", "September", "Sep", "Decem", "March", "Mar",
		"10", "1", "31", "123", "2014", "1999", "2101", "st", "th", "nd", ",", ".", " ", "  ", "\n", "\t", "a", "xJuly", "_", "é", "日",
		"(", "10th", "3rd", "on", "Dec", "Janx", "0", "Market", "Mayor", "Sept", "\r", "\f", "\v", "Jul.10", "12Jul"}
	r := rand.New(rand.NewPCG(1, 2))
	var texts []string
	for range 20000 {
		var b strings.Builder
		for range 1 + r.IntN(14) {
			b.WriteString(pieces[r.IntN(len(pieces))])
			if r.IntN(3) > 0 {
				b.WriteByte(' ')
			}
		}
		texts = append(texts, b.String())
	}
	texts = append(texts, "", "On July 10, 2014 and 11 July 2014, then Aug 3rd, 1999 or 5 May 2020.", "Jan 1 Feb 2 Mar 3 2015 4 Apr 2016")
	found := 0
	for _, s := range texts {
		for _, c := range []struct {
			at, all *regexp.Regexp
			may     func(string) bool
		}{{monthDayAt, monthDayRe, startsMonthDay}, {dayMonthYearAt, dayMonthYearRe, startsDayMonth}} {
			want := c.all.FindAllStringSubmatch(s, -1)
			got := matchesAt(c.at, s, c.may)
			if !slices.EqualFunc(got, want, slices.Equal) {
				t.Fatalf("%q with %v: got %q, want %q", s, c.all, got, want)
			}
			found += len(want)
		}
	}
	if found < 1000 {
		t.Fatalf("only %d matches in all: the texts test too little", found)
	}
}

// BenchmarkMentions measures finding dates in paragraphs of news prose
// that name months and numbers, as wire reports do.
func BenchmarkMentions(b *testing.B) {
	ps := []string{
		"Switzerland had a trade deficit of 629.7 mln Swiss francs in February compared with a revised 209.4 mln deficit in January and 723.2 mln shortfall in February 1986, the Federal Customs Office said.",
		"The department said the initiative for 10,000 head of dairy cattle was announced on September 12, 1986, and sales of 3,501 head have been made since that date.",
		"Pay March 13 Record March Two. Shareholders of record on April 1 will receive 15 cts a share, against 12 cts in May 1986.",
	}
	for b.Loop() {
		Mentions(ps)
	}
}
