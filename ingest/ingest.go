// Package ingest reads inputs (files and directories) into articles,
// reporting each bad input and going on with the rest.
package ingest

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/zeebo/xxh3"

	"newsdedup"
	"newsdedup/extract"
	"newsdedup/feed"
	"newsdedup/fetch"
	"newsdedup/textnorm"
	"newsdedup/warc"
)

// textExts are the extensions read from a directory as plain-text articles,
// htmlExts those read as HTML pages. A file named explicitly is read
// whatever its extension: as HTML when it starts like HTML, else as text.
var (
	textExts  = map[string]bool{".txt": true, ".text": true, "": true}
	htmlExts  = map[string]bool{".html": true, ".htm": true, ".xhtml": true}
	jsonlExts = map[string]bool{".jsonl": true, ".ndjson": true}
	feedExts  = map[string]bool{".rss": true, ".atom": true, ".xml": true}
)

// LooksLikeFeed reports whether data starts like an RSS or Atom feed.
func LooksLikeFeed(data []byte) bool {
	head := strings.ToLower(string(data[:min(len(data), 1024)]))
	return strings.Contains(head, "<rss") || strings.Contains(head, "<feed") || strings.Contains(head, "<rdf:rdf")
}

func isWARC(path string) bool {
	p := strings.ToLower(path)
	return strings.HasSuffix(p, ".warc") || strings.HasSuffix(p, ".warc.gz")
}

// Batch is what Read found.
type Batch struct {
	Articles []*newsdedup.Article
	Errors   []error // one per bad input, each naming it
	Skipped  []string

	progress func(articles, errors int)
}

// Options tune ReadWith.
type Options struct {
	Stdin io.Reader // read for the path "-"; nil means no input
	// Progress, if set, is called after each article or error read.
	Progress func(articles, errors int)
}

func (b *Batch) tick() {
	if b.progress != nil {
		b.progress(len(b.Articles), len(b.Errors))
	}
}

// Read reads every path: a file is one article, a directory is walked
// recursively in lexical order for files with a text extension (hidden files
// and folders are skipped). A bad input adds an error to the batch and the
// rest is read.
func Read(paths []string) *Batch { return ReadFrom(paths, os.Stdin) }

// ReadFrom is Read with "-" read from stdin: JSON lines when it starts with
// "{", else one document (HTML or text).
func ReadFrom(paths []string, stdin io.Reader) *Batch {
	return ReadWith(paths, Options{Stdin: stdin})
}

// ReadWith is Read with options.
func ReadWith(paths []string, o Options) *Batch {
	stdin := o.Stdin
	if stdin == nil {
		stdin = strings.NewReader("")
	}
	b := &Batch{progress: o.Progress}
	defer b.tick()
	for _, p := range paths {
		if p == "-" {
			b.readStdin(stdin)
			continue
		}
		if strings.Contains(p, "://") {
			b.readURL(p)
			continue
		}
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
			if ext := strings.ToLower(filepath.Ext(path)); !textExts[ext] && !htmlExts[ext] && !jsonlExts[ext] && !feedExts[ext] && !isWARC(path) {
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
	return b
}

func (b *Batch) readFile(path string, size int64) {
	defer b.tick()
	if isWARC(path) {
		f, err := os.Open(path)
		if err != nil {
			b.Errors = append(b.Errors, err)
			return
		}
		defer f.Close()
		b.readWARC(f, path)
		return
	}
	if jsonlExts[strings.ToLower(filepath.Ext(path))] {
		f, err := os.Open(path)
		if err != nil {
			b.Errors = append(b.Errors, err)
			return
		}
		defer f.Close()
		b.readJSONL(f, path)
		return
	}
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
	b.readDocument(path, data, html)
}

// ReadNamed reads one input that is not a file on disk, such as an upload:
// name decides its kind as a file's name would (.warc/.warc.gz, .jsonl,
// .html, else sniffed as WARC, feed, HTML or text) and names it in errors.
func ReadNamed(name string, r io.Reader) *Batch {
	b := &Batch{}
	br := bufio.NewReader(r)
	head, _ := br.Peek(8)
	switch {
	case isWARC(name) || bytes.HasPrefix(head, []byte("WARC/")) || bytes.HasPrefix(head, []byte{0x1f, 0x8b}):
		b.readWARC(br, name)
	case jsonlExts[strings.ToLower(filepath.Ext(name))]:
		b.readJSONL(br, name)
	default:
		html := htmlExts[strings.ToLower(filepath.Ext(name))]
		data, err := io.ReadAll(io.LimitReader(br, extract.MaxHTMLBytes+1))
		if err != nil {
			b.Errors = append(b.Errors, fmt.Errorf("%s: %w", name, err))
			return b
		}
		limit := extract.MaxBytes
		if html || LooksLikeHTML(data) {
			limit = extract.MaxHTMLBytes
		}
		if len(data) > limit {
			b.Errors = append(b.Errors, fmt.Errorf("%s: over the %d MiB limit: %w", name, limit>>20, extract.ErrTooLarge))
			return b
		}
		b.readDocument(name, data, html)
	}
	return b
}

// readDocument extracts one article from data, as HTML or as text.
func (b *Batch) readDocument(path string, data []byte, html bool) {
	defer b.tick()
	var a *newsdedup.Article
	var err error
	if LooksLikeFeed(data) {
		b.readFeed(bytes.NewReader(data), path)
		return
	}
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

func (b *Batch) readStdin(r io.Reader) {
	br := bufio.NewReader(r)
	head, _ := br.Peek(512)
	if t := bytes.TrimSpace(head); len(t) > 0 && t[0] == '{' {
		b.readJSONL(br, "stdin")
		return
	}
	data, err := io.ReadAll(io.LimitReader(br, extract.MaxHTMLBytes+1))
	if err != nil {
		b.Errors = append(b.Errors, fmt.Errorf("stdin: %w", err))
		return
	}
	b.readDocument("stdin", data, false)
}

// readURL fetches a page or a feed.
func (b *Batch) readURL(u string) {
	defer b.tick()
	resp, err := fetch.Get(context.Background(), u, fetch.Options{})
	if err != nil {
		b.Errors = append(b.Errors, err)
		return
	}
	ct := strings.ToLower(resp.ContentType)
	if strings.Contains(ct, "rss") || strings.Contains(ct, "atom") || LooksLikeFeed(resp.Body) {
		b.readFeed(bytes.NewReader(resp.Body), u)
		return
	}
	var a *newsdedup.Article
	if strings.Contains(ct, "html") || LooksLikeHTML(resp.Body) {
		a, err = extract.HTML(u, resp.Body, resp.URL)
	} else {
		a, err = extract.Text(u, resp.Body)
	}
	if err != nil {
		b.Errors = append(b.Errors, err)
		return
	}
	if a.URL == "" {
		a.URL = resp.URL
	}
	a.Fetched = resp.Fetched
	a.Digest = xxh3.Hash(resp.Body)
	a.ID = NewID(a)
	b.Articles = append(b.Articles, a)
}

// readFeed reads the items of a feed.
func (b *Batch) readFeed(r io.Reader, name string) {
	arts, errs, err := feed.Items(r, name)
	if err != nil {
		b.Errors = append(b.Errors, err)
		return
	}
	b.Errors = append(b.Errors, errs...)
	for _, a := range arts {
		a.ID = NewID(a)
		b.Articles = append(b.Articles, a)
	}
}

// readWARC reads the HTML pages of the response records of a WARC file;
// other records are skipped, and a damaged record is an error naming the
// file and the record.
func (b *Batch) readWARC(r io.Reader, path string) {
	wr, err := warc.NewReader(r)
	if err != nil {
		b.Errors = append(b.Errors, fmt.Errorf("%s: %w", path, err))
		return
	}
	for {
		rec, err := wr.Next()
		if err == io.EOF {
			return
		}
		if err != nil {
			b.Errors = append(b.Errors, fmt.Errorf("%s: %w", path, err))
			continue
		}
		page, ok, err := warc.ResponsePage(rec)
		if err != nil {
			b.Errors = append(b.Errors, fmt.Errorf("%s: record %d: %w", path, rec.Number, err))
			continue
		}
		if !ok {
			continue
		}
		b.tick()
		name := path + "#" + page.URL
		a, err := extract.HTML(name, page.Body, page.URL)
		if err != nil {
			b.Errors = append(b.Errors, err)
			continue
		}
		a.Fetched = page.Captured
		if a.URL == "" {
			a.URL = page.URL
		}
		a.Digest = xxh3.Hash(page.Body)
		a.ID = NewID(a)
		b.Articles = append(b.Articles, a)
	}
}

// readJSONL reads generic JSON-lines records; a bad line is an error naming
// the input and line, and the lines after it are read.
func (b *Batch) readJSONL(r io.Reader, name string) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), MaxLine)
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		b.tick()
		where := fmt.Sprintf("%s:%d", name, n)
		var rec Record
		if err := json.Unmarshal(line, &rec); err != nil {
			b.Errors = append(b.Errors, fmt.Errorf("%s: %w", where, err))
			continue
		}
		a, err := rec.Article(where)
		if err != nil {
			b.Errors = append(b.Errors, err)
			continue
		}
		b.Articles = append(b.Articles, a)
	}
	if err := sc.Err(); err != nil {
		b.Errors = append(b.Errors, fmt.Errorf("%s: %w", name, err))
	}
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
