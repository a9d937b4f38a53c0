// Package ingest reads inputs (files and directories) into articles,
// reporting each bad input and going on with the rest.
package ingest

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/zeebo/xxh3"

	"github.com/newsdedup/newsdedup"
	"github.com/newsdedup/newsdedup/extract"
	"github.com/newsdedup/newsdedup/feed"
	"github.com/newsdedup/newsdedup/fetch"
	"github.com/newsdedup/newsdedup/internal/par"
	"github.com/newsdedup/newsdedup/warc"
)

// textExts are the extensions read from a directory as plain-text articles,
// htmlExts those read as HTML pages, and so on; each may be followed by .gz
// (page.html.gz). A file named explicitly is read whatever its extension:
// as HTML when it starts like HTML, else as text. A file that starts like
// gzip is decompressed whatever its name.
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

// A kind is what an input's name says it holds.
type kind int

const (
	unknownKind kind = iota
	textKind
	htmlKind
	jsonlKind
	feedKind
	warcKind
)

// kindOf returns the kind name's extension says, looking through a .gz
// extension; named says whether the extension was one (a name without
// one, such as "notes", is text too, but "notes.gz" is not named).
func kindOf(name string) (k kind, named bool) {
	p := strings.ToLower(name)
	if strings.HasSuffix(p, ".warc") || strings.HasSuffix(p, ".warc.gz") {
		return warcKind, true
	}
	gz := strings.HasSuffix(p, ".gz")
	ext := filepath.Ext(strings.TrimSuffix(p, ".gz"))
	switch {
	case htmlExts[ext]:
		return htmlKind, true
	case jsonlExts[ext]:
		return jsonlKind, true
	case feedExts[ext]:
		return feedKind, true
	case textExts[ext]:
		return textKind, ext != "" || !gz
	}
	return unknownKind, false
}

// gzipMagic starts every gzip stream.
var gzipMagic = []byte{0x1f, 0x8b}

// gunzip returns a reader of r decompressed if r starts like gzip, and
// whether it did; a multi-member stream is read to its end.
func gunzip(r *bufio.Reader) (*bufio.Reader, bool, error) {
	if head, _ := r.Peek(2); !bytes.Equal(head, gzipMagic) {
		return r, false, nil
	}
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, true, fmt.Errorf("gzip: %w", err)
	}
	return bufio.NewReader(zr), true, nil
}

// Batch is what Read found.
type Batch struct {
	Articles []*newsdedup.Article
	Errors   []error // one per bad input, each naming it
	Skipped  []string
	// Duplicates name the inputs that held an article read before in the
	// batch (same ID, same text): each is read once, and said so.
	Duplicates []string

	// Interrupted says that Options.Context stopped the reading: inputs
	// after the last one read were not read.
	Interrupted bool

	// Emitted counts the articles handed to Options.Emit.
	Emitted int

	progress func(articles, errors int)
	byID     map[newsdedup.ArticleID]int
	emit     func(*newsdedup.Article)
	seen     map[newsdedup.ArticleID]firstRead
	ctx      context.Context
}

// Options tune ReadWith.
type Options struct {
	Stdin io.Reader // read for the path "-"; nil means no input
	// Context, if set, stops the reading when it is done: between inputs,
	// JSON lines and WARC records. The batch is then Interrupted.
	Context context.Context
	// Progress, if set, is called after each article or error read.
	Progress func(articles, errors int)
	// Emit, if set, is handed each article as it is read, in the order
	// Batch.Articles would hold it, and Batch.Articles stays empty: a
	// caller that places articles as they come holds no more of a large
	// input than it keeps itself. An article read again under its ID is a
	// duplicate or a conflict as in Batch.Articles, told by the hash of its
	// folded text. Emit is called on ReadWith's goroutine.
	Emit func(*newsdedup.Article)
}

// stopped reports whether the batch's context is done, and marks the
// batch Interrupted if so.
func (b *Batch) stopped() bool {
	if b.ctx != nil && b.ctx.Err() != nil {
		b.Interrupted = true
	}
	return b.Interrupted
}

func (b *Batch) tick() {
	if b.progress != nil {
		b.progress(len(b.Articles)+b.Emitted, len(b.Errors))
	}
}

// Read reads every path: a file is one article, a directory is walked
// recursively in lexical order for files with a known extension (text, HTML,
// JSON lines, feed or WARC, each maybe followed by .gz; hidden files and
// folders are skipped). A bad input adds an error to the batch and the
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
	b := &Batch{progress: o.Progress, ctx: o.Context, emit: o.Emit}
	defer b.tick()
	var pending []string // documents of a folder, read fileChunk at a time
	for _, p := range paths {
		if b.stopped() {
			break
		}
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
			b.readFile(p)
			continue
		}
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if b.stopped() {
				return filepath.SkipAll
			}
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
			if d.IsDir() {
				return nil
			}
			if !d.Type().IsRegular() {
				// A link to a file is read as the file; a link to a
				// folder (the walk does not follow it) or anything else
				// is named among the files ignored.
				if st, err := os.Stat(path); err != nil || !st.Mode().IsRegular() {
					b.Skipped = append(b.Skipped, path)
					return nil
				}
			}
			k, named := kindOf(path)
			if !named {
				b.Skipped = append(b.Skipped, path)
				return nil
			}
			if k == jsonlKind || k == warcKind {
				// Read record by record (JSON lines in parallel already).
				b.readFiles(pending)
				pending = pending[:0]
				b.readFile(path)
				return nil
			}
			if pending = append(pending, path); len(pending) == fileChunk {
				b.readFiles(pending)
				pending = pending[:0]
			}
			return nil
		})
		if !b.stopped() {
			b.readFiles(pending)
		}
		pending = pending[:0]
		if err != nil {
			b.Errors = append(b.Errors, err)
		}
	}
	return b
}

// fileChunk is how many documents of a folder are read and extracted in
// parallel.
const fileChunk = 64

// readFiles reads paths as readFile does, on GOMAXPROCS goroutines, each
// into a batch of its own; their articles, errors and duplicates are then
// added in the order of paths.
func (b *Batch) readFiles(paths []string) {
	subs := make([]Batch, len(paths))
	par.For(0, len(paths), 1, func(k int) {
		subs[k].ctx = b.ctx
		subs[k].readFile(paths[k])
	})
	for k := range subs {
		sub := &subs[k]
		b.Errors = append(b.Errors, sub.Errors...)
		b.Skipped = append(b.Skipped, sub.Skipped...)
		b.Duplicates = append(b.Duplicates, sub.Duplicates...)
		for _, a := range sub.Articles {
			b.add(a)
		}
		b.Interrupted = b.Interrupted || sub.Interrupted
		b.tick()
	}
}

// readFile reads a regular file: a WARC file or JSON lines record by
// record, anything else as one document; gzip-compressed or not.
func (b *Batch) readFile(path string) {
	defer b.tick()
	f, st, err := openRegular(path)
	if err != nil {
		b.Errors = append(b.Errors, err)
		return
	}
	defer f.Close()
	k, _ := kindOf(path)
	if k == warcKind {
		b.readWARC(f, path) // the WARC reader decompresses itself
		return
	}
	r, compressed, err := gunzip(bufio.NewReader(f))
	if err != nil {
		b.Errors = append(b.Errors, fmt.Errorf("%s: %w", path, err))
		return
	}
	size := st.Size()
	if compressed {
		size = -1
	}
	b.readStream(path, r, k, size, compressed)
}

// readStream reads one input named name, of kind k, from r (decompressed
// already if compressed): record by record if it is a WARC file (by name
// or by its first bytes) or JSON lines, else as one document. size, if not
// -1, is the input's size as reported beforehand: a document known to be
// too large is refused unread (readCapped still caps what is read, as the
// size can change).
func (b *Batch) readStream(name string, r *bufio.Reader, k kind, size int64, compressed bool) {
	head, _ := r.Peek(5)
	switch {
	case k == warcKind || bytes.Equal(head, []byte("WARC/")):
		b.readWARC(r, name)
	case k == jsonlKind:
		b.readJSONL(r, name)
	default:
		html := k == htmlKind
		limit := int64(extract.MaxBytes)
		if html {
			limit = extract.MaxHTMLBytes
		}
		if size > limit {
			b.Errors = append(b.Errors, fmt.Errorf("%s: %d bytes, over the %d MiB limit: %w", name, size, limit>>20, extract.ErrTooLarge))
			return
		}
		b.readCapped(name, r, html, compressed)
	}
}

// openRegular opens path if it is a regular file (or a symbolic link to
// one). Anything else is refused before it is opened: opening a FIFO waits
// for a writer, and a device such as /dev/zero never ends. The mode is
// checked again on the open file, in case the path changed in between;
// the FileInfo returned is the open file's.
func openRegular(path string) (*os.File, fs.FileInfo, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, nil, notRegular(path, st.Mode())
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	if st, err = f.Stat(); err != nil || !st.Mode().IsRegular() {
		f.Close()
		if err == nil {
			err = notRegular(path, st.Mode())
		}
		return nil, nil, err
	}
	return f, st, nil
}

// notRegular is the error for an input path that is not a regular file.
func notRegular(path string, m fs.FileMode) error {
	kind := "a special file"
	switch {
	case m&fs.ModeDevice != 0:
		kind = "a device"
	case m&fs.ModeNamedPipe != 0:
		kind = "a FIFO"
	case m&fs.ModeSocket != 0:
		kind = "a socket"
	case m.IsDir():
		kind = "a directory"
	}
	return fmt.Errorf("%s: not a regular file (%s): newsdedup reads files, directories, URLs and - for stdin", path, kind)
}

// readCapped reads r as one document, named name. The document is capped
// by the bytes read (decompressed, if compressed), not by a size reported
// beforehand (a file can grow as it is read, and a small compressed file
// can hold gigabytes): up to extract.MaxHTMLBytes for HTML, named or
// sniffed, else extract.MaxBytes; a longer one is an error wrapping
// extract.ErrTooLarge.
func (b *Batch) readCapped(name string, r io.Reader, html, compressed bool) {
	data, err := io.ReadAll(io.LimitReader(r, extract.MaxHTMLBytes+1))
	if err != nil {
		if compressed {
			err = fmt.Errorf("gzip: %w", err)
		}
		b.Errors = append(b.Errors, fmt.Errorf("%s: %w", name, err))
		return
	}
	limit := extract.MaxBytes
	if html || LooksLikeHTML(data) {
		limit = extract.MaxHTMLBytes
	}
	if len(data) > limit {
		how := ""
		if compressed {
			how = " once decompressed"
		}
		b.Errors = append(b.Errors, fmt.Errorf("%s: over the %d MiB limit%s: %w", name, limit>>20, how, extract.ErrTooLarge))
		return
	}
	b.readDocument(name, data, html)
}

// ReadNamed reads one input that is not a file on disk, such as an upload:
// name decides its kind as a file's name would (.warc/.warc.gz, .jsonl,
// .html, each maybe .gz, else sniffed as WARC, feed, HTML or text) and
// names it in errors. Input that starts like gzip is decompressed.
func ReadNamed(name string, r io.Reader) *Batch {
	b := &Batch{}
	k, _ := kindOf(name)
	if k == warcKind {
		b.readWARC(r, name)
		return b
	}
	br, compressed, err := gunzip(bufio.NewReader(r))
	if err != nil {
		b.Errors = append(b.Errors, fmt.Errorf("%s: %w", name, err))
		return b
	}
	b.readStream(name, br, k, -1, compressed)
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
	b.add(a)
}

// readStdin reads stdin: JSON lines if it starts with "{", a WARC file if
// it starts like one, else one document; gzip-compressed or not.
func (b *Batch) readStdin(r io.Reader) {
	br, compressed, err := gunzip(bufio.NewReader(r))
	if err != nil {
		b.Errors = append(b.Errors, fmt.Errorf("stdin: %w", err))
		return
	}
	k := unknownKind
	head, _ := br.Peek(512)
	if t := bytes.TrimSpace(head); len(t) > 0 && t[0] == '{' {
		k = jsonlKind
	}
	b.readStream("stdin", br, k, -1, compressed)
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
	b.add(a)
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
		b.add(a)
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
	records := 0
	for {
		if b.stopped() {
			return
		}
		rec, err := wr.Next()
		if err == io.EOF {
			if records == 0 {
				b.Errors = append(b.Errors, fmt.Errorf("%s: %w", path, newsdedup.Errorf(newsdedup.EINVALID, "no WARC record: not a WARC file")))
			}
			return
		}
		records++
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
		b.add(a)
	}
}

// readJSONL reads generic JSON-lines records; a bad line is an error naming
// the input and line, and the lines after it are read. Lines are parsed and
// extracted in parallel, jsonlChunk at a time, and added in their order.
func (b *Batch) readJSONL(r io.Reader, name string) {
	records := 0
	var chunk []jsonLine
	// While a chunk is parsed and added, the next is read.
	chunks := make(chan []jsonLine)
	added := make(chan struct{})
	go func() {
		for c := range chunks {
			b.addLines(c)
		}
		close(added)
	}()
	err := EachLine(r, MaxLine, func(n int, line []byte, tooLong bool) bool {
		if n%64 == 0 && b.stopped() {
			return false
		}
		if tooLong {
			records++
			chunk = append(chunk, jsonLine{where: fmt.Sprintf("%s:%d", name, n), err: fmt.Errorf("%s:%d: %w", name, n, errLongLine)})
			return true
		}
		if n == 1 {
			line = bytes.TrimPrefix(line, []byte("\ufeff")) // a byte-order mark
		}
		if line = bytes.TrimSpace(line); len(line) == 0 {
			return true
		}
		records++
		chunk = append(chunk, jsonLine{where: fmt.Sprintf("%s:%d", name, n), line: bytes.Clone(line)})
		if len(chunk) == jsonlChunk {
			chunks <- chunk
			chunk = make([]jsonLine, 0, jsonlChunk)
		}
		return true
	})
	chunks <- chunk
	close(chunks)
	<-added
	if b.Interrupted {
		return
	}
	if err != nil {
		b.Errors = append(b.Errors, fmt.Errorf("%s: %w", name, err))
	} else if records == 0 {
		b.Errors = append(b.Errors, fmt.Errorf("%s: %w", name, extract.ErrEmpty))
	}
}

// jsonlChunk is how many JSON lines are read before they are parsed, in
// parallel, and added.
const jsonlChunk = 1024

// A jsonLine is one record of a JSON-lines input, named where, and what it
// turned into.
type jsonLine struct {
	where string
	line  []byte
	a     *newsdedup.Article
	err   error
}

// addLines parses and extracts lines on GOMAXPROCS goroutines, then adds
// their articles, and errors, in the order of lines.
func (b *Batch) addLines(lines []jsonLine) {
	par.For(0, len(lines), 1, func(k int) {
		l := &lines[k]
		if l.err != nil {
			return
		}
		var rec Record
		if err := json.Unmarshal(l.line, &rec); err != nil {
			l.err = fmt.Errorf("%s: %w", l.where, jsonError(err))
			return
		}
		l.a, l.err = rec.Article(l.where)
	})
	for k := range lines {
		b.tick()
		if err := lines[k].err; err != nil {
			b.Errors = append(b.Errors, err)
			continue
		}
		b.add(lines[k].a)
		lines[k] = jsonLine{}
	}
}

// LooksLikeHTML reports whether data starts like an HTML document.
func LooksLikeHTML(data []byte) bool {
	head := strings.ToLower(strings.TrimSpace(string(data[:min(len(data), 512)])))
	head = strings.TrimPrefix(head, "\ufeff")
	return strings.HasPrefix(head, "<!doctype html") || strings.HasPrefix(head, "<html") ||
		strings.HasPrefix(head, "<?xml") && strings.Contains(head, "<html")
}
