package extract

import (
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// Cues that mark a line as chrome, whatever its length. They describe kinds
// of page furniture (navigation, picture credits, related-story lists),
// never particular sites.
var (
	navRe      = regexp.MustCompile(`(?i)^(\d+\.\s*)?(skip (to|next)\b.*|posted( on| by)?|published( on)?|menu|main menu|home|homepage|go to homepage|sign in|sign up\b.*|log ?in|register|subscribe\b.*|newsletters?\b.*|follow us\b.*|share( (this|on|via)\b.*)?|print|e-?mail|copy link|cookies?\b.*|accept( all)? cookies.*|advertisement|sponsored( content)?|live( tv)?|latest (audio|videos?).*|in focus|page \d+ of \d+|back to top|close|search|open (menu|navigation)|toggle navigation|loading\.*|click here\b.*|listen to (this )?article.*|\d+ comments?|comments?|facebook|twitter|whatsapp|linkedin|reddit|x)$`)
	timeOnlyRe = regexp.MustCompile(`(?i)^(updated:?\s*|published:?\s*)?(\d+\s*(seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?)\s+ago|just now|yesterday|today)$|(\d+\s*(minutes?|hours?|days?)\s+ago(\d\d:\d\d min)?)$`)
	urlRe      = regexp.MustCompile(`(?i)^((https?://|www\.)\S+|[\w.+-]+@[\w-]+(\.[\w-]+)+|[\w-]+(\.[\w-]+)+/\S*)$`)
	// Calls to action: an imperative that asks the reader to subscribe,
	// sign up, follow or buy, rather than telling news.
	ctaRe  = regexp.MustCompile(`(?i)^(get|sign up|subscribe|join|follow|click|download|receive|see it now|shop|buy|register|don't miss out|if you (enjoyed|liked))\b.*\b(newsletter|inbox|subscri\w*|click here|sign up|follow @\w+|@\w+ on twitter|delivered|members? get|membership|ebook|issues? for|deal|now:)`)
	tagsRe = regexp.MustCompile(`(?i)^(tags?|topics?|keywords?|filed under|categories|category)\s*[:\-]?\s+\S.*$`)
	// Agency desk initials at the foot of a wire story: "sct-dsa/jfx/pbt".
	deskRe    = regexp.MustCompile(`^[a-z]{2,5}(-[a-z]{2,5})?(/[a-z]{2,5}(-[a-z]{2,5})?){2,}$`)
	captionRe = regexp.MustCompile(`(?i)(\b(image|photo|picture|photograph|photos|foto|credit|source|video)\s*:\s*\S)|©|\(c\)\s|\bgetty images\b|\bvia getty\b|\bepa-efe\b|/file$|\bap photo\b|\breuters/|/reuters$|/afp$|/ap$|\bpicture[ -]alliance\b|\bshutterstock\b|\bistock(photo)?\b|\bphoto by\b|\bphoto courtesy\b|\bfile photo\b|^(image|photo|picture|slide) \d+ of /? ?\d+\b|\bcaption close\b`)
	tailRe    = regexp.MustCompile(`(?i)^(related|related (stories|articles|news|content|coverage|links|topics)|more (stories|news|articles|videos|from|on this (story|topic))\b.*|(more|other|top|latest|popular)( \w+){0,3} (stories|news|articles|reads)|more|popular on\b.*|most (read|popular|viewed|shared)\b.*|related\b[^.]{0,30}:.*|read (more|also|next)\b.*|see (also|more)\b.*|also read|you (may|might) (also )?like.*|recommended( for you| stories| articles)?|most (read|popular|viewed|shared)|trending( now| stories)?|top stor(y|ies)|latest (news|stories)|watch more\b.*|more from\b.*|skip next section\b.*|.{2,20}'s top story|editor'?s picks?|don'?t miss|popular (now|stories)|further reading)\s*:?$`)
	// A short line ending in agencies in parentheses: "msh/sdi (AFP, Reuters)".
	creditRe = regexp.MustCompile(`^(?:[a-z]{2,5}(?:[-/][a-z]{2,5})*\s+)?\(([A-Z][A-Za-z.&-]*(?:\s*[,/]\s*[A-Z][A-Za-z.&-]*)*)\)\.?$`)
	// A dateline credit opening a wire story: "JAKARTA (Reuters) -".
	datelineRe = regexp.MustCompile(`^[A-Z][A-Z .,'-]{1,40}\(([A-Z][A-Za-z.&]*(?:\s*[,/]\s*[A-Z][A-Za-z.&]*)*)\)\s*[-–—]`)
)

func isNav(s string) bool {
	if utf8.RuneCountInString(s) > 60 {
		return false
	}
	s = strings.TrimSpace(strings.TrimRight(s, ":|»›>"))
	return (s != "" && '0' <= s[0] && s[0] <= '9' || mayStart(s, navStarts)) && navRe.MatchString(s)
}

// The words navRe's, tailRe's and tagsRe's alternatives begin with, in
// lower case (navRe's may also begin with a number).
var (
	navStarts = words("skip posted published menu main home homepage go sign log login register subscribe newsletter newsletters " +
		"follow share print e email copy cookie cookies accept advertisement sponsored live latest in page back close search " +
		"open toggle loading click listen comment comments facebook twitter whatsapp linkedin reddit x")
	tailStarts = words("related more other top latest popular most read see also you recommended trending watch skip editor editors " +
		"don dont further")
	tagsStarts = words("tag tags topic topics keyword keywords filed categories category")
)

func words(s string) map[string]bool {
	m := make(map[string]bool)
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// mayStart reports whether s may match a case-insensitive pattern anchored
// at its start whose alternatives begin with the words of starts: whether
// s's leading run of ASCII letters, in lower case, is one of them, or s
// holds one of the two non-ASCII letters that (?i) folds to ASCII ones
// (long s, the Kelvin sign), which are left to the pattern. A pattern
// costs its size at each byte it reads; this a byte.
func mayStart(s string, starts map[string]bool) bool {
	if foldsToASCII(s) {
		return true
	}
	var w [16]byte
	n := 0
	for ; n < len(s) && n < len(w); n++ {
		c := s[n]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c < 'a' || c > 'z' {
			break
		}
		w[n] = c
	}
	if n == len(w) {
		return false // longer than any word of a pattern
	}
	return starts[string(w[:n])]
}

// isTimeOnly reports whether s is a time alone ("3 hours ago", "today"):
// timeOnlyRe's alternatives all end in "ago", "now", "day" or "min",
// letters no non-ASCII letter folds to.
func isTimeOnly(s string) bool {
	if len(s) > 60 || len(s) < 3 {
		return false
	}
	switch strings.ToLower(s[len(s)-3:]) {
	case "ago", "now", "day", "min":
		return timeOnlyRe.MatchString(s)
	}
	return false
}

// isURLLine reports whether s is a URL or an e-mail address alone: none
// of urlRe's alternatives has a space.
func isURLLine(s string) bool { return !strings.ContainsAny(s, " \t\n\f\r") && urlRe.MatchString(s) }

// isCallToAction reports whether s asks the reader to subscribe, follow or
// buy (at most 45 words: a promotion box, not an article paragraph).
func isCallToAction(s string) bool {
	return len(strings.Fields(s)) <= 45 && ctaRe.MatchString(s)
}
func isTagsLine(s string) bool {
	return len(s) <= 1000 && !endsSentence(s) && mayStart(s, tagsStarts) && tagsRe.MatchString(s) && (len(s) <= 200 || isKeywordList(s))
}

// isKeywordList reports whether s is a list of short phrases separated by
// commas, as keyword and tag lists are: at least five items of at most four
// words each, and no closing sentence punctuation.
func isKeywordList(s string) bool {
	if endsSentence(s) {
		return false
	}
	items := strings.Split(s, ",")
	if len(items) < 6 {
		return false
	}
	for _, it := range items {
		if n := len(strings.Fields(it)); n == 0 || n > 4 {
			return false
		}
	}
	return true
}

var stampRe = regexp.MustCompile(`\b(19|20)\d\d\b.*\b\d{1,2}[:h]\d\d\b|\b\d{1,2}[:h]\d\d\b.*\b(19|20)\d\d\b`)

// isTimestamp reports whether s is a short date-and-time line in any
// language ("segunda-feira, 22 de janeiro de 2018 às 0:13").
func isTimestamp(s string) bool {
	return len(strings.Fields(s)) <= 10 && !endsSentence(s) && stampRe.MatchString(s)
}
func isDeskLine(s string) bool {
	return len(s) >= 8 && 'a' <= s[0] && s[0] <= 'z' && strings.IndexByte(s, '/') > 0 && deskRe.MatchString(s)
}

// isTailCue reports whether s introduces a list of other stories: tailRe's
// alternatives begin with one of tailStarts, but for "X's top story".
func isTailCue(s string) bool {
	s = strings.Trim(strings.TrimSpace(s), "[]")
	t := strings.TrimRight(s, ".…")
	return utf8.RuneCountInString(s) <= 60 && !endsSentence(t) &&
		(mayStart(t, tailStarts) || strings.Contains(asciiLower(t), "'s top story")) && tailRe.MatchString(t)
}

// pageLineRe matches lines of page furniture that HTML pages carry around
// an article: copyright notices, source tags in brackets, bylines, contact
// and contribution lines, update stamps, reading times, comment and form
// messages, continue-reading links.
var pageLineRe = regexp.MustCompile(`(?i)^((copyright|©|\(c\))\b.{0,80}|\[[^\]]{1,30}\]|by [\p{Lu}][^.!?]{0,40}|.{0,40}\bcontributed (reporting|to this report)\b.{0,40}|additional reporting by\b.{0,60}|(write to|reach|contact) (the )?(reporters?|author|us|[\p{Lu}][\w.]*( [\p{Lu}][\w.]*)?) (at|on)\b.{0,120}|(updated|published|posted|last updated)(:|\s+(at|on))?\s+(\d|mon|tue|wed|thu|fri|sat|sun|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec).{0,40}|\d+ min(ute)?s? read|continue reading( below)?|explore further|you must (log|sign) in to (post )?(a )?comment\.?|(thanks|thank you) for (signing up|subscribing)!?|there was an error processing your (subscription|request)\.?|an error has occurred, please try again( later)?\.?|like this (story|article)\?.{0,60})$`)

// isPageLine reports whether s is page furniture by pageLineRe.
func isPageLine(s string) bool {
	return utf8.RuneCountInString(s) <= 200 && pageLineRe.MatchString(strings.TrimSpace(s))
}

// isCaption reports whether s carries a picture credit: whether captionRe
// matches it. It runs in time linear in len(s) with a small constant
// (captionRe, unanchored and of many alternatives, costs its program's size
// at every byte): matchCaption reads captionRe's alternatives as substring
// searches on s in ASCII lower case. The two non-ASCII letters that (?i)
// folds to ASCII ones (long s, the Kelvin sign) are left to captionRe.
func isCaption(s string) bool {
	if utf8.RuneCountInString(s) > 400 {
		return false
	}
	if foldsToASCII(s) {
		return captionRe.MatchString(s)
	}
	return matchCaption(asciiLower(s))
}

// foldsToASCII reports whether s holds one of the two non-ASCII letters
// that (?i) folds to ASCII ones: long s (ſ) and the Kelvin sign (K).
func foldsToASCII(s string) bool {
	return strings.ContainsRune(s, '\u017f') || strings.ContainsRune(s, '\u212a')
}

// asciiLower returns s with its ASCII letters in lower case; other bytes,
// and so every byte offset, are kept.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// matchCaption is captionRe.MatchString for l in ASCII lower case, one
// alternative after the other.
func matchCaption(l string) bool {
	if strings.Contains(l, "\u00a9") {
		return true
	}
	for _, suf := range []string{"/file", "/reuters", "/afp", "/ap"} {
		if strings.HasSuffix(l, suf) {
			return true
		}
	}
	for _, w := range []string{"image ", "photo ", "picture ", "slide "} {
		if strings.HasPrefix(l, w) && slideNumber(l[len(w):]) {
			return true
		}
	}
	for _, p := range []string{"getty images", "via getty", "epa-efe", "ap photo", "picture alliance", "picture-alliance",
		"shutterstock", "istock", "istockphoto", "photo by", "photo courtesy", "file photo", "caption close"} {
		if occurs(l, p, func(i int) bool { return boundary(l, i) && boundary(l, i+len(p)) }) {
			return true
		}
	}
	if occurs(l, "reuters/", func(i int) bool { return boundary(l, i) }) {
		return true
	}
	if occurs(l, "(c)", func(i int) bool { return i+3 < len(l) && isSpace(l[i+3]) }) {
		return true
	}
	for _, w := range []string{"image", "photo", "picture", "photograph", "photos", "foto", "credit", "source", "video"} {
		if occurs(l, w, func(i int) bool { return boundary(l, i) && labelled(l[i+len(w):]) }) {
			return true
		}
	}
	return false
}

// occurs reports whether p occurs in l at an offset where ok holds.
func occurs(l, p string, ok func(i int) bool) bool {
	for off := 0; ; {
		k := strings.Index(l[off:], p)
		if k < 0 {
			return false
		}
		if ok(off + k) {
			return true
		}
		off += k + 1
	}
}

// labelled reports whether rest starts with `\s*:\s*\S`.
func labelled(rest string) bool {
	i := skipSpace(rest, 0)
	if i == len(rest) || rest[i] != ':' {
		return false
	}
	i = skipSpace(rest, i+1)
	return i < len(rest)
}

// slideNumber reports whether rest starts with `\d+ of /? ?\d+\b`.
func slideNumber(rest string) bool {
	i := skipDigits(rest, 0)
	if i == 0 || !strings.HasPrefix(rest[i:], " of ") {
		return false
	}
	i += len(" of ")
	if i < len(rest) && rest[i] == '/' {
		i++
	}
	if i < len(rest) && rest[i] == ' ' {
		i++
	}
	j := skipDigits(rest, i)
	return j > i && boundary(rest, j)
}

func skipDigits(s string, i int) int {
	for i < len(s) && '0' <= s[i] && s[i] <= '9' {
		i++
	}
	return i
}

func skipSpace(s string, i int) int {
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	return i
}

// isSpace is RE2's \s.
func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r' }

// boundary is RE2's \b at offset i of s: an ASCII word byte on one side only.
func boundary(s string, i int) bool {
	before := i > 0 && isWordByte(s[i-1])
	after := i < len(s) && isWordByte(s[i])
	return before != after
}

func isWordByte(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '_'
}

// creditLine returns the agencies a short credit line names, or nil.
func creditLine(s string) []string {
	if len(s) > 80 {
		return nil
	}
	m := creditRe.FindStringSubmatch(s)
	if m == nil {
		return nil
	}
	return splitAgencies(m[1])
}

// datelineCredit returns the agency of a wire dateline opening s, or nil.
func datelineCredit(s string) []string {
	m := datelineRe.FindStringSubmatch(s)
	if m == nil {
		return nil
	}
	return splitAgencies(m[1])
}

func splitAgencies(s string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '/' }) {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

var (
	months   = `(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?`
	isoRe    = regexp.MustCompile(`\b((?:19|20)\d\d)-(\d\d)-(\d\d)(?:[ T](\d\d):(\d\d))?\b`)
	mdyRe    = regexp.MustCompile(`(?i)\b` + months + `\s+(\d{1,2})(?:st|nd|rd|th)?\s*,?\s*((?:19|20)\d\d)\b`)
	dmyRe    = regexp.MustCompile(`(?i)\b(\d{1,2})(?:st|nd|rd|th)?\s+` + months + `\s*,?\s*((?:19|20)\d\d)\b`)
	monthNum = map[string]time.Month{"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12}
)

// findDate returns the first full date (with a year) in s, from a line of
// words words. Only short lines (a dateline, a byline with a date) count:
// a date inside a long sentence is usually about something else.
func findDate(s string, words int) (time.Time, bool) {
	if words > 16 {
		return time.Time{}, false
	}
	if m := isoRe.FindStringSubmatch(s); m != nil {
		if m[4] != "" {
			if t, err := time.Parse("2006-01-02 15:04", m[1]+"-"+m[2]+"-"+m[3]+" "+m[4]+":"+m[5]); err == nil {
				return t, true
			}
		}
		if t, err := time.Parse("2006-01-02", m[1]+"-"+m[2]+"-"+m[3]); err == nil {
			return t, true
		}
	}
	if m := mdyRe.FindStringSubmatch(s); m != nil {
		return dateOf(m[3], m[1], m[2])
	}
	if m := dmyRe.FindStringSubmatch(s); m != nil {
		return dateOf(m[3], m[2], m[1])
	}
	return findForeignDate(s)
}

func dateOf(year, month, day string) (time.Time, bool) {
	mon, ok := monthNum[strings.ToLower(month)[:3]]
	if !ok {
		return time.Time{}, false
	}
	var y, d int
	for _, c := range year {
		y = y*10 + int(c-'0')
	}
	for _, c := range day {
		d = d*10 + int(c-'0')
	}
	if d < 1 || d > 31 {
		return time.Time{}, false
	}
	t := time.Date(y, mon, d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d {
		return time.Time{}, false
	}
	return t, true
}

// isDateLine reports whether s is little more than a date.
func isDateLine(s string, words int) bool {
	_, ok := findDate(s, words)
	return ok && words <= 8
}
