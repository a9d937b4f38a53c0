package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/newsdedup/newsdedup"
	"github.com/newsdedup/newsdedup/httpapi"
	"github.com/newsdedup/newsdedup/pipeline"
	"github.com/newsdedup/newsdedup/store/bolt"
)

// MustOpenServer starts a server over a new store in a temp dir.
func MustOpenServer(tb testing.TB, token string) *httpapi.Server {
	tb.Helper()
	cfg := pipeline.DefaultConfig()
	s, err := bolt.Open(tb.TempDir(), cfg.Params)
	if err != nil {
		tb.Fatal(err)
	}
	e, err := pipeline.Open(context.Background(), cfg, s)
	if err != nil {
		tb.Fatal(err)
	}
	srv := httpapi.NewServer(e, slog.New(slog.NewTextHandler(io.Discard, nil)))
	srv.Token = token
	if err := srv.Open("127.0.0.1:0"); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		srv.Close(context.Background())
		s.Close()
	})
	return srv
}

func do(tb testing.TB, method, url, token string, body []byte, out any) int {
	tb.Helper()
	req, _ := http.NewRequest(method, url, bytes.NewReader(body))
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			tb.Fatalf("%s %s: %v\n%s", method, url, err, raw)
		}
	}
	return resp.StatusCode
}

func TestSeedsOverAPI(t *testing.T) {
	files, _ := filepath.Glob("../../shared/fixtures/seeds/*.txt")
	if len(files) != 4 {
		t.Skip("seeds absent: needs ../shared beside the repository")
	}
	srv := MustOpenServer(t, "")
	name := map[string]string{}
	var last httpapi.PlacementJSON
	for _, f := range files {
		text, _ := os.ReadFile(f)
		body, _ := json.Marshal(map[string]string{"id": filepath.Base(f)[:3], "text": string(text)})
		if code := do(t, "POST", srv.URL()+"/v1/articles", "", body, &last); code != http.StatusCreated {
			t.Fatalf("POST %s: %d", f, code)
		}
		name[last.ID] = filepath.Base(f)[:3]
	}
	// The last seed (003) lands in the story of all four; 000-002 are one family.
	if len(last.Story.Members) != 4 {
		t.Errorf("story of 003 has %v, want all four", last.Story.Members)
	}
	var fam httpapi.FamilyJSON
	if code := do(t, "GET", srv.URL()+"/v1/families/f-000", "", nil, &fam); code != 200 {
		t.Fatalf("GET family: %d", code)
	}
	slices.Sort(fam.Members)
	if !slices.Equal(fam.Members, []string{"000", "001", "002"}) || fam.Original != "000" {
		t.Errorf("family=%+v, want 000 (original), 001, 002", fam)
	}
	var story httpapi.StoryJSON
	if code := do(t, "GET", srv.URL()+"/v1/stories/"+last.Story.ID, "", nil, &story); code != 200 || len(story.Families) != 2 || len(story.Members) != 4 {
		t.Errorf("GET story: %d %+v", code, story)
	}
	var list struct {
		Stories    []httpapi.StoryJSON `json:"stories"`
		NextCursor *string             `json:"next_cursor"`
	}
	if code := do(t, "GET", srv.URL()+"/v1/stories?limit=1", "", nil, &list); code != 200 || len(list.Stories) != 1 || list.NextCursor != nil {
		t.Errorf("GET stories: %d %+v", code, list)
	}
	var diff struct {
		Passages []struct {
			Op    string `json:"op"`
			Words []struct{ Op, Text string }
		} `json:"passages"`
	}
	if code := do(t, "GET", srv.URL()+"/v1/diff?a=000&b=002", "", nil, &diff); code != 200 {
		t.Fatalf("GET diff: %d", code)
	}
	released := false
	for _, p := range diff.Passages {
		for _, w := range p.Words {
			released = released || w.Op == "added" && strings.TrimSpace(w.Text) == "released"
		}
	}
	if !released {
		t.Errorf("diff 000/002 lacks \"released\"")
	}
	var art map[string]any
	if code := do(t, "GET", srv.URL()+"/v1/articles/002", "", nil, &art); code != 200 || art["title"] != "" || art["family"] == nil {
		t.Errorf("GET article: %d %v", code, art)
	}
	// Posting the same article again changes nothing.
	text, _ := os.ReadFile(files[0])
	body, _ := json.Marshal(map[string]string{"id": "000", "text": string(text)})
	if code := do(t, "POST", srv.URL()+"/v1/articles", "", body, nil); code != http.StatusOK {
		t.Errorf("re-POST: %d, want 200", code)
	}
	if st := srv.Engine.Stats(); st.Articles != 4 {
		t.Errorf("articles=%d after re-POST", st.Articles)
	}
	resp, err := http.Get(srv.URL() + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(raw), "newsdedup_articles 4") {
		t.Errorf("metrics lack the article gauge:\n%s", raw)
	}
}

func TestBadRequests(t *testing.T) {
	srv := MustOpenServer(t, "s3cret")
	good, _ := json.Marshal(map[string]string{"id": "a", "text": "Dock workers at the northern grain terminal walked out on Saturday, halting exports for the third day in a row."})
	for _, tc := range []struct {
		name, method, path, token string
		body                      []byte
		code                      int
		msg                       string
	}{
		{"invalid JSON", "POST", "/v1/articles", "s3cret", []byte("{not json"), 400, "invalid JSON"},
		{"20 MB body", "POST", "/v1/articles", "s3cret", append([]byte(`{"id":"x","text":"`), bytes.Repeat([]byte("a"), 20<<20)...), 413, "request body over"},
		{"missing text", "POST", "/v1/articles", "s3cret", []byte(`{"id":"x"}`), 400, "text required"},
		{"html without url", "POST", "/v1/articles", "s3cret", []byte(`{"html":"<p>x</p>"}`), 400, "url required"},
		{"no token", "POST", "/v1/articles", "", good, 401, "bearer token"},
		{"wrong token", "POST", "/v1/articles", "guess", good, 401, "bearer token"},
		{"unknown article", "GET", "/v1/articles/nope", "", nil, 404, "no article nope"},
		{"unknown family", "GET", "/v1/families/f-nope", "", nil, 404, "no family"},
		{"unknown story", "GET", "/v1/stories/s-nope", "", nil, 404, "no story"},
		{"diff without b", "GET", "/v1/diff?a=x", "", nil, 400, "required"},
		{"bad limit", "GET", "/v1/stories?limit=0", "", nil, 400, "limit"},
		{"bad cursor", "GET", "/v1/stories?cursor=!!!", "", nil, 400, "cursor"},
	} {
		var out map[string]string
		code := do(t, tc.method, srv.URL()+tc.path, tc.token, tc.body, &out)
		if code != tc.code || !strings.Contains(out["error"], tc.msg) {
			t.Errorf("%s: %d %q, want %d with %q", tc.name, code, out["error"], tc.code, tc.msg)
		}
	}
	if st := srv.Engine.Stats(); st.Articles != 0 {
		t.Errorf("bad requests stored %d articles", st.Articles)
	}
	if code := do(t, "POST", srv.URL()+"/v1/articles", "s3cret", good, nil); code != 201 {
		t.Errorf("good request with the token: %d", code)
	}
	if code := do(t, "GET", srv.URL()+"/healthz", "", nil, nil); code != 200 {
		t.Errorf("healthz: %d", code)
	}
	_ = newsdedup.EINVALID
}

// TestArticleLang: the language given in the request, or found in the text,
// is the article's lang.
func TestArticleLang(t *testing.T) {
	srv := MustOpenServer(t, "")
	for _, tc := range []struct{ id, text, lang, want string }{
		{"zh1", "第56届东盟外长会议13日在印度尼西亚首都雅加达开幕，各国外长就地区合作和国际形势交换意见。会议期间，双方就共同关心的问题进行了沟通。", "", "zh"},
		{"de1", "Die Außenminister der zehn Mitgliedstaaten trafen sich am Donnerstag in Jakarta, um über die Lage in der Region zu sprechen.", "", "de"},
		{"xx1", "The foreign ministers of the ten member states met in Jakarta on Thursday to discuss the situation in the region.", "en-GB", "en-GB"},
	} {
		body, _ := json.Marshal(map[string]string{"id": tc.id, "text": tc.text, "lang": tc.lang})
		var pl httpapi.PlacementJSON
		if code := do(t, "POST", srv.URL()+"/v1/articles", "", body, &pl); code != http.StatusCreated {
			t.Fatalf("POST %s: %d", tc.id, code)
		}
		var got struct {
			Lang string `json:"lang"`
		}
		if code := do(t, "GET", srv.URL()+"/v1/articles/"+tc.id, "", nil, &got); code != 200 || got.Lang != tc.want {
			t.Errorf("GET %s: %d lang %q, want %q", tc.id, code, got.Lang, tc.want)
		}
	}
}
