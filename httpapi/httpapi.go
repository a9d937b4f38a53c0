// Package httpapi serves a newsdedup engine over HTTP as JSON: add an
// article and see where it landed, read articles, families and stories,
// diff two articles, plus /healthz and Prometheus /metrics.
package httpapi

import (
	"bytes"
	"context"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/newsdedup/newsdedup"
	"github.com/newsdedup/newsdedup/align"
	"github.com/newsdedup/newsdedup/extract"
	"github.com/newsdedup/newsdedup/ingest"
	"github.com/newsdedup/newsdedup/pipeline"
	"github.com/newsdedup/newsdedup/report"
)

// MaxBody is the largest request body accepted.
const MaxBody = 8 << 20

// Server serves an Engine. Create it with NewServer, then Open.
type Server struct {
	Engine *pipeline.Engine
	// Token, if set, is required as "Authorization: Bearer TOKEN" on writes.
	Token  string
	Logger *slog.Logger

	srv *http.Server
	ln  net.Listener
	mux *http.ServeMux

	requests, errors4xx, errors5xx, added atomic.Int64
	latencyNanos                          atomic.Int64
}

// NewServer returns a server over e.
func NewServer(e *pipeline.Engine, logger *slog.Logger) *Server {
	if logger == nil {
		logger = slog.Default()
	}
	s := &Server{Engine: e, Logger: logger, mux: http.NewServeMux()}
	s.mux.HandleFunc("POST /v1/articles", s.postArticle)
	s.mux.HandleFunc("GET /v1/articles/{id}", s.getArticle)
	s.mux.HandleFunc("GET /v1/families/{id}", s.getFamily)
	s.mux.HandleFunc("GET /v1/stories", s.listStories)
	s.mux.HandleFunc("GET /v1/stories/{id}", s.getStory)
	s.mux.HandleFunc("GET /v1/diff", s.getDiff)
	s.mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		err := s.Engine.Health()
		if err == nil {
			ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
			err = s.Engine.Ping(ctx)
			cancel()
		}
		if err != nil {
			writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "error", "error": err.Error()})
			return
		}
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	s.mux.HandleFunc("GET /metrics", s.metrics)
	// Anything else under /v1/ is a JSON error, as every API answer is.
	s.mux.HandleFunc("/v1/", func(w http.ResponseWriter, r *http.Request) {
		s.Error(w, r, newsdedup.Errorf(newsdedup.ENOTFOUND, "no endpoint %s %s", r.Method, r.URL.Path))
	})
	s.registerWeb()
	return s
}

// Handler returns the server's handler, with logging and limits.
func (s *Server) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		limit := int64(MaxBody)
		if r.URL.Path == "/add" {
			limit = MaxUpload
		}
		r.Body = http.MaxBytesReader(rec, r.Body, limit)
		if err := crossOrigin.Check(r); err != nil {
			// A browser sent a write from another site's page (CSRF).
			s.Error(rec, r, errCrossOrigin)
		} else {
			s.mux.ServeHTTP(rec, r)
		}
		d := time.Since(start)
		s.requests.Add(1)
		s.latencyNanos.Add(int64(d))
		switch {
		case rec.status >= 500:
			s.errors5xx.Add(1)
		case rec.status >= 400:
			s.errors4xx.Add(1)
		}
		s.Logger.Info("request", "method", r.Method, "path", r.URL.Path, "status", rec.status, "duration", d)
	})
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

// Open listens on addr (":0" picks a port) and serves in the background.
func (s *Server) Open(addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	s.ln = ln
	s.srv = &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
	}
	go s.srv.Serve(ln)
	return nil
}

// URL returns the server's base URL.
func (s *Server) URL() string { return "http://" + s.ln.Addr().String() }

// Close stops accepting requests and waits for those in flight, until ctx ends.
func (s *Server) Close(ctx context.Context) error {
	if s.srv == nil {
		return nil
	}
	return s.srv.Shutdown(ctx)
}

// Error writes err as {"error": "..."} with the status its code maps to.
// Uncoded errors are logged and shown as "Internal error.".
func (s *Server) Error(w http.ResponseWriter, r *http.Request, err error) {
	code, msg := s.status(r, err)
	writeJSON(w, code, map[string]string{"error": msg})
}

// status maps err to an HTTP status and the message a user sees; uncoded
// errors are logged.
func (s *Server) status(r *http.Request, err error) (int, string) {
	var mbe *http.MaxBytesError
	var code int
	msg := err.Error()
	switch {
	case errors.As(err, &mbe):
		return http.StatusRequestEntityTooLarge, fmt.Sprintf("request body over %d bytes", mbe.Limit)
	case errors.Is(err, errUnauthorized):
		return http.StatusUnauthorized, msg
	case errors.Is(err, errCrossOrigin):
		return http.StatusForbidden, msg
	case errors.Is(err, errMediaType):
		return http.StatusUnsupportedMediaType, msg
	case errors.Is(err, newsdedup.ErrUnavailable):
		s.Logger.Warn("service unavailable", "path", r.URL.Path, "err", err)
		return http.StatusServiceUnavailable, "The store cannot be reached: try again later."
	}
	switch newsdedup.ErrorCode(err) {
	case newsdedup.EINVALID:
		code = http.StatusBadRequest
	case newsdedup.ENOTFOUND:
		code = http.StatusNotFound
	case newsdedup.ECONFLICT:
		code = http.StatusConflict
	default:
		s.Logger.Error("internal error", "path", r.URL.Path, "err", err)
		return http.StatusInternalServerError, "Internal error."
	}
	var e *newsdedup.Error
	if errors.As(err, &e) {
		msg = e.Message
	}
	return code, clip(msg)
}

// clip cuts a message to 512 bytes, at a character boundary: an error
// quoting what the client sent (a 100 KB ID) need not send it back whole.
func clip(msg string) string {
	const max = 512
	if len(msg) <= max {
		return msg
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(msg[cut]) {
		cut--
	}
	return msg[:cut] + "…"
}

// userMessage is what a user reads of err: its coded message, or
// "Internal error." for an uncoded one.
func userMessage(err error) string {
	var e *newsdedup.Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "Internal error."
}

var errUnauthorized = errors.New("a valid bearer token is required to write")

// crossOrigin refuses writes that a browser sends from another site's page
// (Sec-Fetch-Site or Origin tell); clients that are not browsers send
// neither header and are let through.
var crossOrigin = http.NewCrossOriginProtection()

var errCrossOrigin = errors.New("cross-origin writes are refused: send the request from this server's own page or from a client that is not a browser")

// errMediaType is the error of a write whose body is not declared as JSON.
var errMediaType = errors.New("Content-Type must be application/json")

// isJSON reports whether r declares a JSON body.
func isJSON(r *http.Request) bool {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return err == nil && (mt == "application/json" || strings.HasPrefix(mt, "application/") && strings.HasSuffix(mt, "+json"))
}

func (s *Server) authorized(r *http.Request) bool {
	if s.Token == "" {
		return true
	}
	got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	return ok && subtle.ConstantTimeCompare([]byte(got), []byte(s.Token)) == 1
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(v)
}

// ArticleRequest is the body of POST /v1/articles: an article in the
// generic JSON format, or an HTML page with its URL.
type ArticleRequest struct {
	ingest.Record
	HTML string `json:"html,omitempty"`
}

func (s *Server) postArticle(w http.ResponseWriter, r *http.Request) {
	if !s.authorized(r) {
		s.Error(w, r, errUnauthorized)
		return
	}
	if !isJSON(r) {
		s.Error(w, r, errMediaType)
		return
	}
	var req ArticleRequest
	raw, err := io.ReadAll(r.Body)
	if err != nil {
		s.Error(w, r, err) // over MaxBody: 413
		return
	}
	if !utf8.Valid(raw) {
		s.Error(w, r, newsdedup.Errorf(newsdedup.EINVALID, "body is not valid UTF-8"))
		return
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	if err := dec.Decode(&req); err != nil {
		s.Error(w, r, newsdedup.Errorf(newsdedup.EINVALID, "invalid JSON: %v", err))
		return
	}
	if _, err := dec.Token(); err != io.EOF {
		s.Error(w, r, newsdedup.Errorf(newsdedup.EINVALID, "one JSON object per request: the body goes on after it (post each article on its own, or use /add for JSON lines)"))
		return
	}
	a, err := requestArticle(&req)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	pls, err := s.Engine.Add(r.Context(), []*newsdedup.Article{a})
	if err == nil {
		err = pls[0].Err
	}
	if err != nil {
		s.Error(w, r, err)
		return
	}
	code, pl := http.StatusCreated, pls[0]
	if pl.Existing {
		// Stored already: say where it is, with its stored relations.
		code = http.StatusOK
		if p, err := s.Engine.Placement(r.Context(), pl.ID); err == nil {
			pl = p
		}
	} else {
		s.added.Add(1)
	}
	writeJSON(w, code, placementJSON(pl))
}

// requestArticle turns a request into an article with an ID.
func requestArticle(req *ArticleRequest) (*newsdedup.Article, error) {
	var a *newsdedup.Article
	var err error
	if req.HTML != "" {
		if req.URL == "" {
			return nil, newsdedup.Errorf(newsdedup.EINVALID, "url required with html")
		}
		a, err = extract.HTML(req.URL, []byte(req.HTML), req.URL)
		if err != nil {
			return nil, err
		}
		if req.Title != "" {
			a.Title = req.Title
		}
		if req.Source != "" {
			a.Source = req.Source
		}
		if req.Lang != "" {
			a.Lang = req.Lang
		}
		a.ID = newsdedup.ArticleID(req.ID)
	} else {
		if req.ID == "" {
			req.ID = "-" // given an ID below
		}
		a, err = req.Record.Article("request")
		if err != nil {
			return nil, err
		}
		if req.ID == "-" {
			a.ID = ""
		}
	}
	a.URL = ingest.CanonicalURL(a.URL)
	if a.ID == "" {
		a.ID = ingest.NewID(a)
	}
	a.Input = "api"
	return a, nil
}

// Shapes of the responses: the relation, family, story and placement
// shapes are package report's, shared with the command line.
type (
	RelationJSON  = report.Relation
	FamilyJSON    = report.Family
	StoryJSON     = report.Story
	PlacementJSON = report.Placement
	// StorySummaryJSON is a story in the list: its counts and outlets.
	StorySummaryJSON struct {
		StoryJSON
		Articles    int      `json:"articles"`
		FamilyCount int      `json:"family_count"`
		Outlets     []string `json:"outlets"`
	}
	// ArticleSummaryJSON is an article in a story or family.
	ArticleSummaryJSON struct {
		ID        string     `json:"id"`
		Title     string     `json:"title"`
		Source    string     `json:"source"`
		URL       string     `json:"url,omitempty"`
		Lang      string     `json:"lang"`
		Published *time.Time `json:"published"`
		Credits   []string   `json:"credits,omitempty"`
	}
	// CopyJSON is a family member's relation to the family's original.
	CopyJSON struct {
		ArticleSummaryJSON
		Relation   RelationJSON `json:"relation"`
		IsCopy     bool         `json:"is_copy"`
		Uncredited bool         `json:"uncredited"`
	}
)

func articleSummary(a *newsdedup.Article) ArticleSummaryJSON {
	return ArticleSummaryJSON{ID: string(a.ID), Title: a.Title, Source: outlet(a), URL: a.URL, Lang: a.Lang, Published: report.Time(a.Published), Credits: a.Credits}
}

func relationJSON(x newsdedup.Relation) RelationJSON { return report.NewRelation(x) }

func familyJSON(f newsdedup.Family) FamilyJSON { return report.NewFamily(f) }

func storyJSON(s newsdedup.Story) StoryJSON { return report.NewStory(s) }

func placementJSON(p pipeline.Placement) PlacementJSON {
	return report.NewPlacement(p.ID, "", p.Existing, p.Relations, p.Family, p.Story)
}

// placed returns the stored article id and where it is; ENOTFOUND if none.
func (s *Server) placed(ctx context.Context, id newsdedup.ArticleID) (*newsdedup.Article, pipeline.Placement, error) {
	a, ok := s.Engine.Article(id)
	if !ok {
		return nil, pipeline.Placement{}, newsdedup.Errorf(newsdedup.ENOTFOUND, "no article %s", id)
	}
	p, err := s.Engine.Placement(ctx, id)
	return a, p, err
}

func (s *Server) getArticle(w http.ResponseWriter, r *http.Request) {
	a, p, err := s.placed(r.Context(), newsdedup.ArticleID(r.PathValue("id")))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, struct {
		PlacementJSON
		Title     string     `json:"title"`
		Source    string     `json:"source"`
		URL       string     `json:"url"`
		Lang      string     `json:"lang"`
		Published *time.Time `json:"published"`
		Body      []string   `json:"body"`
		Credits   []string   `json:"credits,omitempty"`
	}{placementJSON(p), a.Title, a.Source, a.URL, a.Lang, report.Time(a.Published), a.Body, a.Credits})
}

func (s *Server) getFamily(w http.ResponseWriter, r *http.Request) {
	f, ok := s.Engine.FamilyByID(r.PathValue("id"))
	if !ok {
		s.Error(w, r, newsdedup.Errorf(newsdedup.ENOTFOUND, "no family %s", r.PathValue("id")))
		return
	}
	fv := s.familyView(r.Context(), f)
	out := struct {
		FamilyJSON
		Articles []ArticleSummaryJSON `json:"articles"`
		Copies   []CopyJSON           `json:"copies"`
	}{FamilyJSON: familyJSON(f), Articles: []ArticleSummaryJSON{}, Copies: []CopyJSON{}}
	if fv.Original != nil {
		out.Articles = append(out.Articles, articleSummary(fv.Original))
	}
	for _, c := range fv.Copies {
		out.Articles = append(out.Articles, articleSummary(c.Article))
		out.Copies = append(out.Copies, CopyJSON{ArticleSummaryJSON: articleSummary(c.Article), Relation: relationJSON(c.Rel), IsCopy: c.IsCopy, Uncredited: c.Uncredited})
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) getStory(w http.ResponseWriter, r *http.Request) {
	st, fams, ok := s.Engine.StoryByID(r.PathValue("id"))
	if !ok {
		s.Error(w, r, newsdedup.Errorf(newsdedup.ENOTFOUND, "no story %s", r.PathValue("id")))
		return
	}
	out := struct {
		StoryJSON
		Articles []ArticleSummaryJSON `json:"articles"`
	}{StoryJSON: storyJSON(st), Articles: []ArticleSummaryJSON{}}
	out.Families = []FamilyJSON{}
	for _, f := range fams {
		out.Families = append(out.Families, familyJSON(f))
	}
	for _, id := range st.Members {
		if a, ok := s.Engine.Article(id); ok {
			out.Articles = append(out.Articles, articleSummary(a))
		}
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) listStories(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var since time.Time
	if v := q.Get("since"); v != "" {
		var err error
		if since, err = time.Parse("2006-01-02", v); err != nil {
			if since, err = time.Parse(time.RFC3339, v); err != nil {
				s.Error(w, r, newsdedup.Errorf(newsdedup.EINVALID, "since %q: want a date or an RFC 3339 time", v))
				return
			}
		}
	}
	limit := 20
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 500 {
			s.Error(w, r, newsdedup.Errorf(newsdedup.EINVALID, "limit %q: want 1 to 500", v))
			return
		}
		limit = n
	}
	offset, err := parseCursor(q.Get("cursor"))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	all := s.searchStories(q.Get("q"))
	if !since.IsZero() {
		all = slices.DeleteFunc(all, func(st newsdedup.Story) bool { return !st.Last.IsZero() && st.Last.Before(since) })
	}
	out := struct {
		Stories    []StorySummaryJSON `json:"stories"`
		Total      int                `json:"total"`
		NextCursor *string            `json:"next_cursor"`
	}{Stories: []StorySummaryJSON{}, Total: len(all)}
	for _, st := range all[min(offset, len(all)):min(offset+limit, len(all))] {
		sum := s.summarize(st)
		outlets := sum.Outlets
		if outlets == nil {
			outlets = []string{}
		}
		out.Stories = append(out.Stories, StorySummaryJSON{StoryJSON: storyJSON(st), Articles: len(st.Members), FamilyCount: sum.Families, Outlets: outlets})
	}
	if offset+limit < len(all) {
		c := cursor(offset + limit)
		out.NextCursor = &c
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) getDiff(w http.ResponseWriter, r *http.Request) {
	cv, err := s.compareQuery(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, struct {
		A          string          `json:"a"`
		B          string          `json:"b"`
		Passages   []align.Passage `json:"passages"`
		Relation   RelationJSON    `json:"relation"`
		IsCopy     bool            `json:"is_copy"`
		Uncredited bool            `json:"uncredited"`
	}{string(cv.A.ID), string(cv.B.ID), cv.Passages, relationJSON(cv.Rel), cv.IsCopy, cv.Uncredited})
}

func (s *Server) metrics(w http.ResponseWriter, r *http.Request) {
	st := s.Engine.Stats()
	w.Header().Set("Content-Type", "text/plain; version=0.0.4")
	fmt.Fprintf(w, "# HELP newsdedup_http_requests_total HTTP requests served.\n# TYPE newsdedup_http_requests_total counter\nnewsdedup_http_requests_total %d\n", s.requests.Load())
	fmt.Fprintf(w, "# HELP newsdedup_http_errors_total HTTP responses by class.\n# TYPE newsdedup_http_errors_total counter\nnewsdedup_http_errors_total{class=\"4xx\"} %d\nnewsdedup_http_errors_total{class=\"5xx\"} %d\n", s.errors4xx.Load(), s.errors5xx.Load())
	fmt.Fprintf(w, "# HELP newsdedup_http_request_seconds_total Time spent serving requests.\n# TYPE newsdedup_http_request_seconds_total counter\nnewsdedup_http_request_seconds_total %g\n", time.Duration(s.latencyNanos.Load()).Seconds())
	fmt.Fprintf(w, "# HELP newsdedup_articles_added_total Articles stored through the API.\n# TYPE newsdedup_articles_added_total counter\nnewsdedup_articles_added_total %d\n", s.added.Load())
	fmt.Fprintf(w, "# HELP newsdedup_articles Articles in the store.\n# TYPE newsdedup_articles gauge\nnewsdedup_articles %d\n", st.Articles)
	fmt.Fprintf(w, "# HELP newsdedup_families Copy families.\n# TYPE newsdedup_families gauge\nnewsdedup_families %d\n", st.Families)
	fmt.Fprintf(w, "# HELP newsdedup_stories Stories.\n# TYPE newsdedup_stories gauge\nnewsdedup_stories %d\n", st.Stories)
	fmt.Fprintf(w, "# HELP newsdedup_relations Stored relations.\n# TYPE newsdedup_relations gauge\nnewsdedup_relations %d\n", st.Relations)
}

// cursor encodes an offset into a list as an opaque paging cursor.
func cursor(offset int) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.Itoa(offset)))
}

// maxOffset bounds a cursor's offset, so that offset plus a page never
// overflows.
const maxOffset = 1 << 40

// parseCursor decodes a cursor; "" is the start of the list.
func parseCursor(v string) (int, error) {
	if v == "" {
		return 0, nil
	}
	if len(v) > 64 {
		return 0, newsdedup.Errorf(newsdedup.EINVALID, "invalid cursor")
	}
	raw, err := base64.RawURLEncoding.DecodeString(v)
	n, err2 := strconv.Atoi(string(raw))
	if err != nil || err2 != nil || n < 0 || n > maxOffset {
		return 0, newsdedup.Errorf(newsdedup.EINVALID, "invalid cursor")
	}
	return n, nil
}
