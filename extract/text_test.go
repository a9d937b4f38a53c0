package extract

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
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
		{"latin1", []byte("na\xefve text here"), "invalid UTF-8 at byte 2"},
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
		in := string(data)
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
