package main

import (
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

var metaDateRe = regexp.MustCompile(`^\s*date\s+(\d{4}-\d{2}-\d{2})\s*`)

// seedPage renders a seed text as the HTML page it was saved from: one
// paragraph a line, its collection date (if any) as the page's publication
// date.
func seedPage(text string) string {
	var b strings.Builder
	b.WriteString("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
	if m := metaDateRe.FindStringSubmatch(text); m != nil {
		fmt.Fprintf(&b, `<meta property="article:published_time" content="%sT12:00:00Z">`, m[1])
		text = text[len(m[0]):]
	}
	b.WriteString("</head><body><article>")
	for _, line := range strings.Split(text, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			fmt.Fprintf(&b, "<p>%s</p>\n", html.EscapeString(line))
		}
	}
	b.WriteString("</article></body></html>")
	return b.String()
}

// groups renders a report's families or stories as sets of seed numbers.
func groups(r Report, which string, seedOf func(ArticleJSON) string) string {
	num := make(map[string]string)
	for _, a := range r.Articles {
		num[a.ID] = seedOf(a)
	}
	var out []string
	add := func(members []string) {
		var s []string
		for _, m := range members {
			s = append(s, num[m])
		}
		slices.Sort(s)
		out = append(out, strings.Join(s, "+"))
	}
	if which == "families" {
		for _, f := range r.Families {
			add(f.Members)
		}
	} else {
		for _, s := range r.Stories {
			add(s.Members)
		}
	}
	slices.Sort(out)
	return strings.Join(out, " ")
}

// TestRunSeedsWARC serves the seeds as HTML pages on loopback, captures them
// with wget into a WARC, and checks that run on the WARC finds the same
// families and stories as run on the plain-text seeds.
func TestRunSeedsWARC(t *testing.T) {
	needSeeds(t)
	wget, err := exec.LookPath("wget")
	if err != nil {
		t.Skip("wget not installed (.ci/run installs it)")
	}
	files, _ := filepath.Glob(filepath.Join(seedsDir, "*.txt"))
	pages := make(map[string]string)
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		pages["/"+filepath.Base(f)[:3]+".html"] = seedPage(string(data))
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, ok := pages[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, p)
	}))
	defer srv.Close()

	dir := t.TempDir()
	args := []string{"-q", "--warc-file=" + filepath.Join(dir, "seeds"), "--no-warc-keep-log", "-O", os.DevNull, "--no-proxy"}
	for path := range pages {
		args = append(args, srv.URL+path)
	}
	slices.Sort(args[6:])
	if out, err := exec.Command(wget, args...).CombinedOutput(); err != nil {
		t.Fatalf("wget: %v\n%s", err, out)
	}

	fromText, _ := MustRunJSON(t, 0, seedsDir)
	fromWARC, _ := MustRunJSON(t, 0, filepath.Join(dir, "seeds.warc.gz"))
	if len(fromWARC.Articles) != 4 {
		t.Fatalf("articles from the WARC=%d, want 4", len(fromWARC.Articles))
	}
	textSeed := func(a ArticleJSON) string { return filepath.Base(a.Input)[:3] }
	warcSeed := func(a ArticleJSON) string {
		return strings.TrimSuffix(a.URL[strings.LastIndex(a.URL, "/")+1:], ".html")
	}
	for _, which := range []string{"families", "stories"} {
		want, got := groups(fromText, which, textSeed), groups(fromWARC, which, warcSeed)
		t.Logf("%s: %s", which, got)
		if got != want {
			t.Errorf("%s from the WARC: %s, from text: %s", which, got, want)
		}
	}
	for _, a := range fromWARC.Articles {
		if !strings.HasPrefix(a.URL, srv.URL) {
			t.Errorf("article URL %q is not the target URI", a.URL)
		}
	}
}
