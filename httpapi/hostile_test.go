package httpapi_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"io"
	"math"
	"net/http"
	"strconv"
	"strings"
	"testing"
)

// article is a valid post body with id and text.
func article(id, text string) []byte {
	b, _ := json.Marshal(map[string]string{"id": id, "text": text})
	return b
}

const someText = "The city council approved the new budget on Tuesday after a long debate about schools and roads.\n\nThe mayor said the vote was a relief for the families who depend on the bus lines."

func TestHostileIDs(t *testing.T) {
	srv := MustOpenServer(t, "")
	for _, id := range []string{strings.Repeat("x", 40000), "a/b/c", ".", "..", "a\x00b", "a b", "\u202eevil", "a?b", "a#b", "50%", "\xff\xfe"} {
		var e struct{ Error string }
		if code := do(t, "POST", srv.URL()+"/v1/articles", "", article(id, someText), &e); code != http.StatusBadRequest || e.Error == "" {
			t.Errorf("id %.20q: status %d, error %q; want 400 with a reason", id, code, e.Error)
		}
	}
	// The engine still writes, and says it is healthy.
	if code := do(t, "POST", srv.URL()+"/v1/articles", "", article("ok-1", someText), nil); code != http.StatusCreated {
		t.Fatalf("valid post after hostile ones: %d", code)
	}
	var h map[string]string
	if code := do(t, "GET", srv.URL()+"/healthz", "", nil, &h); code != http.StatusOK || h["status"] != "ok" {
		t.Errorf("healthz: %d %v", code, h)
	}
	if st := srv.Engine.Stats(); st.Articles != 1 {
		t.Errorf("stored %d articles, want 1", st.Articles)
	}
	// What is accepted can be addressed.
	if code := do(t, "GET", srv.URL()+"/v1/articles/ok-1", "", nil, nil); code != http.StatusOK {
		t.Errorf("GET the stored id: %d", code)
	}
}

func TestHostileFields(t *testing.T) {
	srv := MustOpenServer(t, "")
	for name, body := range map[string]map[string]string{
		"title":  {"id": "t", "text": someText, "title": strings.Repeat("T", 100000)},
		"url":    {"id": "u", "text": someText, "url": "http://x/" + strings.Repeat("u", 100000)},
		"source": {"id": "s", "text": someText, "source": strings.Repeat("S", 100000)},
	} {
		raw, _ := json.Marshal(body)
		if code := do(t, "POST", srv.URL()+"/v1/articles", "", raw, nil); code != http.StatusBadRequest {
			t.Errorf("%s of 100,000 bytes: status %d, want 400", name, code)
		}
	}
	if st := srv.Engine.Stats(); st.Articles != 0 {
		t.Errorf("stored %d articles, want 0", st.Articles)
	}
}

func TestIDConflict(t *testing.T) {
	srv := MustOpenServer(t, "")
	if code := do(t, "POST", srv.URL()+"/v1/articles", "", article("same", someText), nil); code != http.StatusCreated {
		t.Fatalf("first post: %d", code)
	}
	if code := do(t, "POST", srv.URL()+"/v1/articles", "", article("same", someText), nil); code != http.StatusOK {
		t.Errorf("same id, same text: %d, want 200 (idempotent)", code)
	}
	var e struct{ Error string }
	other := "An entirely different report about a football match played in the rain on Sunday afternoon.\n\nThe home side won two to one."
	if code := do(t, "POST", srv.URL()+"/v1/articles", "", article("same", other), &e); code != http.StatusConflict || !strings.Contains(e.Error, "same") {
		t.Errorf("same id, other text: %d %q, want 409 naming the id", code, e.Error)
	}
}

func TestHugeCursor(t *testing.T) {
	srv := MustOpenServer(t, "")
	if code := do(t, "POST", srv.URL()+"/v1/articles", "", article("c-1", someText), nil); code != http.StatusCreated {
		t.Fatal(code)
	}
	for _, n := range []int64{math.MaxInt64, math.MaxInt64 - 5, 1 << 62, -1} {
		c := base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(n, 10)))
		for _, path := range []string{"/v1/stories?cursor=" + c, "/?cursor=" + c, "/v1/stories?limit=500&cursor=" + c} {
			resp, err := http.Get(srv.URL() + path)
			if err != nil {
				t.Fatalf("GET %s: %v (handler panicked?)", path, err)
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusBadRequest {
				t.Errorf("GET %s: %d, want 400", path, resp.StatusCode)
			}
		}
	}
}

func TestCrossSiteWrites(t *testing.T) {
	srv := MustOpenServer(t, "")
	for name, h := range map[string]map[string]string{
		"text/plain":            {"Content-Type": "text/plain"},
		"no content type":       {},
		"form":                  {"Content-Type": "application/x-www-form-urlencoded"},
		"cross-site JSON":       {"Content-Type": "application/json", "Sec-Fetch-Site": "cross-site"},
		"cross-site text/plain": {"Content-Type": "text/plain", "Sec-Fetch-Site": "cross-site"},
		"foreign origin":        {"Content-Type": "application/json", "Origin": "https://evil.example"},
	} {
		req, _ := http.NewRequest("POST", srv.URL()+"/v1/articles", bytes.NewReader(article("x-"+strconv.Itoa(len(name)), someText)))
		for k, v := range h {
			req.Header.Set(k, v)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode < 400 || resp.StatusCode >= 500 {
			t.Errorf("%s: status %d, want a 4xx refusal", name, resp.StatusCode)
		}
	}
	// The upload form refuses another site's page too.
	req, _ := http.NewRequest("POST", srv.URL()+"/add", strings.NewReader("text="+someText))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site /add: %d, want 403", resp.StatusCode)
	}
	if st := srv.Engine.Stats(); st.Articles != 0 {
		t.Errorf("stored %d articles from refused requests", st.Articles)
	}
	// Same-origin browser writes and plain clients go through.
	req, _ = http.NewRequest("POST", srv.URL()+"/v1/articles", bytes.NewReader(article("same-origin", someText)))
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Errorf("same-origin JSON post: %d, want 201", resp.StatusCode)
	}
}

// Every answer under /v1/ is JSON, unknown paths and methods included;
// lists are [] when empty, never null; scores are rounded as in the CLI.
func TestJSONEverywhere(t *testing.T) {
	srv := MustOpenServer(t, "")
	var p struct {
		Relations []struct{ Score float64 }
		Story     *struct{ ID string }
	}
	if code := do(t, "POST", srv.URL()+"/v1/articles", "", article("j-1", someText), &p); code != http.StatusCreated || p.Story == nil {
		t.Fatalf("post: %d %+v", code, p)
	}
	do(t, "POST", srv.URL()+"/v1/articles", "", article("j-2", someText+" And more."), &p)
	for _, r := range p.Relations {
		if r.Score != math.Round(r.Score*10000)/10000 {
			t.Errorf("score %v is not rounded to 4 decimals", r.Score)
		}
	}
	for _, path := range []string{"/v1/nope", "/v1/articles/j-1/extra", "/v1/"} {
		resp, err := http.Get(srv.URL() + path)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		var e struct{ Error string }
		if resp.StatusCode != http.StatusNotFound || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") || json.Unmarshal(raw, &e) != nil || e.Error == "" {
			t.Errorf("GET %s: %d %s %q; want a JSON 404", path, resp.StatusCode, resp.Header.Get("Content-Type"), raw)
		}
	}
	resp, err := http.Get(srv.URL() + "/v1/stories")
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if strings.Contains(string(raw), "null") && strings.Contains(string(raw), `"outlets":null`) {
		t.Errorf("outlets null in %s", raw)
	}
	if !strings.Contains(string(raw), `"outlets":[]`) {
		t.Errorf("want outlets [] for articles with no source: %s", raw)
	}
}

// A body holds one JSON object of valid UTF-8; a repost of a stored article
// answers with its stored relations; static files are served, folders not.
func TestBodiesAndReposts(t *testing.T) {
	srv := MustOpenServer(t, "")
	two := append(article("z1", someText), article("z2", someText)...)
	if code := do(t, "POST", srv.URL()+"/v1/articles", "", two, nil); code != http.StatusBadRequest {
		t.Errorf("two objects in one body: %d, want 400", code)
	}
	bad := []byte(`{"id":"u1","text":"caf` + "\xe9" + ` society is a phrase of many words here"}`)
	if code := do(t, "POST", srv.URL()+"/v1/articles", "", bad, nil); code != http.StatusBadRequest {
		t.Errorf("invalid UTF-8: %d, want 400", code)
	}
	if st := srv.Engine.Stats(); st.Articles != 0 {
		t.Fatalf("%d articles stored from refused bodies", st.Articles)
	}
	do(t, "POST", srv.URL()+"/v1/articles", "", article("r1", someText), nil)
	do(t, "POST", srv.URL()+"/v1/articles", "", article("r2", someText), nil)
	var p struct {
		Stored    bool
		Relations []struct{ Kind string }
	}
	if code := do(t, "POST", srv.URL()+"/v1/articles", "", article("r2", someText), &p); code != http.StatusOK || !p.Stored || len(p.Relations) == 0 {
		t.Errorf("repost: %d %+v, want 200, stored, with its exact relation", code, p)
	}
	resp, err := http.Get(srv.URL() + "/static/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("GET /static/: %d, want 404 (no listing)", resp.StatusCode)
	}
}
