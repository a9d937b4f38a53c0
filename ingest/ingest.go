// Package ingest reads inputs (files and directories) into articles,
// reporting each bad input and going on with the rest.
package ingest

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/zeebo/xxh3"

	"newsdedup"
	"newsdedup/extract"
	"newsdedup/textnorm"
)

// textExts are the extensions read from a directory as plain-text articles,
// htmlExts those read as HTML pages. A file named explicitly is read
// whatever its extension: as HTML when it starts like HTML, else as text.
var (
	textExts = map[string]bool{".txt": true, ".text": true, "": true}
	htmlExts = map[string]bool{".html": true, ".htm": true, ".xhtml": true}
)

// Batch is what Read found.
type Batch struct {
	Articles []*newsdedup.Article
	Errors   []error // one per bad input, each naming it
	Skipped  []string
}

// Read reads every path: a file is one article, a directory is walked
// recursively in lexical order for files with a text extension (hidden files
// and folders are skipped). A bad input adds an error to the batch and the
// rest is read.
func Read(paths []string) *Batch {
	b := &Batch{}
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			b.Errors = append(b.Errors, err)
			continue
		}
		if !st.IsDir() {
			b.readFile(p, st.Size())
			continue
		}
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				b.Errors = append(b.Errors, err)
				return nil
			}
			if path != p && strings.HasPrefix(d.Name(), ".") {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if d.IsDir() || !d.Type().IsRegular() {
				return nil
			}
			if ext := strings.ToLower(filepath.Ext(path)); !textExts[ext] && !htmlExts[ext] {
				b.Skipped = append(b.Skipped, path)
				return nil
			}
			info, err := d.Info()
			if err != nil {
				b.Errors = append(b.Errors, err)
				return nil
			}
			b.readFile(path, info.Size())
			return nil
		})
		if err != nil {
			b.Errors = append(b.Errors, err)
		}
	}
	slices.SortStableFunc(b.Articles, func(x, y *newsdedup.Article) int { return strings.Compare(x.Input, y.Input) })
	return b
}

func (b *Batch) readFile(path string, size int64) {
	html := htmlExts[strings.ToLower(filepath.Ext(path))]
	limit := int64(extract.MaxBytes)
	if html {
		limit = extract.MaxHTMLBytes
	}
	if size > limit {
		b.Errors = append(b.Errors, fmt.Errorf("%s: %d bytes, over the %d MiB limit: %w", path, size, limit>>20, extract.ErrTooLarge))
		return
	}
	data, err := os.ReadFile(path)
	if err != nil {
		b.Errors = append(b.Errors, err)
		return
	}
	var a *newsdedup.Article
	if html || LooksLikeHTML(data) {
		a, err = extract.HTML(path, data, "")
	} else {
		a, err = extract.Text(path, data)
	}
	if err != nil {
		b.Errors = append(b.Errors, err)
		return
	}
	a.Digest = xxh3.Hash(data)
	a.ID = NewID(a)
	b.Articles = append(b.Articles, a)
}

// NewID returns the stable ID of a: a hash of its URL, or when it has none,
// of its input name and normalized body.
func NewID(a *newsdedup.Article) newsdedup.ArticleID {
	var h uint64
	if a.URL != "" {
		h = xxh3.HashString(a.URL)
	} else {
		h = xxh3.HashString(a.Input + "\x00" + textnorm.Fold(a.Text()))
	}
	return newsdedup.ArticleID(fmt.Sprintf("%016x", h))
}

// LooksLikeHTML reports whether data starts like an HTML document.
func LooksLikeHTML(data []byte) bool {
	head := strings.ToLower(strings.TrimSpace(string(data[:min(len(data), 512)])))
	head = strings.TrimPrefix(head, "\ufeff")
	return strings.HasPrefix(head, "<!doctype html") || strings.HasPrefix(head, "<html") ||
		strings.HasPrefix(head, "<?xml") && strings.Contains(head, "<html")
}
