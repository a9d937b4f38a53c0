// Package feed turns RSS, Atom and JSON feeds into articles: each item's
// link, title, date and content.
package feed

import (
	"fmt"
	"io"
	"net/url"
	"strings"

	"github.com/mmcdole/gofeed"

	"github.com/newsdedup/newsdedup"
	"github.com/newsdedup/newsdedup/extract"
)

// MaxBytes is the largest feed Items reads.
const MaxBytes = 16 << 20

// Items parses the feed in r and returns one article per item with text.
// name names the feed in errors and in each article's Input ("name#link").
// Items without any text are skipped; an unparsable feed is an error.
// Entities are never resolved from outside the document (encoding/xml does
// not), so a feed cannot make the parser read files or URLs.
func Items(r io.Reader, name string) ([]*newsdedup.Article, []error, error) {
	fp := gofeed.NewParser()
	f, err := fp.Parse(io.LimitReader(r, MaxBytes))
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", name, newsdedup.Errorf(newsdedup.EINVALID, "not a feed: %v", err))
	}
	var arts []*newsdedup.Article
	var errs []error
	for i, it := range f.Items {
		where := fmt.Sprintf("%s#%d", name, i+1)
		if it.Link != "" {
			where = name + "#" + it.Link
		}
		content := it.Content
		if len(content) < len(it.Description) {
			content = it.Description
		}
		if strings.TrimSpace(content) == "" {
			errs = append(errs, fmt.Errorf("%s: %w", where, newsdedup.Errorf(newsdedup.EINVALID, "feed item with no text (title %q): fetch its link to read it", strings.TrimSpace(it.Title))))
			continue
		}
		a, err := extract.Fragment(where, content)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		a.Title = newsdedup.CutTitle(strings.TrimSpace(it.Title))
		a.URL = it.Link
		switch {
		case it.PublishedParsed != nil:
			a.Published = *it.PublishedParsed
		case it.UpdatedParsed != nil:
			a.Published = *it.UpdatedParsed
		}
		a.Source = strings.TrimSpace(f.Title)
		if u, err := url.Parse(it.Link); a.Source == "" && err == nil {
			a.Source = strings.TrimPrefix(u.Hostname(), "www.")
		}
		if f.Language != "" {
			a.Lang = f.Language
		} else if a.Lang == "" {
			a.Lang = extract.DetectLang(a.Text())
		}
		arts = append(arts, a)
	}
	return arts, errs, nil
}
