package cluster

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/newsdedup/newsdedup/textnorm"
)

// A Fact is a number with the word it counts or measures, as an article
// states it: "four men" (men 4), "a 17-year-old" (year 17), "the 2500
// block" (block 2500), "6 wounded" (wounded 6). Two reports of one event
// agree on them, while look-alike events (another shooting in the same
// city, another quake of the same region) differ in them: a fact whose word
// both state with no value in common is a conflict.
type Fact struct {
	Noun  string
	Value string
}

// numberWords are the spelled numbers facts are read from, besides digits:
// news spells small counts out ("four men were wounded").
var numberWords = map[string]string{
	"one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7", "eight": "8",
	"nine": "9", "ten": "10", "eleven": "11", "twelve": "12", "dozen": "12", "twenty": "20",
	"eins": "1", "zwei": "2", "drei": "3", "vier": "4", "fünf": "5", "un": "1", "deux": "2", "trois": "3",
	"dos": "2", "tres": "3", "cuatro": "4", "cinco": "5",
}

// countNouns are stop words that numbers count ("17 years", "3 people").
var countNouns = map[string]bool{"year": true, "years": true, "people": true, "day": true, "days": true, "week": true}

var weekdays = map[string]bool{"monday": true, "tuesday": true, "wednesday": true, "thursday": true, "friday": true, "saturday": true, "sunday": true}

// maxFacts and maxEntities bound what an article keeps: the first ones,
// where a report states its event.
const (
	maxFacts    = 24
	maxEntities = 48
	// leadParagraphs are the paragraphs, after the title, whose entities
	// are the article's lead: what it is about, as against whom it quotes.
	leadParagraphs = 2
)

// entityScanner collects entities (runs of capitalized words: names of
// people, places and organizations, in any script with case) and facts
// from the fields of a text, field by field.
type entityScanner struct {
	run      []string // tokens of the current capitalized run
	runStart bool     // the run began a sentence
	lead     bool     // fields are in the title or lead paragraphs
	number   string   // the last number seen, waiting for its noun
	gap      int      // tokens since that number
	counts   map[string]int
	leads    map[string]bool
	order    []string // entities in order of first sight
	facts    []Fact
	// named is the name a clause just ended with ("John Smith,"), which
	// an age in the next field ("23,") makes a person fact.
	named string
}

func newEntityScanner() *entityScanner {
	return &entityScanner{counts: make(map[string]int), leads: make(map[string]bool)}
}

// field takes one whitespace-separated field: capital says it begins with
// an upper-case letter, start that it begins a sentence, toks its tokens
// (stop words included), and end that it ends a clause.
func (s *entityScanner) field(capital, start bool, toks []string, end bool) {
	if s.named != "" && !capital && end && len(toks) == 1 && s.lead {
		if age, ok := numberValue(toks[0]); ok && len(age) <= 2 && age != "" {
			s.addFact(Fact{Noun: "person", Value: s.named})
		}
	}
	s.named = ""
	if capital && len(toks) > 0 {
		if len(s.run) == 0 {
			s.runStart = start
		}
		s.run = append(s.run, toks...)
	} else {
		s.flush()
	}
	for _, t := range toks {
		s.token(t)
	}
	if end {
		name := s.flush()
		if capital && strings.Count(name, " ") >= 1 {
			s.named = name
		}
		s.number = ""
	}
}

// addFact adds f to the facts, once, up to maxFacts.
func (s *entityScanner) addFact(f Fact) {
	if len(s.facts) < maxFacts && !slices.Contains(s.facts, f) {
		s.facts = append(s.facts, f)
	}
}

// streetWords are the last words of street names, folded to one spelling:
// a street named in the lead ("the 2500 block of West Fifth Street") is
// where the event happened.
var streetWords = map[string]string{
	"street": "street", "st": "street", "avenue": "avenue", "ave": "avenue", "road": "road", "rd": "road",
	"boulevard": "boulevard", "blvd": "boulevard", "drive": "drive", "dr": "drive", "lane": "lane", "ln": "lane",
	"court": "court", "ct": "court", "parkway": "parkway", "pkwy": "parkway", "highway": "highway", "hwy": "highway",
	"circle": "circle", "terrace": "terrace", "trail": "trail", "place": "place", "way": "way",
	"straße": "straße", "strasse": "straße", "gasse": "gasse", "weg": "weg", "platz": "platz",
}

// directions are left out of street names: "West Fifth Street" and
// "Fifth Street" are one street.
var directions = map[string]bool{"north": true, "south": true, "east": true, "west": true, "n": true, "s": true, "e": true, "w": true}

// street returns the street a name is, folded, or "".
func street(run []string) string {
	if len(run) < 2 {
		return ""
	}
	last, ok := streetWords[run[len(run)-1]]
	if !ok {
		return ""
	}
	var words []string
	for _, w := range run[:len(run)-1] {
		if !directions[w] {
			words = append(words, w)
		}
	}
	if len(words) == 0 {
		return ""
	}
	return strings.Join(append(words, last), " ")
}

// token reads facts: a number, then within two tokens the first word that
// is not a stop word nor a number.
func (s *entityScanner) token(t string) {
	if weekdays[t] && s.lead && len(s.facts) < maxFacts {
		f := Fact{Noun: "weekday", Value: t}
		if !slices.Contains(s.facts, f) {
			s.facts = append(s.facts, f)
		}
	}
	if v, ok := numberValue(t); ok {
		s.number, s.gap = v, 0
		return
	}
	if s.number == "" {
		return
	}
	s.gap++
	if textnorm.IsStopword(t) && !countNouns[t] {
		if s.gap > 2 {
			s.number = ""
		}
		return
	}
	if s.lead && len(s.facts) < maxFacts && utf8.RuneCountInString(t) > 1 {
		f := Fact{Noun: singular(t), Value: s.number}
		if !slices.Contains(s.facts, f) {
			s.facts = append(s.facts, f)
		}
	}
	s.number = ""
}

// flush ends the current capitalized run. A run that begins a sentence is
// an entity only when it has two words or more and does not begin with a
// stop word ("The", "Police" alone are capitalized for the sentence); a
// run of stop words only is none.
func (s *entityScanner) flush() string {
	run, start := s.run, s.runStart
	s.run = s.run[:0]
	for len(run) > 0 && textnorm.IsStopword(run[0]) {
		run, start = run[1:], false
	}
	for len(run) > 0 && textnorm.IsStopword(run[len(run)-1]) {
		run = run[:len(run)-1]
	}
	// A run that begins a sentence may be capitalized for that alone; one
	// of more than four words is a headline in capitals, not a name; a run
	// led by a number is a fact.
	if len(run) == 0 || start && len(run) < 2 || len(run) > 4 {
		return ""
	}
	if _, ok := numberValue(run[0]); ok {
		return ""
	}
	name := strings.TrimSuffix(strings.Join(run, " "), "'s")
	if st := street(run); st != "" && s.lead {
		s.addFact(Fact{Noun: "street", Value: st})
	}
	if s.counts[name] == 0 {
		if len(s.order) >= maxEntities {
			return name
		}
		s.order = append(s.order, name)
	}
	s.counts[name]++
	if s.lead {
		s.leads[name] = true
	}
	return name
}

// numberValue returns the value of a number token: digits, or a spelled
// small number.
func numberValue(t string) (string, bool) {
	if t == "" {
		return "", false
	}
	if isNumber([]byte(t)) {
		if len(t) == 4 && (t[:2] == "19" || t[:2] == "20") {
			return "", false // a year: dates are compared as dates
		}
		return strings.TrimLeft(t, "0"), true
	}
	v, ok := numberWords[t]
	return v, ok
}

// singular folds a plural noun to its singular by the commonest rule, so
// that "4 men" and "one man" stay different but "teens" and "teen" match.
func singular(t string) string {
	if len(t) > 3 && strings.HasSuffix(t, "s") && !strings.HasSuffix(t, "ss") {
		return t[:len(t)-1]
	}
	return t
}

// isCapital reports whether field begins (after opening quotes and
// brackets) with an upper-case letter.
func isCapital(field string) bool {
	r, _ := utf8.DecodeRuneInString(strings.TrimLeft(field, "\"'“‘([«—-"))
	return unicode.IsUpper(r)
}
