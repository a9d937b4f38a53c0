package httpapi_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// FuzzAPI sends arbitrary methods, paths, queries and bodies to the
// handler: none may panic or answer 5xx. The seeds cover every route.
func FuzzAPI(f *testing.F) {
	srv := MustOpenServer(f, "")
	h := srv.Handler()
	seed := func(method, target, ctype, body string) {
		f.Add(method, target, ctype, body)
	}
	seed("POST", "/v1/articles", "application/json", string(article("seed-1", someText)))
	seed("POST", "/v1/articles", "application/json", `{"html":"<html><body><p>hi</p></body></html>","url":"http://a/b"}`)
	seed("POST", "/v1/articles", "application/json", `{"id":"x","text":"a","published":"99999-01-01"}`)
	seed("POST", "/v1/articles", "text/plain", `{}`)
	seed("GET", "/v1/articles/seed-1", "", "")
	seed("GET", "/v1/families/f-seed-1", "", "")
	seed("GET", "/v1/stories?q=council&since=2020-01-01&limit=3&cursor=MTA", "", "")
	seed("GET", "/v1/stories/s-seed-1", "", "")
	seed("GET", "/v1/diff?a=seed-1&b=seed-1", "", "")
	seed("GET", "/?q=x&cursor=OTIyMzM3MjAzNjg1NDc3NTgwNw", "", "")
	seed("GET", "/stories/s-seed-1", "", "")
	seed("GET", "/families/f-seed-1?b=seed-1", "", "")
	seed("GET", "/diff?a=seed-1&b=nope", "", "")
	seed("GET", "/articles/seed-1", "", "")
	seed("POST", "/add", "application/x-www-form-urlencoded", "text=hello+world&title=t")
	seed("POST", "/add", "multipart/form-data; boundary=X", "--X\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.jsonl\"\r\n\r\n{\"id\":\"j\",\"text\":\"some words here\"}\r\n--X--\r\n")
	seed("GET", "/healthz", "", "")
	seed("GET", "/metrics", "", "")
	f.Fuzz(func(t *testing.T, method, target, ctype, body string) {
		if !strings.HasPrefix(target, "/") || strings.ContainsAny(target, " \r\n\t") {
			target = "/" + strings.NewReplacer(" ", "", "\r", "", "\n", "", "\t", "").Replace(target)
		}
		switch method {
		case "GET", "POST", "PUT", "DELETE", "HEAD":
		default:
			method = "GET"
		}
		req, err := http.NewRequest(method, "http://example.test"+target, strings.NewReader(body))
		if err != nil {
			return
		}
		if ctype != "" {
			req.Header.Set("Content-Type", ctype)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("%s %s (%s, %q): %d %s", method, target, ctype, body, rec.Code, rec.Body.String())
		}
	})
}
