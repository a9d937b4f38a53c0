package cluster

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// A Mention is a calendar date written in an article's text ("July 10,
// 2014", "10 July 2014", "on July 10"). Year is 0 when the text leaves it
// out; the article's publication date then tells which year it means.
type Mention struct {
	Year, Month, Day int
}

const monthPattern = `(Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?`

var (
	// "July 10, 2014", "Jul. 10th 2014", "July 10" (a year, if any, is
	// matched by the optional group).
	monthDay = regexp.MustCompile(`\b` + monthPattern + `\s+(\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+((?:19|20)\d\d)\b)?`)
	// "10 July 2014".
	dayMonthYear = regexp.MustCompile(`\b(\d{1,2})\s+` + monthPattern + `,?\s+((?:19|20)\d\d)\b`)
)

var months = map[string]int{"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12}

// maxMentions bounds the dates kept per article: a long text listing dates
// (a timeline, a calendar) says little about when its event happened.
const maxMentions = 16

// Mentions returns the dates written in paragraphs, paragraph by paragraph
// (in each, month-first dates before day-first ones), at most maxMentions of
// them, each once.
func Mentions(paragraphs []string) []Mention {
	var out []Mention
	add := func(y, mo, d string) {
		m := Mention{Month: months[strings.ToLower(mo[:3])]}
		m.Day, _ = strconv.Atoi(d)
		if y != "" {
			m.Year, _ = strconv.Atoi(y)
		}
		if m.Day < 1 || m.Day > 31 || len(out) >= maxMentions {
			return
		}
		if !slices.Contains(out, m) {
			out = append(out, m)
		}
	}
	for _, p := range paragraphs {
		if !mayHoldDate(p) {
			continue
		}
		for _, s := range monthDay.FindAllStringSubmatch(p, -1) {
			add(s[3], s[1], s[2])
		}
		for _, s := range dayMonthYear.FindAllStringSubmatch(p, -1) {
			add(s[3], s[2], s[1])
		}
	}
	return out
}

// mayHoldDate reports whether p has both a digit and a month's
// abbreviation, as every date the patterns match does: most paragraphs
// have not, and the test is far cheaper than the patterns.
func mayHoldDate(p string) bool {
	if !strings.ContainsAny(p, "0123456789") {
		return false
	}
	for _, m := range monthAbbrevs {
		if strings.Contains(p, m) {
			return true
		}
	}
	return false
}

var monthAbbrevs = [...]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}

// Resolve returns the day m names for an article published at pub: a date
// without a year is the latest such day not after pub. It returns false for
// dates that do not exist, or when m has no year and pub is unknown, and
// for dates after pub (a plan, not an event).
func (m Mention) Resolve(pub time.Time) (time.Time, bool) {
	y := m.Year
	if y == 0 {
		if pub.IsZero() {
			return time.Time{}, false
		}
		y = pub.Year()
	}
	t := time.Date(y, time.Month(m.Month), m.Day, 0, 0, 0, 0, time.UTC)
	if t.Day() != m.Day {
		return time.Time{}, false // February 30
	}
	if !pub.IsZero() && t.After(pub) {
		if m.Year != 0 {
			return time.Time{}, false
		}
		t = t.AddDate(-1, 0, 0)
		if t.Day() != m.Day {
			return time.Time{}, false
		}
	}
	return t, true
}
