package extract

import (
	"bytes"
	"fmt"
	"io"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/go-shiori/dom"
	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	xunicode "golang.org/x/text/encoding/unicode"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"

	"github.com/newsdedup/newsdedup"
)

// ErrUnsupported is wrapped by the error for a file in a format newsdedup
// does not read, after the format's name: "x.pdf: a PDF document, not
// supported (…)".
var ErrUnsupported = newsdedup.Errorf(newsdedup.EINVALID, "not supported (newsdedup reads text, HTML, WARC, feeds and JSON lines)")

// formats are the magic numbers of the binary formats people most often
// hand to a text tool by mistake, with how to call each.
var formats = []struct{ magic, name string }{
	{"%PDF-", "a PDF document"},
	{"PK\x03\x04", "a ZIP archive"},
	{"\x89PNG\r\n\x1a\n", "a PNG image"},
	{"\xff\xd8\xff", "a JPEG image"},
	{"GIF87a", "a GIF image"},
	{"GIF89a", "a GIF image"},
	{"\x1f\x8b", "gzip-compressed data"},
	{"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office document (DOC, XLS or PPT)"},
	{"\xfd7zXZ\x00", "xz-compressed data"},
	{"\x28\xb5\x2f\xfd", "zstd-compressed data"},
	{"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"},
	{"Rar!\x1a\x07", "a RAR archive"},
	{"\x7fELF", "an executable (ELF)"},
}

// zipKinds name the documents that are ZIP archives, by a member name or
// mimetype that sits near the start of the archive.
var zipKinds = []struct{ marker, name string }{
	{"word/", "a Word document (DOCX)"},
	{"xl/", "an Excel workbook (XLSX)"},
	{"ppt/", "a PowerPoint presentation (PPTX)"},
	{"application/epub+zip", "an EPUB book"},
	{"application/vnd.oasis.opendocument", "an OpenDocument file"},
}

// binaryFormat names the binary format data is in ("a PDF document"), by
// its magic number, or returns "" if it is none of those it knows.
func binaryFormat(data []byte) string {
	for _, f := range formats {
		if !bytes.HasPrefix(data, []byte(f.magic)) {
			continue
		}
		if f.magic == "PK\x03\x04" {
			head := data[:min(len(data), 4096)]
			for _, z := range zipKinds {
				if bytes.Contains(head, []byte(z.marker)) {
					return z.name
				}
			}
		}
		return f.name
	}
	// Magic numbers too short or too plain to go by alone.
	switch {
	case len(data) >= 12 && string(data[:4]) == "RIFF" && string(data[8:12]) == "WEBP":
		return "a WebP image"
	case len(data) >= 10 && string(data[:3]) == "BZh" && string(data[4:10]) == "1AY&SY":
		return "bzip2-compressed data"
	}
	return ""
}

// unsupported returns the error for data in a binary format, or nil.
func unsupported(name string, data []byte) error {
	if f := binaryFormat(data); f != "" {
		return fmt.Errorf("%s: %s, %w", name, f, ErrUnsupported)
	}
	return nil
}

// fromBOM decodes data that starts with a UTF-16 byte-order mark, and
// drops a UTF-8 one. ok is false if data has none.
func fromBOM(data []byte) (out []byte, ok bool) {
	var e encoding.Encoding
	switch {
	case bytes.HasPrefix(data, []byte{0xef, 0xbb, 0xbf}):
		return data[3:], true
	case bytes.HasPrefix(data, []byte{0xff, 0xfe}):
		e = xunicode.UTF16(xunicode.LittleEndian, xunicode.ExpectBOM)
	case bytes.HasPrefix(data, []byte{0xfe, 0xff}):
		e = xunicode.UTF16(xunicode.BigEndian, xunicode.ExpectBOM)
	default:
		return data, false
	}
	out, err := e.NewDecoder().Bytes(data)
	if err != nil {
		return data, false
	}
	return out, true
}

// win1252Undefined are the bytes Windows-1252 leaves undefined (they
// decode to C1 control characters).
func win1252Undefined(c byte) bool {
	return c == 0x81 || c == 0x8d || c == 0x8f || c == 0x90 || c == 0x9d
}

// mixedUTF8 decodes data that is not valid UTF-8 but holds more valid
// multi-byte UTF-8 characters than stray bytes: UTF-8 with a few bytes from
// elsewhere pasted in. Those are read as Windows-1252, one by one. ok is
// false if data is not mostly UTF-8.
func mixedUTF8(data []byte) (out []byte, ok bool) {
	multi, stray := 0, 0
	for i := 0; i < len(data); {
		r, n := utf8.DecodeRune(data[i:])
		switch {
		case r == utf8.RuneError && n <= 1:
			stray++
		case n > 1:
			multi++
		}
		i += n
	}
	if multi <= stray {
		return nil, false
	}
	var b bytes.Buffer
	b.Grow(len(data) + stray*2)
	for i := 0; i < len(data); {
		r, n := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && n <= 1 {
			r = charmap.Windows1252.DecodeByte(data[i])
		}
		b.WriteRune(r)
		i += n
	}
	return b.Bytes(), true
}

// win1252Text decodes text as Windows-1252 (a superset of ISO-8859-1)
// if it reads as text that way: no byte Windows-1252 leaves undefined, and
// more ASCII letters than others, as in any language written in the Latin
// script. Text in another 8-bit code page (Greek, Cyrillic) reads as runs
// of accented letters, and ok is false.
func win1252Text(data []byte) (out []byte, ok bool) {
	ascii, other := 0, 0
	for _, c := range data {
		switch {
		case win1252Undefined(c):
			return nil, false
		case 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z':
			ascii++
		case c >= 0x80 && unicode.IsLetter(charmap.Windows1252.DecodeByte(c)):
			other++
		}
	}
	if other >= ascii {
		return nil, false
	}
	out, err := charmap.Windows1252.NewDecoder().Bytes(data)
	return out, err == nil
}

// xmlEncoding is how an XHTML page's XML declaration names its encoding.
var xmlEncoding = regexp.MustCompile(`^\s*<\?xml[^>]*\bencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']`)

// declaredCharset returns the label of the character encoding the page
// declares: in its XML declaration or in a <meta charset> or <meta
// http-equiv="Content-Type"> element of its head (looked for up to the
// body, or in the first 64 KB: browsers look in the first 1 KB, then
// reparse if a later declaration turns up).
func declaredCharset(data []byte) string {
	head := data[:min(len(data), 64<<10)]
	if m := xmlEncoding.FindSubmatch(head[:min(len(head), 256)]); m != nil {
		return string(m[1])
	}
	z := html.NewTokenizer(bytes.NewReader(head))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return ""
		case html.StartTagToken, html.SelfClosingTagToken:
			name, more := z.TagName()
			switch string(name) {
			case "body":
				return ""
			case "meta":
			default:
				continue
			}
			var content string
			pragma := false
			for more {
				var k, v []byte
				k, v, more = z.TagAttr()
				switch strings.ToLower(string(k)) {
				case "charset":
					return strings.TrimSpace(string(v))
				case "http-equiv":
					pragma = strings.EqualFold(strings.TrimSpace(string(v)), "content-type")
				case "content":
					content = string(v)
				}
			}
			if pragma {
				if cs := contentCharset(content); cs != "" {
					return cs
				}
			}
		}
	}
}

// contentCharset returns the charset parameter of a Content-Type value.
func contentCharset(s string) string {
	i := strings.Index(strings.ToLower(s), "charset")
	if i < 0 {
		return ""
	}
	s = strings.TrimLeft(s[i+len("charset"):], " \t\n\f\r")
	if !strings.HasPrefix(s, "=") {
		return ""
	}
	s = strings.Trim(strings.TrimLeft(s[1:], " \t\n\f\r"), `"'`)
	if end := strings.IndexAny(s, `;"' `+"\t\n\f\r"); end >= 0 {
		s = s[:end]
	}
	return s
}

// isASCII reports whether data is all 7-bit bytes.
func isASCII(data []byte) bool {
	for _, c := range data {
		if c >= 0x80 {
			return false
		}
	}
	return true
}

// htmlUTF8 returns the page as UTF-8, or ok false when its encoding is
// neither known nor evident. In order: a byte-order mark decides; bytes
// that are valid UTF-8 are UTF-8 whatever the page declares (a page in a
// legacy encoding is almost never valid UTF-8 by chance, and mislabelled
// pages are common), unless they are all ASCII and the page declares an
// encoding such as ISO-2022-JP; bytes that are mostly UTF-8 are UTF-8 with
// a few stray bytes (see mixedUTF8); else the encoding the page declares
// decides, if it declares one other than UTF-8.
func htmlUTF8(data []byte) (out []byte, ok bool) {
	if out, ok := fromBOM(data); ok {
		return out, true
	}
	var enc encoding.Encoding
	name := ""
	if label := declaredCharset(data); label != "" {
		enc, name = charset.Lookup(label)
	}
	if strings.HasPrefix(name, "utf-16") {
		name = "utf-8" // a page read as ASCII cannot be UTF-16, whatever it says
	}
	if utf8.Valid(data) {
		if enc == nil || name == "utf-8" || !isASCII(data) {
			return data, true
		}
		out, err := enc.NewDecoder().Bytes(data)
		return out, err == nil
	}
	if out, ok := mixedUTF8(data); ok {
		return out, true
	}
	if enc == nil || name == "utf-8" {
		return nil, false
	}
	out, err := enc.NewDecoder().Bytes(data)
	return out, err == nil
}

// parseHTML parses a page into a tree of UTF-8 text (see htmlUTF8), with
// text in Unicode normal form C and soft hyphens dropped, as dom.Parse
// does, after preflight. A page whose encoding is neither known nor evident
// goes to dom.Parse, which guesses it from the bytes. (dom.Parse guesses
// for every page, and can take a UTF-8 page with few non-ASCII characters
// for Windows-1252, reading its "—" as "â€”".)
func parseHTML(data []byte) (*html.Node, error) {
	u, ok := htmlUTF8(data)
	if !ok {
		u = data
	}
	if err := preflight(u); err != nil {
		return nil, err
	}
	var doc *html.Node
	var err error
	if ok {
		doc, err = html.Parse(normalized(bytes.NewReader(u)))
	} else {
		doc, err = dom.Parse(bytes.NewReader(data))
	}
	if err != nil {
		return nil, newsdedup.Errorf(newsdedup.EINVALID, "HTML: %v", err)
	}
	return doc, nil
}

// normalized is r in normal form C, without soft hyphens.
func normalized(r io.Reader) io.Reader {
	soft := runes.Predicate(func(r rune) bool { return r == '\u00AD' })
	return transform.NewReader(r, transform.Chain(norm.NFD, runes.Remove(soft), norm.NFC))
}
