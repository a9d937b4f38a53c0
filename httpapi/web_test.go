package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/newsdedup/newsdedup/httpapi"
)

// postSeeds stores the four seed articles as 000 to 003, or skips.
func postSeeds(tb testing.TB, srv *httpapi.Server) {
	tb.Helper()
	files, _ := filepath.Glob("../../shared/fixtures/seeds/*.txt")
	if len(files) != 4 {
		tb.Skip("seeds absent: needs ../shared beside the repository")
	}
	for _, f := range files {
		text, _ := os.ReadFile(f)
		body, _ := json.Marshal(map[string]string{"id": filepath.Base(f)[:3], "text": string(text)})
		if code := do(tb, "POST", srv.URL()+"/v1/articles", "", body, nil); code != http.StatusCreated {
			tb.Fatalf("POST %s: %d", f, code)
		}
	}
}

// getPage fetches a page and parses it.
func getPage(tb testing.TB, u string) (int, *html.Node, string) {
	tb.Helper()
	resp, err := http.Get(u)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	doc, err := html.Parse(bytes.NewReader(raw))
	if err != nil {
		tb.Fatalf("%s: %v", u, err)
	}
	return resp.StatusCode, doc, string(raw)
}

// elements returns the elements named tag under n.
func elements(n *html.Node, tag string) []*html.Node {
	var out []*html.Node
	for c := range n.Descendants() {
		if c.Type == html.ElementNode && c.Data == tag {
			out = append(out, c)
		}
	}
	return out
}

// text returns the text under n.
func text(n *html.Node) string {
	var sb strings.Builder
	for c := range n.Descendants() {
		if c.Type == html.TextNode {
			sb.WriteString(c.Data)
		}
	}
	return sb.String()
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func TestPagesEscapeArticleText(t *testing.T) {
	srv := MustOpenServer(t, "")
	title := `<script>alert("title")</script><b>Bold</b> headline`
	body := "<img src=x onerror=alert(1)> Dock workers at the northern grain terminal walked out on Saturday, halting exports.\n\n" +
		`<a href="javascript:alert(2)">click</a> The union said the strike would go on until the port authority agreed to talks.`
	req, _ := json.Marshal(map[string]string{"id": "evil", "title": title, "text": body, "url": "javascript:alert(3)"})
	if code := do(t, "POST", srv.URL()+"/v1/articles", "", req, nil); code != http.StatusCreated {
		t.Fatalf("POST: %d", code)
	}
	var list struct {
		Stories []httpapi.StorySummaryJSON `json:"stories"`
	}
	do(t, "GET", srv.URL()+"/v1/stories", "", nil, &list)
	if len(list.Stories) != 1 {
		t.Fatalf("stories: %+v", list)
	}
	for _, path := range []string{"/", "/stories/" + list.Stories[0].ID, "/articles/evil", "/diff?a=evil&b=evil", "/?q=" + url.QueryEscape("<script>")} {
		code, doc, raw := getPage(t, srv.URL()+path)
		if code != http.StatusOK {
			t.Errorf("%s: %d", path, code)
			continue
		}
		for _, s := range elements(doc, "script") {
			if attr(s, "src") != "/static/app.js" || text(s) != "" {
				t.Errorf("%s: a script element from article text: %s", path, raw)
			}
		}
		for _, tag := range []string{"img", "b"} {
			if len(elements(doc, tag)) > 0 {
				t.Errorf("%s: article markup rendered as a <%s> element", path, tag)
			}
		}
		for _, a := range elements(doc, "a") {
			if strings.HasPrefix(strings.ToLower(attr(a, "href")), "javascript:") {
				t.Errorf("%s: a javascript: link: %s", path, attr(a, "href"))
			}
		}
		if path != "/diff?a=evil&b=evil" && !strings.HasPrefix(path, "/?q=") && !strings.Contains(text(doc), title) {
			t.Errorf("%s: the title is not shown as text", path)
		}
		if strings.HasPrefix(path, "/articles/") && !strings.Contains(text(doc), "<img src=x onerror=alert(1)>") {
			t.Errorf("%s: the body is not shown as text", path)
		}
	}
}

func TestStoriesPage(t *testing.T) {
	srv := MustOpenServer(t, "")
	postSeeds(t, srv)
	code, doc, _ := getPage(t, srv.URL()+"/")
	if code != 200 {
		t.Fatalf("GET /: %d", code)
	}
	items := elements(elements(doc, "ol")[0], "li")
	if len(items) != 1 || !strings.Contains(text(items[0]), "4 articles") || !strings.Contains(text(items[0]), "2 families") {
		t.Errorf("stories list: %d items, first %q", len(items), text(items[0]))
	}
	// Search by words in titles: every word must be in some title.
	for q, want := range map[string]int{"blinken wang": 1, "ASEAN": 1, "blinken volcano": 0} {
		var out struct {
			Stories []httpapi.StorySummaryJSON `json:"stories"`
		}
		do(t, "GET", srv.URL()+"/v1/stories?q="+url.QueryEscape(q), "", nil, &out)
		_, doc, _ := getPage(t, srv.URL()+"/?q="+url.QueryEscape(q))
		got := 0
		for _, ol := range elements(doc, "ol") {
			if attr(ol, "class") == "stories" {
				got = len(elements(ol, "article"))
			}
		}
		if got != want || len(out.Stories) != want {
			t.Errorf("q=%q: page %d, JSON %d stories, want %d", q, got, len(out.Stories), want)
		}
	}
	for _, path := range []string{"/stories/s-nope", "/families/f-nope", "/articles/nope", "/diff?a=000&b=nope"} {
		if code, _, _ := getPage(t, srv.URL()+path); code != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", path, code)
		}
	}
}

func TestStoriesPaging(t *testing.T) {
	srv := MustOpenServer(t, "")
	topics := strings.Fields("harbour glacier orchard tram vineyard reactor marathon bakery lighthouse quarry comet election ferry museum drought satellite tunnel festival auction volcano wildfire shipyard opera vaccine bridge")
	for i, w := range topics {
		req, _ := json.Marshal(map[string]string{"id": w, "title": "The " + w + " report",
			"text":      "Officials described the " + w + " in detail on Monday, giving figures nobody had asked for about the " + w + " and its " + w + " neighbours.",
			"published": fmt.Sprintf("2024-03-%02d", 1+i)})
		if code := do(t, "POST", srv.URL()+"/v1/articles", "", req, nil); code != http.StatusCreated {
			t.Fatalf("POST %s: %d", w, code)
		}
	}
	seen := map[string]bool{}
	next := "/"
	for pages := 0; next != "" && pages < 5; pages++ {
		_, doc, _ := getPage(t, srv.URL()+next)
		for _, a := range elements(doc, "article") {
			seen[text(elements(a, "h2")[0])] = true
		}
		next = ""
		for _, a := range elements(doc, "a") {
			if attr(a, "rel") == "next" {
				next = attr(a, "href")
			}
		}
	}
	if len(seen) != len(topics) {
		t.Errorf("paging showed %d distinct stories, want %d", len(seen), len(topics))
	}
}

func TestStoryAndFamilyPages(t *testing.T) {
	srv := MustOpenServer(t, "")
	postSeeds(t, srv)
	var art httpapi.PlacementJSON
	do(t, "GET", srv.URL()+"/v1/articles/003", "", nil, &art)
	_, doc, _ := getPage(t, srv.URL()+"/stories/"+art.Story.ID)
	marks := 0
	for _, c := range elements(doc, "circle") {
		if strings.Contains(attr(c, "class"), "mark") {
			marks++
		}
	}
	if marks != 4 || !strings.Contains(text(doc), "does not credit its source") {
		t.Errorf("story page: %d marks, want 4; credit note present: %v", marks, strings.Contains(text(doc), "does not credit its source"))
	}
	_, doc, _ = getPage(t, srv.URL()+"/families/f-000?b=002")
	var ins, del []string
	for _, n := range elements(doc, "ins") {
		ins = append(ins, text(n))
	}
	for _, n := range elements(doc, "del") {
		del = append(del, text(n))
	}
	joinedIns, joinedDel := strings.Join(ins, "|"), strings.Join(del, "|")
	if !strings.Contains(joinedIns, "released") || !strings.Contains(joinedDel, "is expected to release") {
		t.Errorf("family diff lacks the released edit: ins %q del %q", joinedIns, joinedDel)
	}
	if !strings.Contains(joinedIns, "ongoing efforts to maintain open channels of communication") {
		t.Errorf("family diff lacks the added readout")
	}
	var fam struct {
		Copies []httpapi.CopyJSON `json:"copies"`
	}
	do(t, "GET", srv.URL()+"/v1/families/f-000", "", nil, &fam)
	if len(fam.Copies) != 2 {
		t.Fatalf("family JSON: %+v", fam)
	}
	for _, c := range fam.Copies {
		if c.ID == "002" && (!c.IsCopy || !c.Uncredited || c.Relation.Kind == "") {
			t.Errorf("002 in family JSON: %+v", c)
		}
	}
	if code, _, _ := getPage(t, srv.URL()+"/families/f-000?b=003"); code != http.StatusNotFound {
		t.Errorf("family with a non-member: %d, want 404", code)
	}
}

// postForm posts the add form with fields and files.
func postForm(tb testing.TB, u string, fields map[string]string, files map[string][]byte, header http.Header) (int, *html.Node) {
	tb.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	for name, data := range files {
		fw, _ := mw.CreateFormFile("files", name)
		fw.Write(data)
	}
	mw.Close()
	req, _ := http.NewRequest("POST", u, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	doc, _ := html.Parse(resp.Body)
	return resp.StatusCode, doc
}

func TestAddPage(t *testing.T) {
	files, _ := filepath.Glob("../../shared/fixtures/seeds/*.txt")
	if len(files) != 4 {
		t.Skip("seeds absent: needs ../shared beside the repository")
	}
	srv := MustOpenServer(t, "s3cret")
	seed0, _ := os.ReadFile(files[0])
	seed2, _ := os.ReadFile(files[2])
	jsonl := `{"id":"j1","title":"Grain strike","text":"Dock workers at the northern grain terminal walked out on Saturday, halting exports for the third day in a row."}` + "\n{broken\n"
	fields := map[string]string{"text": string(seed2), "token": "s3cret"}
	uploads := map[string][]byte{"000.txt": seed0, "batch.jsonl": []byte(jsonl)}

	if code, doc := postForm(t, srv.URL()+"/add", map[string]string{"text": string(seed2), "token": "guess"}, nil, nil); code != http.StatusUnauthorized {
		t.Errorf("wrong token: %d %s", code, text(doc))
	}
	cross := http.Header{"Sec-Fetch-Site": {"cross-site"}, "Origin": {"https://elsewhere.example"}}
	if code, _ := postForm(t, srv.URL()+"/add", fields, nil, cross); code != http.StatusForbidden {
		t.Errorf("cross-site post: %d, want 403", code)
	}
	if st := srv.Engine.Stats(); st.Articles != 0 {
		t.Fatalf("refused posts stored %d articles", st.Articles)
	}
	code, doc := postForm(t, srv.URL()+"/add", fields, uploads, nil)
	if code != http.StatusOK {
		t.Fatalf("add: %d %s", code, text(doc))
	}
	rows := elements(elements(doc, "tbody")[0], "tr")
	if len(rows) != 3 || srv.Engine.Stats().Articles != 3 {
		t.Errorf("landed %d rows, stored %d articles, want 3", len(rows), srv.Engine.Stats().Articles)
	}
	page := text(doc)
	if !strings.Contains(page, "batch.jsonl:2") {
		t.Errorf("the broken JSON line is not reported by name and line")
	}
	if !strings.Contains(page, "reprint") && !strings.Contains(page, "near duplicate") {
		t.Errorf("the pasted copy of 000 did not land as a copy: %s", page)
	}
}

// The article page of the seeds' independent report says why it is in the
// story: the terms it shares with it.
func TestArticlePageSaysWhy(t *testing.T) {
	srv := MustOpenServer(t, "")
	postSeeds(t, srv)
	code, _, body := getPage(t, srv.URL()+"/articles/003")
	if code != http.StatusOK || !strings.Contains(body, "shared: ") || !strings.Contains(body, "names and facts: ") {
		t.Errorf("GET /articles/003: %d, no shared terms, names and facts on the page", code)
	}
}

// The story page says why its independent report joined: the relation's
// score, shared terms and names and facts, beside the report.
func TestStoryPageSaysWhy(t *testing.T) {
	srv := MustOpenServer(t, "")
	postSeeds(t, srv)
	p, err := srv.Engine.Placement(context.Background(), "003")
	if err != nil {
		t.Fatal(err)
	}
	code, doc, _ := getPage(t, srv.URL()+"/stories/"+p.Story.ID)
	var indep string
	for _, sec := range elements(doc, "section") {
		if t := text(sec); strings.Contains(t, "Independent reports") {
			indep = t
		}
	}
	if code != http.StatusOK || !strings.Contains(indep, "joined its story, score") || !strings.Contains(indep, "shared: ") || !strings.Contains(indep, "names and facts: ") {
		t.Errorf("GET story page: %d, independent reports section %q: want why 003 joined", code, indep)
	}
}
