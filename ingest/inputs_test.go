package ingest_test

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/newsdedup/newsdedup/extract"
	"github.com/newsdedup/newsdedup/ingest"
)

// gzipped returns data gzip-compressed.
func gzipped(tb testing.TB, data []byte) []byte {
	tb.Helper()
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if _, err := zw.Write(data); err != nil {
		tb.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// TestReadInputs: compressed inputs, text in legacy encodings and files
// in formats newsdedup does not read, through every way in (files named,
// directories walked, stdin, named readers).
func TestReadInputs(t *testing.T) {
	const para = "Dock workers at the northern grain terminal walked out on Saturday, halting exports for the third day in a row, union officials said."
	page := "<!DOCTYPE html><html><head><title>Port strike</title></head><body><article><h1>Port strike enters third day</h1><p>" + para +
		"</p><p>The port authority said it had offered talks on Monday and expected the terminal to reopen within the week.</p></article></body></html>"
	text := "Port strike enters third day\n\n" + para + "\n"
	jsonl := `{"id":"one","text":"` + para + `"}` + "\n" + `{"id":"two","text":"` + strings.Replace(para, "Saturday", "Sunday", 1) + `"}` + "\n"
	feed := `<?xml version="1.0"?><rss version="2.0"><channel><title>Example</title><item><title>Strike</title><link>https://example.com/s</link><description>&lt;p&gt;` + para + `&lt;/p&gt;</description></item></channel></rss>`
	httpResp := "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + page
	warc := fmt.Sprintf("WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: <http://a.example/1>\r\nWARC-Date: 2023-07-13T10:00:00Z\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: %d\r\n\r\n%s\r\n\r\n", len(httpResp), httpResp)
	latin1 := "Le maire annonce la fermeture\n\nLe maire a annonc\xe9 la fermeture du march\xe9 de No\xebl pour trois jours, \xe0 cause de la temp\xeate qui approche.\n"
	// Bombs: a few kilobytes that decompress past the caps.
	htmlBomb := gzipped(t, append([]byte("<!doctype html><html><body><p>"), bytes.Repeat([]byte("a"), extract.MaxHTMLBytes)...))
	textBomb := gzipped(t, bytes.Repeat([]byte("a "), extract.MaxBytes/2+1))

	dir := t.TempDir()
	files := map[string][]byte{
		"gz/page.html.gz":      gzipped(t, []byte(page)),
		"gz/notes.txt.gz":      gzipped(t, []byte(text)),
		"gz/batch.jsonl.gz":    gzipped(t, []byte(jsonl)),
		"gz/feed.xml.gz":       gzipped(t, []byte(feed)),
		"gz/saved.html":        gzipped(t, []byte(strings.Replace(page, "third day", "fourth day", 2))), // saved as the server sent it
		"gz/backup.tar.gz":     gzipped(t, []byte("not read")),
		"gz/blob.gz":           gzipped(t, []byte("not read")),
		"download":             gzipped(t, []byte(page)),
		"crawl.bin":            gzipped(t, []byte(warc)),
		"twice.html.gz":        gzipped(t, gzipped(t, []byte(page))),
		"bomb.html.gz":         htmlBomb,
		"bomb.txt.gz":          textBomb,
		"bad.html.gz":          append(gzipped(t, []byte(page))[:20], "not deflate at all"...),
		"latin1.txt":           []byte(latin1),
		"report.pdf":           []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"),
		"letter.docx":          []byte("PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00[Content_Types].xml PK word/document.xml"),
		"photo.html":           []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
		"pdf/report-scan.html": []byte("%PDF-1.4\n1 0 obj\n"),
	}
	for name, data := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	path := func(name string) string { return filepath.Join(dir, name) }
	const unsupported = ", not supported (newsdedup reads text, HTML, WARC, feeds and JSON lines)"
	for _, tc := range []struct {
		name    string
		read    func() *ingest.Batch
		bodies  []string // a word or phrase of each article's body, in order
		errs    []string // what each error starts with, after the directory
		skipped []string
	}{
		{"html.gz", func() *ingest.Batch { return ingest.Read([]string{path("gz/page.html.gz")}) }, []string{"Dock workers"}, nil, nil},
		{"txt.gz", func() *ingest.Batch { return ingest.Read([]string{path("gz/notes.txt.gz")}) }, []string{"Dock workers"}, nil, nil},
		{"jsonl.gz", func() *ingest.Batch { return ingest.Read([]string{path("gz/batch.jsonl.gz")}) }, []string{"Saturday", "Sunday"}, nil, nil},
		{"xml.gz", func() *ingest.Batch { return ingest.Read([]string{path("gz/feed.xml.gz")}) }, []string{"Dock workers"}, nil, nil},
		{"walk", func() *ingest.Batch { return ingest.Read([]string{path("gz")}) },
			[]string{"Saturday", "Sunday", "Dock workers", "Dock workers", "Dock workers", "Dock workers"}, nil, []string{"gz/backup.tar.gz", "gz/blob.gz"}},
		{"gzip named without .gz", func() *ingest.Batch { return ingest.Read([]string{path("download")}) }, []string{"Dock workers"}, nil, nil},
		{"gzip of a WARC file", func() *ingest.Batch { return ingest.Read([]string{path("crawl.bin")}) }, []string{"Dock workers"}, nil, nil},
		{"stdin gzip", func() *ingest.Batch { return ingest.ReadFrom([]string{"-"}, bytes.NewReader(files["gz/page.html.gz"])) }, []string{"Dock workers"}, nil, nil},
		{"stdin gzip of JSON lines", func() *ingest.Batch {
			return ingest.ReadFrom([]string{"-"}, bytes.NewReader(files["gz/batch.jsonl.gz"]))
		}, []string{"Saturday", "Sunday"}, nil, nil},
		{"named html.gz", func() *ingest.Batch {
			return ingest.ReadNamed("upload.html.gz", bytes.NewReader(files["gz/page.html.gz"]))
		}, []string{"Dock workers"}, nil, nil},
		{"named jsonl.gz", func() *ingest.Batch {
			return ingest.ReadNamed("batch.jsonl.gz", bytes.NewReader(files["gz/batch.jsonl.gz"]))
		}, []string{"Saturday", "Sunday"}, nil, nil},
		{"named gzip of a WARC file", func() *ingest.Batch { return ingest.ReadNamed("crawl", bytes.NewReader(files["crawl.bin"])) }, []string{"Dock workers"}, nil, nil},
		{"gzip twice", func() *ingest.Batch { return ingest.Read([]string{path("twice.html.gz")}) }, nil, []string{"twice.html.gz: gzip-compressed data" + unsupported}, nil},
		{"html.gz bomb", func() *ingest.Batch { return ingest.Read([]string{path("bomb.html.gz")}) }, nil, []string{"bomb.html.gz: over the 16 MiB limit once decompressed"}, nil},
		{"txt.gz bomb", func() *ingest.Batch { return ingest.Read([]string{path("bomb.txt.gz")}) }, nil, []string{"bomb.txt.gz: over the 8 MiB limit once decompressed"}, nil},
		{"stdin bomb", func() *ingest.Batch { return ingest.ReadFrom([]string{"-"}, bytes.NewReader(htmlBomb)) }, nil, []string{"stdin: over the 16 MiB limit once decompressed"}, nil},
		{"named bomb", func() *ingest.Batch { return ingest.ReadNamed("upload", bytes.NewReader(textBomb)) }, nil, []string{"upload: over the 8 MiB limit once decompressed"}, nil},
		{"damaged gzip", func() *ingest.Batch { return ingest.Read([]string{path("bad.html.gz")}) }, nil, []string{"bad.html.gz: gzip: unexpected EOF"}, nil},
		{"latin-1 text", func() *ingest.Batch { return ingest.Read([]string{path("latin1.txt")}) }, []string{"Le maire a annoncé la fermeture du marché de Noël"}, nil, nil},
		{"pdf", func() *ingest.Batch { return ingest.Read([]string{path("report.pdf")}) }, nil, []string{"report.pdf: a PDF document" + unsupported}, nil},
		{"docx", func() *ingest.Batch { return ingest.Read([]string{path("letter.docx")}) }, nil, []string{"letter.docx: a Word document (DOCX)" + unsupported}, nil},
		{"png named .html", func() *ingest.Batch { return ingest.Read([]string{path("photo.html")}) }, nil, []string{"photo.html: a PNG image" + unsupported}, nil},
		{"pdf in a walk", func() *ingest.Batch { return ingest.Read([]string{path("pdf")}) }, nil, []string{"pdf/report-scan.html: a PDF document" + unsupported}, nil},
		{"pdf on stdin", func() *ingest.Batch { return ingest.ReadFrom([]string{"-"}, bytes.NewReader(files["report.pdf"])) }, nil, []string{"stdin: a PDF document" + unsupported}, nil},
	} {
		b := tc.read()
		var bodies []string
		for i, a := range b.Articles {
			if i < len(tc.bodies) && !strings.Contains(a.Text(), tc.bodies[i]) {
				bodies = append(bodies, a.Text())
			}
		}
		if len(b.Articles) != len(tc.bodies) || len(bodies) > 0 {
			t.Errorf("%s: %d articles, want %d holding %q; bodies not matching: %q; errors %v", tc.name, len(b.Articles), len(tc.bodies), tc.bodies, bodies, b.Errors)
		}
		var errs []string
		for _, err := range b.Errors {
			errs = append(errs, strings.TrimPrefix(err.Error(), dir+string(filepath.Separator)))
		}
		ok := len(errs) == len(tc.errs)
		for i := 0; ok && i < len(errs); i++ {
			ok = strings.HasPrefix(errs[i], tc.errs[i])
		}
		if !ok {
			t.Errorf("%s: errors %q, want %q", tc.name, errs, tc.errs)
		}
		for _, err := range b.Errors {
			if strings.Contains(tc.name, "bomb") && !errors.Is(err, extract.ErrTooLarge) {
				t.Errorf("%s: %v does not wrap ErrTooLarge", tc.name, err)
			}
		}
		var skipped []string
		for _, s := range b.Skipped {
			rel, _ := filepath.Rel(dir, s)
			skipped = append(skipped, filepath.ToSlash(rel))
		}
		if !slices.Equal(skipped, tc.skipped) {
			t.Errorf("%s: skipped %q, want %q", tc.name, skipped, tc.skipped)
		}
	}
}

// TestReadBombStopsAtCap: reading a gzip stream that never ends stops
// once the cap is decompressed.
func TestReadBombStopsAtCap(t *testing.T) {
	pr, pw := io.Pipe()
	src := &countingReader{r: repeat('a')}
	go func() {
		zw := gzip.NewWriter(pw)
		_, err := io.Copy(zw, src) // ends when the reader closes the pipe
		pw.CloseWithError(err)
	}()
	done := make(chan *ingest.Batch, 1)
	go func() { done <- ingest.ReadNamed("endless.txt.gz", pr) }()
	var b *ingest.Batch
	select {
	case b = <-done:
	case <-time.After(60 * time.Second):
		t.Fatalf("still reading after 60 s, %d bytes in", src.n.Load())
	}
	pr.CloseWithError(errors.New("read no further"))
	if len(b.Errors) != 1 || !errors.Is(b.Errors[0], extract.ErrTooLarge) || !strings.Contains(b.Errors[0].Error(), "once decompressed") {
		t.Fatalf("errors %v, want one wrapping ErrTooLarge", b.Errors)
	}
	// The compressor runs ahead of the reader by what its buffers hold,
	// megabytes of a stream this repetitive.
	if n, limit := src.n.Load(), int64(2*extract.MaxHTMLBytes); n > limit {
		t.Errorf("compressed %d bytes, want the reader to stop soon after the cap (%d)", n, extract.MaxHTMLBytes)
	}
}

// countingReader counts the bytes read from r.
type countingReader struct {
	r io.Reader
	n atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}
