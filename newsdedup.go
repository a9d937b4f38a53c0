// Package newsdedup holds the domain types of the newsdedup engine: articles,
// the relations found between them, copy families and stories. The stages of
// the pipeline live in subpackages and talk to each other through these types.
package newsdedup

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// ArticleID identifies an article. It is stable: derived from the article's
// URL (or, without one, its source and date) and its content, so that a
// new text at a known URL is a new article and the same text read again,
// under any input name, is the same one. A JSON record's id is used as
// given; CheckID says which IDs can be stored.
type ArticleID string

// An Article is one news item as extracted from its input.
type Article struct {
	ID        ArticleID
	Input     string    // the path, URL or record the article was read from
	URL       string    // canonical URL, if known
	Source    string    // outlet or host name, if known
	Title     string    // headline; empty when the input has none
	Published time.Time // publication time; zero when unknown
	Fetched   time.Time // when the page was captured, if known (a WARC record's date)
	Lang      string    // ISO 639-1 code, if known
	Body      []string  // paragraphs of the main text, chrome removed
	Credits   []string  // agencies or outlets the article credits ("AFP", "Reuters")
	Digest    uint64    // hash of the raw input
}

// IDStrings returns ids as strings.
func IDStrings(ids []ArticleID) []string {
	out := make([]string, len(ids))
	for i, x := range ids {
		out[i] = string(x)
	}
	return out
}

// Text returns the body paragraphs joined by blank lines.
func (a *Article) Text() string {
	n := 0
	for _, p := range a.Body {
		n += len(p) + 2
	}
	b := make([]byte, 0, n)
	for i, p := range a.Body {
		if i > 0 {
			b = append(b, '\n', '\n')
		}
		b = append(b, p...)
	}
	return string(b)
}

// Kind is the kind of a relation between two articles.
type Kind string

// The relation kinds, from the strongest copy relation to the weakest link.
const (
	KindExact         Kind = "exact"          // same normalized body
	KindNearDuplicate Kind = "near_duplicate" // same text, small edits
	KindVersion       Kind = "version"        // same outlet or URL lineage, text evolved
	KindReprint       Kind = "reprint"        // another outlet, same text, possibly trimmed or extended
	KindPartialReuse  Kind = "partial_reuse"  // some passages taken over
	KindSameStory     Kind = "same_story"     // same event, independent text
)

// IsCopy reports whether k joins two articles into one copy family.
func (k Kind) IsCopy() bool { return k != KindSameStory && k != "" }

// Relation is a verified relation between articles A and B.
type Relation struct {
	A, B        ArticleID
	Kind        Kind
	Jaccard     float64 // 5-word-shingle Jaccard of the bodies
	Containment float64 // shingles of the shorter body found in the longer
	Score       float64 // strength of the relation in [0,1]; for same_story the story similarity
	Evidence    *Evidence
}

// Evidence is what a person reads to judge a relation: how the paragraphs of
// A and B align.
type Evidence struct {
	Kept    int `json:"kept"`    // paragraphs of A found unchanged in B
	Changed int `json:"changed"` // paragraphs of A found in B with edits
	Removed int `json:"removed"` // paragraphs of A not in B
	Added   int `json:"added"`   // paragraphs of B not in A
	Shared  int `json:"shared"`  // shingles the bodies share
	Longest int `json:"longest"` // longest run of aligned paragraphs
	// Terms, for a same_story relation, are the terms that most tie B to
	// its story's other articles, with their part of the similarity.
	Terms []SharedTerm `json:"terms,omitempty"`
	// Entities, for a same_story relation, are the names and facts (a
	// number with what it counts, "men=4") of B that its story's other
	// articles state too, each with the share of them that do; Conflicts
	// are what B states that they contradict, outweighed by the rest.
	Entities  []SharedTerm `json:"entities,omitempty"`
	Conflicts []Conflict   `json:"conflicts,omitempty"`
}

// A Conflict is event evidence on which an article and its story disagree:
// a number stated of the same thing with no value in common ("men": "4"
// against "5"), or lead names the story's other articles do not name.
type Conflict struct {
	What    string   `json:"what"`
	Article []string `json:"article"`
	Story   []string `json:"story,omitempty"`
}

// A SharedTerm is a term two texts share and its part in their similarity
// (the product of its weights in both, averaged over the story's
// articles).
type SharedTerm struct {
	Term   string  `json:"term"`
	Weight float64 `json:"weight"`
}

// A Family is a set of articles joined by copy relations, with the one judged
// to be the original.
type Family struct {
	ID       string
	Original ArticleID
	Members  []ArticleID // original first, then by publication time
}

// A Story is a set of articles, copies or not, about one event.
type Story struct {
	ID      string
	Title   string
	Members []ArticleID
	First   time.Time // earliest dated member, zero if none is dated
	Last    time.Time
}

// Add appends a to the story's members: the first title seen becomes the
// story's, and the time span grows to cover a's publication.
func (s *Story) Add(a *Article) {
	s.Members = append(s.Members, a.ID)
	if s.Title == "" {
		s.Title = a.Title
	}
	if !a.Published.IsZero() {
		if s.First.IsZero() || a.Published.Before(s.First) {
			s.First = a.Published
		}
		if a.Published.After(s.Last) {
			s.Last = a.Published
		}
	}
}

// Params are the fingerprint parameters. Fingerprints and stored signatures
// are comparable only when their Params are equal.
type Params struct {
	Shingle int    // words per shingle
	Bands   int    // LSH bands
	Rows    int    // rows (signature slots) per band
	Seed    uint64 // hash seed; fixed so signatures can be persisted
	// Analyzer names the text analysis chain that made the tokens
	// (textnorm.Analyzer); a store made with another chain is refused.
	Analyzer string
	// Gram is the characters per token of scripts written without spaces
	// (Han, Kana, Hangul, Thai…): their text is tokenized as overlapping
	// character n-grams.
	Gram int
}

// NumHash returns the signature length.
func (p Params) NumHash() int { return p.Bands * p.Rows }

// DefaultParams are the parameters newsdedup uses unless told otherwise.
// 64 bands of 2 rows catch pairs at Jaccard 0.3 with probability 0.998 and
// at 0.2 with 0.93; see package lsh for the derivation. With Gram 1 a
// shingle of unspaced text is five characters, about three Chinese words;
// on generated Chinese copies (see README, "Languages") Gram 1, 2 and 3 give
// family F1 0.996, 0.996 and 0.991 (0.996, 0.993 and 0.985 before the
// rule for reworded copies took its final form).
var DefaultParams = Params{Shingle: 5, Bands: 64, Rows: 2, Seed: 0x6e65777364656475, Analyzer: "script-ngrams/1", Gram: 1}

// Error codes a user sees.
const (
	EINVALID  = "invalid"
	ENOTFOUND = "not_found"
	ECONFLICT = "conflict" // the ID is held by another article
	EINTERNAL = "internal"
)

// Error is an error a user should see, with a code callers branch on.
type Error struct {
	Code    string
	Message string
}

func (e *Error) Error() string { return e.Message }

// Errorf returns an *Error with code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ConflictError is the ECONFLICT error of an id that where (an input, or
// the store) already gives to another text.
func ConflictError(id ArticleID, where string) error {
	return Errorf(ECONFLICT, "id %s is already given to another text (%s): give each text its own id (a new text at a known url is stored as a version of the earlier one)", id, where)
}

// ErrorCode returns the code of err if it is or wraps an *Error, EINTERNAL
// for other non-nil errors and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Code
	}
	return EINTERNAL
}

// ErrParamsMismatch is returned when stored fingerprints were made with other Params.
var ErrParamsMismatch = errors.New("fingerprint params differ from store")

// ErrUnavailable is wrapped by the errors of a store or index that cannot
// be reached (a server down, restarting or cut off): trying again later may
// succeed, and the API answers 503.
var ErrUnavailable = errors.New("service unavailable")

// IDScheme is the version of the article IDs a store holds (see
// ingest.NewID). Scheme 2 hashes an article's URL and content; scheme 1
// hashed the URL alone. Change it with the derivation of IDs: stores
// refuse to open with another scheme, since every article would otherwise
// be stored a second time.
const IDScheme = 2

// ErrIDScheme is wrapped by the error of opening a store whose article IDs
// were made otherwise than IDScheme says.
var ErrIDScheme = errors.New("store of another ID scheme")

// Limits on what an article may hold, so that every stored article can be
// stored, addressed and shown.
const (
	MaxIDLen     = 256     // bytes of an ArticleID
	MaxTitleLen  = 4 << 10 // bytes of a title
	MaxURLLen    = 8 << 10 // bytes of a URL
	MaxSourceLen = 512     // bytes of a source name
	MaxBodyLen   = 8 << 20 // bytes of a body, paragraphs joined
)

// CheckID returns an EINVALID error unless id can be stored and addressed
// as one segment of a URL path: 1 to MaxIDLen bytes of valid UTF-8, no
// space, control or format character (a bidirectional override would show
// another ID than it is), none of / \ ? # %, and not "." or "..".
func CheckID(id ArticleID) error {
	switch {
	case id == "":
		return Errorf(EINVALID, "id required")
	case len(id) > MaxIDLen:
		return Errorf(EINVALID, "id of %d bytes: at most %d", len(id), MaxIDLen)
	case id == "." || id == "..":
		return Errorf(EINVALID, "id %q cannot be addressed", id)
	case !utf8.ValidString(string(id)):
		return Errorf(EINVALID, "id is not valid UTF-8")
	}
	for _, r := range string(id) {
		if unicode.IsSpace(r) || unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || strings.ContainsRune(`/\?#%`, r) || r == utf8.RuneError {
			return Errorf(EINVALID, "id %q: no spaces, control or format characters (such as a right-to-left override) or any of / \\ ? # %%", id)
		}
	}
	return nil
}

// CutTitle returns title cut to MaxTitleLen bytes at a character
// boundary. Extractors apply it to the titles they find (an HTML <title>,
// a feed item's, a text's first line): a page is kept whatever its title's
// length, while a title given explicitly (a JSON record, the API) over the
// limit is refused by Check.
func CutTitle(title string) string {
	if len(title) <= MaxTitleLen {
		return title
	}
	cut := MaxTitleLen
	for cut > 0 && !utf8.RuneStart(title[cut]) {
		cut--
	}
	return strings.TrimSpace(title[:cut])
}

// Check returns an EINVALID error naming the first field of a that is over
// its limit or not valid UTF-8, or whose ID fails CheckID.
func (a *Article) Check() error {
	if err := CheckID(a.ID); err != nil {
		return err
	}
	n := 0
	for _, p := range a.Body {
		n += len(p)
		if !utf8.ValidString(p) {
			return Errorf(EINVALID, "article %s: body is not valid UTF-8", a.ID)
		}
		if strings.IndexByte(p, 0) >= 0 {
			return Errorf(EINVALID, "article %s: body holds a NUL character", a.ID)
		}
	}
	for _, f := range []struct {
		name string
		v    string
		max  int
	}{{"title", a.Title, MaxTitleLen}, {"url", a.URL, MaxURLLen}, {"source", a.Source, MaxSourceLen}, {"lang", a.Lang, 64}, {"input", a.Input, 2 * MaxURLLen}} {
		if len(f.v) > f.max {
			return Errorf(EINVALID, "article %s: %s of %d bytes: at most %d", a.ID, f.name, len(f.v), f.max)
		}
		if !utf8.ValidString(f.v) {
			return Errorf(EINVALID, "article %s: %s is not valid UTF-8", a.ID, f.name)
		}
		// Text holds no NUL (PostgreSQL's text refuses it).
		if strings.IndexByte(f.v, 0) >= 0 {
			return Errorf(EINVALID, "article %s: %s holds a NUL character", a.ID, f.name)
		}
	}
	if n > MaxBodyLen {
		return Errorf(EINVALID, "article %s: body of %d bytes: at most %d", a.ID, n, MaxBodyLen)
	}
	if len(a.Credits) > 64 {
		return Errorf(EINVALID, "article %s: %d credits: at most 64", a.ID, len(a.Credits))
	}
	for _, c := range a.Credits {
		if len(c) > MaxSourceLen {
			return Errorf(EINVALID, "article %s: credit of %d bytes: at most %d", a.ID, len(c), MaxSourceLen)
		}
		if !utf8.ValidString(c) || strings.IndexByte(c, 0) >= 0 {
			return Errorf(EINVALID, "article %s: a credit is not valid text", a.ID)
		}
	}
	if y := a.Published.Year(); !a.Published.IsZero() && (y < 1 || y > 9999) {
		return Errorf(EINVALID, "article %s: published year %d out of range", a.ID, y)
	}
	return nil
}
