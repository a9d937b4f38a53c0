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
	// matched by the optional group), at the start of the text: Mentions
	// tries it where a month's name begins a word.
	monthDayAt = regexp.MustCompile(`^` + monthPattern + `\s+(\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+((?:19|20)\d\d)\b)?`)
	// "10 July 2014", at the start of the text: tried where a number
	// begins a word.
	dayMonthYearAt = regexp.MustCompile(`^(\d{1,2})\s+` + monthPattern + `,?\s+((?:19|20)\d\d)\b`)
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
		for _, s := range matchesAt(monthDayAt, p, startsMonthDay) {
			add(s[3], s[1], s[2])
		}
		for _, s := range matchesAt(dayMonthYearAt, p, startsDayMonth) {
			add(s[3], s[2], s[1])
		}
	}
	return out
}

// matchesAt returns what `\b`+X would find in p with FindAllStringSubmatch,
// re being ^X: the leftmost matches that do not overlap, trying re only at
// the starts of words that may begin one (may says which). The patterns are
// much costlier than the test, and most words begin no date.
func matchesAt(re *regexp.Regexp, p string, may func(string) bool) [][]string {
	var out [][]string
	for i := 0; i < len(p); i++ {
		if i > 0 && isWordByte(p[i-1]) || !isWordByte(p[i]) || !may(p[i:]) {
			continue
		}
		m := re.FindStringSubmatchIndex(p[i:])
		if m == nil {
			continue
		}
		s := make([]string, len(m)/2)
		for k := range s {
			if m[2*k] >= 0 {
				s[k] = p[i+m[2*k] : i+m[2*k+1]]
			}
		}
		out = append(out, s)
		i += m[1] - 1 // the next match starts after this one
	}
	return out
}

// isWordByte reports whether b is an ASCII word character, as `\b` sees
// them.
func isWordByte(b byte) bool {
	return b == '_' || '0' <= b && b <= '9' || 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z'
}

func startsMonth(s string) bool {
	if len(s) < 3 {
		return false
	}
	for _, m := range monthAbbrevs {
		if s[:3] == m {
			return true
		}
	}
	return false
}

// startsMonthDay reports whether s starts as monthDayAt needs: a month's
// abbreviation, more letters, maybe a point, then spaces and a digit.
func startsMonthDay(s string) bool {
	if !startsMonth(s) {
		return false
	}
	i := 3
	for i < len(s) && 'a' <= s[i] && s[i] <= 'z' {
		i++
	}
	if i < len(s) && s[i] == '.' {
		i++
	}
	j := afterSpaces(s, i)
	return j > 0 && j < len(s) && isDigit(s[j])
}

// startsDayMonth reports whether s starts as dayMonthYearAt needs: one or
// two digits, then spaces and a month's abbreviation.
func startsDayMonth(s string) bool {
	i := 0
	for i < len(s) && i < 2 && isDigit(s[i]) {
		i++
	}
	j := afterSpaces(s, i)
	return i > 0 && j > 0 && startsMonth(s[j:])
}

// afterSpaces returns where the run of `\s` (ASCII white space: tab,
// newline, form feed, carriage return, space) at s[i:] ends, or -1 if
// there is none.
func afterSpaces(s string, i int) int {
	j := i
	for j < len(s) && (s[j] == ' ' || s[j] == '\t' || s[j] == '\n' || s[j] == '\f' || s[j] == '\r') {
		j++
	}
	if j == i {
		return -1
	}
	return j
}

func isDigit(b byte) bool { return '0' <= b && b <= '9' }

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
