package warc

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"
)

// record serializes one WARC record with the given block; length < 0 means
// the true length.
func record(typ, uri string, block string, length int) string {
	if length < 0 {
		length = len(block)
	}
	ct := "application/http; msgtype=response"
	if typ == "warcinfo" {
		ct = "application/warc-fields"
	}
	return fmt.Sprintf("WARC/1.0\r\nWARC-Type: %s\r\nWARC-Target-URI: <%s>\r\nWARC-Date: 2023-07-13T10:00:00Z\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n%s\r\n\r\n",
		typ, uri, ct, length, block)
}

func httpResponse(body string) string {
	return "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: " + fmt.Sprint(len(body)) + "\r\n\r\n" + body
}

// gz compresses each record as its own gzip member, as .warc.gz files do.
func gz(records ...string) []byte {
	var out bytes.Buffer
	for _, r := range records {
		zw := gzip.NewWriter(&out)
		zw.Write([]byte(r))
		zw.Close()
	}
	return out.Bytes()
}

// readAll returns the records and errors of a whole input.
func readAll(t *testing.T, data []byte) ([]*Record, []error) {
	t.Helper()
	r, err := NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, []error{err}
	}
	var recs []*Record
	var errs []error
	for i := 0; i < 1000; i++ {
		rec, err := r.Next()
		if err == io.EOF {
			return recs, errs
		}
		if err != nil {
			errs = append(errs, err)
			continue
		}
		recs = append(recs, rec)
	}
	t.Fatal("reader did not reach the end")
	return nil, nil
}

func TestReader(t *testing.T) {
	page := httpResponse("<html><body><p>Hello</p></body></html>")
	good := record("warcinfo", "", "software: test\r\n", -1) + record("response", "http://a.example/1", page, -1) + record("response", "http://a.example/2", page, -1)
	for _, tc := range []struct {
		name string
		data []byte
		uris string // target URIs of the records read
		errs []string
	}{
		{"plain", []byte(good), ",http://a.example/1,http://a.example/2", nil},
		{"gzip members", gz(record("warcinfo", "", "x\r\n", -1), record("response", "http://a.example/1", page, -1), record("response", "http://a.example/2", page, -1)), ",http://a.example/1,http://a.example/2", nil},
		{"truncated", []byte(good[:len(good)-40]), ",http://a.example/1", []string{"record 3: warc: truncated record"}},
		// Cutting a compressed stream loses more than the bytes cut:
		// the deflate tail holds the end of record 2 too.
		{"truncated gzip", gz(good)[:len(gz(good))-30], "", []string{"record 2: warc: truncated record"}},
		{"short Content-Length", []byte(record("response", "http://a.example/1", page, 20) + record("response", "http://a.example/2", page, -1)), "http://a.example/2", []string{"record 1: Content-Length 20 does not end the block"}},
		{"long Content-Length", []byte(record("response", "http://a.example/1", page, len(page)+30) + record("response", "http://a.example/2", page, -1)), "", []string{"record 1: Content-Length"}},
		{"bad Content-Length", []byte(record("response", "http://a.example/1", page, -1)[:0] + strings.Replace(record("response", "http://a.example/1", page, -1), fmt.Sprint(len(page)), "lots", 1) + record("response", "http://a.example/2", page, -1)), "http://a.example/2", []string{`record 1: bad Content-Length "lots"`}},
		{"garbage first", []byte("not a warc file\n" + good), ",http://a.example/1,http://a.example/2", nil},
		{"empty", nil, "", nil},
	} {
		recs, errs := readAll(t, tc.data)
		var uris []string
		for _, r := range recs {
			uris = append(uris, r.TargetURI)
		}
		if got := strings.Join(uris, ","); got != tc.uris {
			t.Errorf("%s: records %q, want %q", tc.name, got, tc.uris)
		}
		if len(errs) != len(tc.errs) {
			t.Errorf("%s: errors %v, want %v", tc.name, errs, tc.errs)
			continue
		}
		for i, e := range tc.errs {
			if !strings.Contains(errs[i].Error(), e) {
				t.Errorf("%s: error %q, want %q", tc.name, errs[i], e)
			}
		}
	}
}

func TestTruncatedIsErrTruncated(t *testing.T) {
	_, errs := readAll(t, []byte(record("response", "http://a.example/1", httpResponse("<p>x</p>"), -1)[:60]))
	if len(errs) != 1 || !errors.Is(errs[0], ErrTruncated) {
		t.Errorf("errors=%v, want ErrTruncated", errs)
	}
}

func TestResponsePage(t *testing.T) {
	recs, _ := readAll(t, []byte(record("warcinfo", "", "x\r\n", -1)+
		record("response", "http://a.example/1", httpResponse("<p>Hello</p>"), -1)+
		record("response", "http://a.example/img", "HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\nPNG", -1)+
		record("response", "http://a.example/gone", "HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\n\r\ngone", -1)+
		record("response", "http://a.example/bad", "not http at all", -1)))
	var pages []string
	var errs int
	for _, r := range recs {
		p, ok, err := ResponsePage(r)
		if err != nil {
			errs++
			continue
		}
		if ok {
			pages = append(pages, p.URL+" "+string(p.Body))
			if p.Captured.IsZero() {
				t.Errorf("capture date lost")
			}
		}
	}
	if strings.Join(pages, ";") != "http://a.example/1 <p>Hello</p>" || errs != 1 {
		t.Errorf("pages=%q errors=%d", pages, errs)
	}
}

// TestReaderLongLines: no line of the input is held whole, so a long run of
// junk between records, or a header that never ends, costs a bounded amount
// of memory; an oversized header is an error naming the record, and the
// records after it are read.
func TestReaderLongLines(t *testing.T) {
	page := httpResponse("<html><body><p>Hello</p></body></html>")
	good := record("response", "http://a.example/1", page, -1)
	const long = 64 << 20
	for _, tc := range []struct {
		name string
		data func() io.Reader
		uris string
		errs []string
	}{
		{"junk line", func() io.Reader {
			return io.MultiReader(io.LimitReader(repeat('x'), long), strings.NewReader("\n"+good))
		}, "http://a.example/1", nil},
		{"junk line in gzip", func() io.Reader {
			var buf bytes.Buffer
			zw := gzip.NewWriter(&buf)
			io.Copy(zw, io.LimitReader(repeat('x'), long))
			zw.Write([]byte("\n"))
			zw.Close()
			return io.MultiReader(bytes.NewReader(buf.Bytes()), bytes.NewReader(gz(good)))
		}, "http://a.example/1", nil},
		{"long header line", func() io.Reader {
			return io.MultiReader(strings.NewReader("WARC/1.0\r\nWARC-Type: response\r\nX-Long: "), io.LimitReader(repeat('x'), long), strings.NewReader("\r\n\r\n"+good))
		}, "http://a.example/1", []string{"record 1: header is over the 1 MiB limit"}},
		{"many header lines", func() io.Reader {
			return strings.NewReader("WARC/1.0\r\n" + strings.Repeat("X-Field: value\r\n", long/16) + "\r\n" + good)
		}, "http://a.example/1", []string{"record 1: header is over the 1 MiB limit"}},
		{"header without end", func() io.Reader {
			return io.MultiReader(strings.NewReader("WARC/1.0\r\nX-Long: "), io.LimitReader(repeat('x'), long))
		}, "", []string{"record 1: header is over the 1 MiB limit"}},
	} {
		in := tc.data()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		r, err := NewReader(in)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		var uris []string
		var errs []error
		for {
			rec, err := r.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				errs = append(errs, err)
				continue
			}
			uris = append(uris, rec.TargetURI)
		}
		runtime.ReadMemStats(&after)
		if n := after.TotalAlloc - before.TotalAlloc; n > long/4 {
			t.Errorf("%s: %d MiB allocated for a %d MiB line", tc.name, n>>20, long>>20)
		}
		if got := strings.Join(uris, ","); got != tc.uris {
			t.Errorf("%s: records %q, want %q", tc.name, got, tc.uris)
		}
		// The errors are cut short: they may quote a long line.
		if len(errs) != len(tc.errs) {
			t.Errorf("%s: %d errors, want %v; first %.200q", tc.name, len(errs), tc.errs, errs)
			continue
		}
		for i, e := range tc.errs {
			if !strings.Contains(errs[i].Error(), e) {
				t.Errorf("%s: error %.200q, want %q", tc.name, errs[i], e)
			}
		}
	}
}

// repeat is an endless reader of c.
type repeat byte

func (c repeat) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(c)
	}
	return len(p), nil
}

func FuzzReader(f *testing.F) {
	page := httpResponse("<html><body><p>Hello</p></body></html>")
	good := record("warcinfo", "", "x\r\n", -1) + record("response", "http://a.example/1", page, -1)
	f.Add([]byte(good))
	f.Add(gz(good))
	f.Add([]byte(good[:50]))
	f.Add([]byte(record("response", "u", page, 5)))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := NewReader(bytes.NewReader(data))
		if err != nil {
			return
		}
		for i := 0; ; i++ {
			if i > len(data)+10 {
				t.Fatalf("more results than input bytes: no progress")
			}
			rec, err := r.Next()
			if err == io.EOF {
				return
			}
			if err != nil {
				continue
			}
			if len(rec.Block) > MaxBlock {
				t.Fatalf("block over the limit")
			}
			ResponsePage(rec)
		}
	})
}
