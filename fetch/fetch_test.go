package fetch

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestGet(t *testing.T) {
	var ua string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/page":
			ua = r.Header.Get("User-Agent")
			w.Header().Set("Content-Type", "text/html")
			w.Write([]byte("<p>hello</p>"))
		case "/big":
			w.Write([]byte(strings.Repeat("x", 2000)))
		case "/slow":
			select {
			case <-time.After(5 * time.Second):
			case <-r.Context().Done():
			}
		case "/loop":
			http.Redirect(w, r, "/loop", http.StatusFound)
		case "/file":
			http.Redirect(w, r, "file:///etc/passwd", http.StatusFound)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	ctx := context.Background()

	resp, err := Get(ctx, srv.URL+"/page", Options{})
	if err != nil || string(resp.Body) != "<p>hello</p>" || resp.ContentType != "text/html" || !strings.HasPrefix(ua, "github.com/newsdedup/newsdedup/") {
		t.Errorf("page: %v %+v ua=%q", err, resp, ua)
	}
	for _, tc := range []struct {
		url  string
		o    Options
		want string
	}{
		{"file:///etc/passwd", Options{}, "only http and https"},
		{"ftp://example.com/x", Options{}, "only http and https"},
		{"not a url", Options{}, "only http and https"},
		{srv.URL + "/big", Options{MaxBytes: 1000}, "body over 1000 bytes"},
		{srv.URL + "/slow", Options{Timeout: 200 * time.Millisecond}, "deadline exceeded"},
		{srv.URL + "/loop", Options{}, "more than 5 redirects"},
		{srv.URL + "/file", Options{}, "only http and https"},
		{srv.URL + "/missing", Options{}, "HTTP status 404"},
	} {
		_, err := Get(ctx, tc.url, tc.o)
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), tc.url) {
			t.Errorf("Get(%s)=%v, want an error naming it with %q", tc.url, err, tc.want)
		}
	}
}
