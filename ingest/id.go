package ingest

import (
	"fmt"

	"github.com/zeebo/xxh3"

	"github.com/newsdedup/newsdedup"
	"github.com/newsdedup/newsdedup/textnorm"
)

// NewID returns the ID of a: a hash of its URL (or, without one, of its
// source and date) with its title and normalized body. Identity is (URL,
// content): a page captured again with a new text is a new article (a
// version of the earlier one, found through the shared URL), the same text
// read again is the same article however its input is named, and two
// outlets' verbatim copies differ by URL or source.
func NewID(a *newsdedup.Article) newsdedup.ArticleID {
	h := xxh3.New()
	if a.URL != "" {
		h.WriteString("u\x00" + a.URL + "\x00")
	} else {
		h.WriteString("s\x00" + a.Source + "\x00")
		if !a.Published.IsZero() {
			h.WriteString(a.Published.UTC().Format("2006-01-02T15:04:05Z"))
		}
		h.WriteString("\x00")
	}
	h.WriteString(textnorm.Fold(a.Title) + "\x00" + textnorm.Fold(a.Text()))
	return newsdedup.ArticleID(fmt.Sprintf("%016x", h.Sum64()))
}

// add canonicalizes a's URL (CanonicalURL; an ID derived from the URL
// follows it) and appends a to the batch unless an article with its ID was read
// before: the same text is then a duplicate, read once and named in
// Duplicates; another text under the same ID (a JSON record's id given
// twice) is an error naming both inputs, as is an article the store would
// refuse (newsdedup.Article.Check). Nothing is dropped unsaid.
func (b *Batch) add(a *newsdedup.Article) {
	if c := CanonicalURL(a.URL); c != a.URL {
		// One page under two spellings of its address is one article,
		// and its captures one lineage.
		derived := a.ID == NewID(a)
		a.URL = c
		if derived {
			a.ID = NewID(a)
		}
	}
	// What the store would refuse is refused here, for run as for ingest.
	if err := a.Check(); err != nil {
		b.Errors = append(b.Errors, fmt.Errorf("%s: %w", a.Input, err))
		return
	}
	if b.emit != nil {
		b.addEmitted(a)
		return
	}
	if b.byID == nil {
		b.byID = make(map[newsdedup.ArticleID]int)
	}
	k, ok := b.byID[a.ID]
	if !ok {
		b.byID[a.ID] = len(b.Articles)
		b.Articles = append(b.Articles, a)
		return
	}
	first := b.Articles[k]
	if textnorm.Fold(first.Text()) == textnorm.Fold(a.Text()) {
		b.Duplicates = append(b.Duplicates, fmt.Sprintf("%s: same article as %s (%s), read once", a.Input, first.Input, a.ID))
		return
	}
	b.Errors = append(b.Errors, fmt.Errorf("%s: %w", a.Input, newsdedup.ConflictError(a.ID, first.Input)))
}

// firstRead is what a batch that emits its articles keeps of the first
// article read under an ID: its input and the hash of its folded text.
type firstRead struct {
	input string
	text  uint64
}

// foldHash returns the hash of textnorm.Fold(a.Text()).
func foldHash(a *newsdedup.Article) uint64 {
	return xxh3.HashString(textnorm.Fold(a.Text()))
}

// addEmitted is add for a batch with Options.Emit: a is handed on, not
// kept, and a later article under its ID is told a duplicate or a conflict
// by the hash of its folded text.
func (b *Batch) addEmitted(a *newsdedup.Article) {
	if b.seen == nil {
		b.seen = make(map[newsdedup.ArticleID]firstRead)
	}
	h := foldHash(a)
	first, ok := b.seen[a.ID]
	if !ok {
		b.seen[a.ID] = firstRead{input: a.Input, text: h}
		b.Emitted++
		b.emit(a)
		return
	}
	if first.text == h {
		b.Duplicates = append(b.Duplicates, fmt.Sprintf("%s: same article as %s (%s), read once", a.Input, first.input, a.ID))
		return
	}
	b.Errors = append(b.Errors, fmt.Errorf("%s: %w", a.Input, newsdedup.ConflictError(a.ID, first.input)))
}
