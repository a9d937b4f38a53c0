// Package warc reads WARC files (ISO 28500), plain or gzip-compressed as
// one gzip member per record (.warc.gz, as Common Crawl publishes them), and
// turns HTTP response records into the page they carry.
//
// A Reader never holds more than one record's block in memory, and never
// more than MaxBlock bytes of it: a larger block is skipped with an error.
// Nor does it hold a whole line: junk between records is dropped as it is
// read, and a record header over 1 MiB is skipped with an error.
// A damaged record (a truncated file, a Content-Length that lies) is
// reported and the reader resynchronizes on the next "WARC/" version line.
package warc

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/textproto"
	"strconv"
	"strings"
	"time"
)

// MaxBlock is the largest record block a Reader returns.
const MaxBlock = 32 << 20

// maxHeader is the largest record header a Reader parses. A WARC header is
// a few hundred bytes; a long URI takes it to a few KiB.
const maxHeader = 1 << 20

// ErrTruncated reports a record cut short by the end of the input.
var ErrTruncated = errors.New("warc: truncated record")

// A Record is one WARC record.
type Record struct {
	Type      string    // WARC-Type: response, request, metadata, ...
	TargetURI string    // WARC-Target-URI
	Date      time.Time // WARC-Date, the capture time
	Header    textproto.MIMEHeader
	Block     []byte // the record's content block
	Number    int    // position in the file, from 1
}

// Reader reads records one at a time. It is not safe for concurrent use.
type Reader struct {
	br   *bufio.Reader
	n    int  // records started
	dead bool // the input failed: nothing more can be read
}

// NewReader returns a Reader of r, decompressing it if it is gzip.
func NewReader(r io.Reader) (*Reader, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	magic, _ := br.Peek(2)
	if len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("warc: gzip: %w", err)
		}
		br = bufio.NewReaderSize(zr, 64<<10)
	}
	return &Reader{br: br}, nil
}

// Next returns the next record, io.EOF at the end of the input, or an error
// naming the damaged record (by its number, from 1); after an error other
// than io.EOF, Next may be called again to go on with the records after it.
func (r *Reader) Next() (*Record, error) {
	if r.dead {
		return nil, io.EOF
	}
	// Find the version line, skipping blank lines between records and,
	// after a damaged record, whatever is left of it.
	for {
		version, err := r.versionLine()
		if err != nil && err != io.EOF {
			r.dead = true
			if errors.Is(err, io.ErrUnexpectedEOF) {
				err = ErrTruncated
			}
			return nil, r.fail(err)
		}
		if version {
			break
		}
		if err == io.EOF {
			return nil, io.EOF
		}
	}
	r.n++
	hdr, err := r.header()
	if err != nil {
		return nil, r.fail(err)
	}
	rec := &Record{Type: hdr.Get("WARC-Type"), TargetURI: strings.Trim(hdr.Get("WARC-Target-URI"), "<>"), Header: hdr, Number: r.n}
	if d := hdr.Get("WARC-Date"); d != "" {
		rec.Date, _ = time.Parse(time.RFC3339, d)
	}
	n, err := strconv.ParseInt(strings.TrimSpace(hdr.Get("Content-Length")), 10, 64)
	if err != nil || n < 0 {
		return nil, r.fail(fmt.Errorf("bad Content-Length %q", hdr.Get("Content-Length")))
	}
	if n > MaxBlock {
		if _, err := io.CopyN(io.Discard, r.br, n); err != nil {
			r.dead = true
			return nil, r.fail(ErrTruncated)
		}
		return nil, r.fail(fmt.Errorf("block of %d bytes is over the %d MiB limit", n, MaxBlock>>20))
	}
	rec.Block = make([]byte, n)
	if _, err := io.ReadFull(r.br, rec.Block); err != nil {
		r.dead = true
		return nil, r.fail(ErrTruncated)
	}
	// A block is followed by CRLF CRLF; anything else means its
	// Content-Length is wrong, and the block cannot be trusted.
	if tail, err := r.br.Peek(4); err == nil && string(tail) != "\r\n\r\n" || err != nil && len(tail) > 0 {
		return nil, r.fail(fmt.Errorf("Content-Length %d does not end the block", n))
	}
	return rec, nil
}

// versionLine reads a line and reports whether it is a version line
// ("WARC/1.0"). The line is not kept, nor copied, so lines of junk of any
// length cost no memory.
func (r *Reader) versionLine() (bool, error) {
	b, err := r.br.ReadSlice('\n')
	version := bytes.HasPrefix(b, []byte("WARC/"))
	for err == bufio.ErrBufferFull {
		_, err = r.br.ReadSlice('\n')
	}
	return version, err
}

// header reads and parses the header lines of a record, up to the blank
// line that ends them. A header over maxHeader bytes is an error, after
// which Next resynchronizes on the next version line.
func (r *Reader) header() (textproto.MIMEHeader, error) {
	var buf bytes.Buffer
	whole := true // the last chunk read ended a line
	for {
		b, err := r.br.ReadSlice('\n')
		if buf.Len()+len(b) > maxHeader {
			return nil, fmt.Errorf("header is over the %d MiB limit", maxHeader>>20)
		}
		buf.Write(b)
		switch {
		case err == bufio.ErrBufferFull:
			whole = false
			continue
		case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
			r.dead = true
			return nil, ErrTruncated
		case err != nil:
			r.dead = true
			return nil, fmt.Errorf("header: %w", err)
		}
		if whole && len(bytes.TrimRight(b, "\r\n")) == 0 {
			break
		}
		whole = true
	}
	hdr, err := textproto.NewReader(bufio.NewReader(&buf)).ReadMIMEHeader()
	if err != nil {
		return nil, fmt.Errorf("header: %w", err)
	}
	return hdr, nil
}

func (r *Reader) fail(err error) error {
	return fmt.Errorf("record %d: %w", r.n, err)
}

// Page is the HTTP response a response record carries.
type Page struct {
	URL         string
	Captured    time.Time
	Status      int
	ContentType string
	Body        []byte
}

// ResponsePage parses the HTTP response in a response record. It returns
// ok=false for other record types and for responses that are not a
// successful HTML page.
func ResponsePage(rec *Record) (p *Page, ok bool, err error) {
	if rec.Type != "response" || !strings.HasPrefix(rec.Header.Get("Content-Type"), "application/http") {
		return nil, false, nil
	}
	resp, err := http.ReadResponse(bufio.NewReader(bytes.NewReader(rec.Block)), nil)
	if err != nil {
		return nil, false, fmt.Errorf("%s: http response: %w", rec.TargetURI, err)
	}
	defer resp.Body.Close()
	ct := resp.Header.Get("Content-Type")
	if resp.StatusCode != http.StatusOK || !(strings.Contains(ct, "html") || ct == "") {
		return nil, false, nil
	}
	var body io.Reader = resp.Body
	if strings.EqualFold(resp.Header.Get("Content-Encoding"), "gzip") {
		zr, err := gzip.NewReader(resp.Body)
		if err != nil {
			return nil, false, fmt.Errorf("%s: gzip body: %w", rec.TargetURI, err)
		}
		body = zr
	}
	data, err := io.ReadAll(io.LimitReader(body, MaxBlock))
	if err != nil && len(data) == 0 {
		return nil, false, fmt.Errorf("%s: body: %w", rec.TargetURI, err)
	}
	return &Page{URL: rec.TargetURI, Captured: rec.Date, Status: resp.StatusCode, ContentType: ct, Body: data}, true, nil
}
