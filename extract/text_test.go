package extract

import (
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/newsdedup/newsdedup"
)

func TestTextWire(t *testing.T) {
	data, err := os.ReadFile("testdata/wire.txt")
	if err != nil {
		t.Fatal(err)
	}
	a, err := Text("wire.txt", data)
	if err != nil {
		t.Fatal(err)
	}
	if want := "Port strike halts grain exports from the northern terminal"; a.Title != want {
		t.Errorf("Title=%q, want %q", a.Title, want)
	}
	if want := time.Date(2024, 3, 2, 0, 0, 0, 0, time.UTC); !a.Published.Equal(want) {
		t.Errorf("Published=%v, want %v", a.Published, want)
	}
	if len(a.Credits) != 1 || a.Credits[0] != "Reuters" {
		t.Errorf("Credits=%v, want [Reuters]", a.Credits)
	}
	body := a.Text()
	for _, chrome := range []string{"Menu", "Sign in", "Updated 2 hours ago", "Workers stand outside", "Photo:", "Share this", "Related stories", "Grain prices climb"} {
		if strings.Contains(body, chrome) {
			t.Errorf("body holds chrome %q", chrome)
		}
	}
	if len(a.Body) != 4 || !strings.HasPrefix(a.Body[0], "ROTTERDAM (Reuters)") || !strings.HasPrefix(a.Body[3], "A spokesman") {
		t.Errorf("Body=%q, want the 4 article paragraphs", a.Body)
	}
}

func TestTextErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "empty input"},
		{"blank", []byte(" \n\t\n"), "empty input"},
		{"nul", []byte("abc\x00def"), "binary data"},
		{"controls", []byte(strings.Repeat("\x01\x02\x03a", 100)), "binary data"},
		// Greek in Windows-1253: not UTF-8, and runs of accented letters
		// read as Windows-1252.
		{"greek", []byte("\xc7 \xe1\xf3\xf4\xf5\xed\xef\xec\xdf\xe1 \xe5\xdf\xf0\xe5 \xf3\xde\xec\xe5\xf1\xe1."), "invalid UTF-8 at byte 0"},
		{"pdf", []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"), "a PDF document, not supported (newsdedup reads text, HTML, WARC, feeds and JSON lines)"},
		{"docx", []byte("PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00[Content_Types].xml ... word/document.xml"), "a Word document (DOCX), not supported"},
		{"zip", []byte("PK\x03\x04\x14\x00\x00\x00notes.txt"), "a ZIP archive, not supported"},
		{"png", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), "a PNG image, not supported"},
		{"jpeg", []byte("\xff\xd8\xff\xe0\x00\x10JFIF"), "a JPEG image, not supported"},
		{"gif", []byte("GIF89a\x01\x00\x01\x00"), "a GIF image, not supported"},
		{"gzip", []byte("\x1f\x8b\x08\x00\x00\x00\x00\x00"), "gzip-compressed data, not supported"},
		{"only chrome", []byte("Menu\nHome\nSign in\n"), "no article text"},
	} {
		_, err := Text(tc.name, tc.data)
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), tc.name+": ") {
			t.Errorf("Text(%s) error=%v, want %q naming the input", tc.name, err, tc.want)
		}
		if newsdedup.ErrorCode(err) != newsdedup.EINVALID {
			t.Errorf("Text(%s) error code=%q, want invalid", tc.name, newsdedup.ErrorCode(err))
		}
	}
	big := make([]byte, MaxBytes+1)
	if _, err := Text("big", big); !errors.Is(err, ErrTooLarge) {
		t.Errorf("Text(big)=%v, want ErrTooLarge", err)
	}
}

// TestTextEncodings: text that is not UTF-8 is decoded when its encoding
// is evident (a byte-order mark, Windows-1252 that reads as Latin-script
// text, UTF-8 with a stray byte) and refused when it is not.
func TestTextEncodings(t *testing.T) {
	const want = "Le maire a annoncé la fermeture du marché de Noël pour trois jours, à cause de la tempête qui approche."
	encode16 := func(order binary.AppendByteOrder, bom []byte) []byte {
		out := bom
		for _, u := range utf16.Encode([]rune("Titre\n\n" + want + "\n")) {
			out = order.AppendUint16(out, u)
		}
		return out
	}
	for _, tc := range []struct {
		name string
		data []byte
		want string // in the body; "" for an error
	}{
		{"utf-8", []byte("Titre\n\n" + want + "\n"), want},
		{"utf-8 bom", []byte("\xef\xbb\xbfTitre\n\n" + want + "\n"), want},
		{"latin-1", []byte("Titre\n\nLe maire a annonc\xe9 la fermeture du march\xe9 de No\xebl pour trois jours, \xe0 cause de la temp\xeate qui approche.\n"), want},
		{"windows-1252 quotes and dash", []byte("Titre\n\nThe mayor said \x93we will reopen\x94 the market \x97 after the storm passes, perhaps on Monday.\n"),
			"The mayor said “we will reopen” the market — after the storm passes, perhaps on Monday."},
		{"utf-16le bom", encode16(binary.LittleEndian, []byte{0xff, 0xfe}), want},
		{"utf-16be bom", encode16(binary.BigEndian, []byte{0xfe, 0xff}), want},
		{"utf-8 with a stray byte", []byte("Titre\n\nLe maire a annoncé la fermeture du marché de Noël pour trois jours, à cause de la tempête qui approche\x85\n"),
			"Le maire a annoncé la fermeture du marché de Noël pour trois jours, à cause de la tempête qui approche…"},
		{"undefined in windows-1252", []byte("Le maire a annonc\xe9 la fermeture\x81 du march\xe9 pour trois jours, \xe0 cause de la temp\xeate.\n"), ""},
		{"utf-16 without bom", encode16(binary.LittleEndian, nil), ""},
	} {
		a, err := Text(tc.name, tc.data)
		switch {
		case tc.want == "" && err == nil:
			t.Errorf("%s: body %q, want an error", tc.name, a.Body)
		case tc.want == "":
			if !strings.HasPrefix(err.Error(), tc.name+": ") {
				t.Errorf("%s: error %v does not name the input", tc.name, err)
			}
		case err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case !slices.Contains(a.Body, tc.want):
			t.Errorf("%s: body=%q, want %q", tc.name, a.Body, tc.want)
		}
	}
}

func TestCues(t *testing.T) {
	for _, tc := range []struct {
		fn   func(string) bool
		name string
		in   string
		want bool
	}{
		{isNav, "nav", "1. Skip to content", true},
		{isNav, "nav", "Subscribe to our newsletter", true},
		{isNav, "nav", "Blinken met Wang in Jakarta", false},
		{isTimeOnly, "time", "10 hours ago", true},
		{isTimeOnly, "time", "Politics4 minutes ago", true},
		{isTimeOnly, "time", "He left 10 hours ago and returned.", false},
		{isURLLine, "url", "https://example.com/p/4TnYt", true},
		{isTagsLine, "tags", "Tags eppersons", true},
		{isTagsLine, "tags", "Tags: politics, china", true},
		{isTagsLine, "tags", "Tagsmith is a company.", false},
		{isDeskLine, "desk", "sct-dsa/jfx/pbt", true},
		{isDeskLine, "desk", "and/or", false},
		{isCaption, "caption", "Blinken and Wang held talks in Beijing last monthImage: LEAH MILLIS/REUTERS", true},
		{isCaption, "caption", "A child holds flags in Beijing, Nov. 9, 2017. Roman Pilipey, EPA-EFE/File", true},
		{isCaption, "caption", "The photographer said the image was striking.", false},
		{isCaption, "caption", "Image 5 of 11 Jacquay Howard, 21, was arrested in Houston on Friday.", true},
		{isNav, "nav", "Posted on", true},
		{isTailCue, "tail", "RELATED STORIES:", true},
		{isTailCue, "tail", "More stories from DW", true},
		{isTailCue, "tail", "Skip next section DW's Top Story", true},
		{isTailCue, "tail", "Read more: how the talks failed", true},
		{isTailCue, "tail", "More talks are planned for next week.", false},
	} {
		if got := tc.fn(tc.in); got != tc.want {
			t.Errorf("%s(%q)=%v, want %v", tc.name, tc.in, got, tc.want)
		}
	}
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"msh/sdi (AFP, Reuters)", []string{"AFP", "Reuters"}},
		{"(AP)", []string{"AP"}},
		{"He said (quietly) no.", nil},
	} {
		if got := creditLine(tc.in); strings.Join(got, ",") != strings.Join(tc.want, ",") {
			t.Errorf("creditLine(%q)=%v, want %v", tc.in, got, tc.want)
		}
	}
}

func TestFindDate(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want string
	}{
		{"2023-07-13 19:50", "2023-07-13T19:50:00Z"},
		{"Published 2023-07-13", "2023-07-13T00:00:00Z"},
		{"May 03 , 2013", "2013-05-03T00:00:00Z"},
		{"July 13, 2023", "2023-07-13T00:00:00Z"},
		{"13 July 2023", "2023-07-13T00:00:00Z"},
		{"Sept. 4th, 2019", "2019-09-04T00:00:00Z"},
		{"February 30, 2023", ""},
		{"no date here", ""},
	} {
		got := ""
		if d, ok := findDate(tc.in, 5); ok {
			got = d.Format(time.RFC3339)
		}
		if got != tc.want {
			t.Errorf("findDate(%q)=%q, want %q", tc.in, got, tc.want)
		}
	}
}

func FuzzText(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.txt")
	seeds, _ := filepath.Glob("../../shared/fixtures/seeds/*.txt")
	for _, p := range append(files, seeds...) {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte(" date 2020-01-01"))
	f.Add([]byte("Title line here now\n\n...\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := Text("fuzz", data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz: ") {
				t.Fatalf("error does not name the input: %v", err)
			}
			return
		}
		if len(a.Body) == 0 {
			t.Fatalf("no error and no body")
		}
		// What comes out is in the input, once decoded to UTF-8.
		dec, err := decodeText("fuzz", data)
		if err != nil {
			t.Fatalf("Text read what decodeText refuses: %v", err)
		}
		in := string(dec)
		for _, p := range append([]string{a.Title}, a.Body...) {
			if !utf8.ValidString(p) {
				t.Fatalf("invalid UTF-8 in output %q", p)
			}
			if !strings.Contains(in, p) {
				t.Fatalf("output %q is not in the input", p)
			}
		}
		for _, p := range a.Body {
			if strings.TrimSpace(p) == "" {
				t.Fatalf("empty paragraph in body")
			}
		}
	})
}
