package httpapi

import (
	"cmp"
	"context"
	"crypto/subtle"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/newsdedup/newsdedup"
	"github.com/newsdedup/newsdedup/align"
	"github.com/newsdedup/newsdedup/cluster"
	"github.com/newsdedup/newsdedup/ingest"
)

// The web page: server-rendered html/template pages over the same engine,
// each with its JSON twin under /v1/. Templates and assets are embedded.

//go:embed web
var webFS embed.FS

// MaxUpload is the largest form accepted by the page that adds articles.
const MaxUpload = 32 << 20

// pageSize is the number of stories on one page of the list.
const pageSize = 20

var pages = parsePages("stories.html", "story.html", "compare.html", "article.html", "add.html", "error.html")

func parsePages(names ...string) map[string]*template.Template {
	funcs := template.FuncMap{
		"when":   when,
		"span":   span,
		"num":    func(f float64) string { return fmt.Sprintf("%.2f", f) },
		"kind":   func(k newsdedup.Kind) string { return strings.ReplaceAll(string(k), "_", " ") },
		"join":   func(s []string) string { return strings.Join(s, ", ") },
		"title":  articleTitle,
		"outlet": outlet,
		"iso": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.UTC().Format(time.RFC3339)
		},
	}
	out := make(map[string]*template.Template, len(names))
	for _, n := range names {
		out[n] = template.Must(template.New(n).Funcs(funcs).ParseFS(webFS, "web/layout.html", "web/"+n))
	}
	return out
}

// registerWeb adds the page routes to s's mux.
func (s *Server) registerWeb() {
	static, _ := fs.Sub(webFS, "web/static")
	files := http.StripPrefix("/static/", http.FileServerFS(static))
	s.mux.HandleFunc("GET /static/", func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/") { // no directory listings
			s.webError(w, r, newsdedup.Errorf(newsdedup.ENOTFOUND, "no page %s", r.URL.Path))
			return
		}
		files.ServeHTTP(w, r)
	})
	s.mux.HandleFunc("GET /{$}", s.webStories)
	s.mux.HandleFunc("GET /stories/{id}", s.webStory)
	s.mux.HandleFunc("GET /families/{id}", s.webFamily)
	s.mux.HandleFunc("GET /articles/{id}", s.webArticle)
	s.mux.HandleFunc("GET /diff", s.webDiff)
	s.mux.HandleFunc("GET /add", s.webAddForm)
	s.mux.Handle("POST /add", http.NewCrossOriginProtection().Handler(http.HandlerFunc(s.webAdd)))
}

// page is what the layout needs of every page.
type page struct {
	Title string // the document's title
	JSON  string // the page's JSON twin
	Nav   string // which navigation entry is current
	Data  any
}

func (s *Server) render(w http.ResponseWriter, r *http.Request, code int, name string, p page) {
	var sb strings.Builder
	if err := pages[name].ExecuteTemplate(&sb, "layout", p); err != nil {
		s.Logger.Error("render", "page", name, "err", err)
		http.Error(w, "Internal error.", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; form-action 'self'; frame-ancestors 'none'")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(code)
	w.Write([]byte(sb.String()))
}

// webError renders err as a page with the status its code maps to.
func (s *Server) webError(w http.ResponseWriter, r *http.Request, err error) {
	code, msg := s.status(r, err)
	s.render(w, r, code, "error.html", page{Title: http.StatusText(code), Data: struct {
		Code    int
		Message string
	}{code, msg}})
}

// storySummary is a story as the list shows it.
type storySummary struct {
	newsdedup.Story
	Outlets  []string
	Families int
}

// summarize returns st with its outlets and number of families.
func (s *Server) summarize(st newsdedup.Story) storySummary {
	out := storySummary{Story: st}
	if _, fams, ok := s.Engine.StoryByID(st.ID); ok {
		out.Families = len(fams)
	}
	for _, id := range st.Members {
		if a, ok := s.Engine.Article(id); ok {
			if o := outlet(a); o != "" && !slices.Contains(out.Outlets, o) {
				out.Outlets = append(out.Outlets, o)
			}
		}
	}
	return out
}

// outlet names where a was published: its source, else its URL's host.
func outlet(a *newsdedup.Article) string {
	if a.Source != "" {
		return a.Source
	}
	if u, err := url.Parse(a.URL); err == nil && u.Host != "" {
		return strings.TrimPrefix(u.Host, "www.")
	}
	return ""
}

// searchStories returns the stories, newest first, whose articles' titles
// hold every word of q (case and accents as typed are folded).
func (s *Server) searchStories(q string) []newsdedup.Story {
	all := s.Engine.Stories(time.Time{})
	words := strings.Fields(strings.ToLower(q))
	if len(words) == 0 {
		return all
	}
	var out []newsdedup.Story
	for _, st := range all {
		var titles strings.Builder
		for _, id := range st.Members {
			if a, ok := s.Engine.Article(id); ok {
				titles.WriteString(strings.ToLower(a.Title))
				titles.WriteByte('\n')
			}
		}
		t := titles.String()
		if !slices.ContainsFunc(words, func(w string) bool { return !strings.Contains(t, w) }) {
			out = append(out, st)
		}
	}
	return out
}

func (s *Server) webStories(w http.ResponseWriter, r *http.Request) {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	offset, err := parseCursor(r.URL.Query().Get("cursor"))
	if err != nil {
		s.webError(w, r, err)
		return
	}
	all := s.searchStories(q)
	data := struct {
		Query      string
		Total      int
		From, To   int
		Stories    []storySummary
		Prev, Next string
	}{Query: q, Total: len(all), From: min(offset, len(all)) + 1}
	for _, st := range all[min(offset, len(all)):min(offset+pageSize, len(all))] {
		data.Stories = append(data.Stories, s.summarize(st))
	}
	data.To = data.From + len(data.Stories) - 1
	link := func(off int) string {
		v := url.Values{}
		if q != "" {
			v.Set("q", q)
		}
		if off > 0 {
			v.Set("cursor", cursor(off))
		}
		if len(v) == 0 {
			return "/"
		}
		return "/?" + v.Encode()
	}
	if offset > 0 {
		data.Prev = link(max(0, offset-pageSize))
	}
	if offset+pageSize < len(all) {
		data.Next = link(offset + pageSize)
	}
	twin := "/v1/stories?" + strings.TrimPrefix(strings.TrimPrefix(link(offset), "/"), "?")
	s.render(w, r, http.StatusOK, "stories.html", page{Title: "Stories", JSON: strings.TrimSuffix(twin, "?"), Nav: "stories", Data: data})
}

// copyView is one member of a family beside its original.
type copyView struct {
	Article    *newsdedup.Article
	Rel        newsdedup.Relation
	IsCopy     bool // the texts are copies by the thresholds (a family may hold chained copies)
	Uncredited bool // a copy from another outlet that names neither the original's outlet nor its agencies
}

// familyView is a family with its members' articles, original first.
type familyView struct {
	ID       string
	Original *newsdedup.Article
	Copies   []copyView
}

func (s *Server) familyView(ctx context.Context, f newsdedup.Family) familyView {
	fv := familyView{ID: f.ID}
	fv.Original, _ = s.Engine.Article(f.Original)
	for _, id := range f.Members[1:] {
		a, ok := s.Engine.Article(id)
		if !ok {
			continue
		}
		rel, isCopy, err := s.Engine.Compare(ctx, f.Original, id)
		if err != nil {
			continue
		}
		fv.Copies = append(fv.Copies, copyView{Article: a, Rel: rel, IsCopy: isCopy, Uncredited: uncredited(rel, isCopy, a, fv.Original)})
	}
	return fv
}

func (s *Server) webStory(w http.ResponseWriter, r *http.Request) {
	st, fams, ok := s.Engine.StoryByID(r.PathValue("id"))
	if !ok {
		s.webError(w, r, newsdedup.Errorf(newsdedup.ENOTFOUND, "no story %s", r.PathValue("id")))
		return
	}
	data := struct {
		Story       storySummary
		Timeline    timeline
		Families    []familyView
		Independent []*newsdedup.Article
		// Why is the same_story relation by which a family's original or
		// an independent report joined the story, with its evidence
		// (shared terms, names and facts, conflicts outweighed).
		Why map[newsdedup.ArticleID]*newsdedup.Relation
	}{Story: s.summarize(st), Why: make(map[newsdedup.ArticleID]*newsdedup.Relation)}
	reads := 0 // of relations from the store, at most maxWhy
	for _, f := range fams {
		if len(f.Members) == 1 {
			if a, ok := s.Engine.Article(f.Original); ok {
				data.Independent = append(data.Independent, a)
			}
		} else {
			data.Families = append(data.Families, s.familyView(r.Context(), f))
		}
		if reads < maxWhy {
			reads++
			if rel, ok := s.joined(r.Context(), f.Original); ok {
				data.Why[f.Original] = &rel
			}
		}
	}
	data.Timeline = layoutTimeline(data.Families, data.Independent)
	s.render(w, r, http.StatusOK, "story.html", page{Title: articleTitle(st.Title), JSON: "/v1/stories/" + url.PathEscape(st.ID), Data: data})
}

// maxWhy bounds the story relations a story page reads from the store.
const maxWhy = 200

// joined returns the same_story relation by which id joined its story (the
// one naming it second), if the store holds one.
func (s *Server) joined(ctx context.Context, id newsdedup.ArticleID) (newsdedup.Relation, bool) {
	rels, err := s.Engine.Store().Relations(ctx, id)
	if err != nil {
		return newsdedup.Relation{}, false
	}
	for _, rel := range rels {
		if rel.Kind == newsdedup.KindSameStory && rel.B == id {
			return rel, true
		}
	}
	return newsdedup.Relation{}, false
}

// diffRow is one aligned passage: A's words on the left, B's on the right.
type diffRow struct {
	Op          align.Op
	Left, Right []align.Word
}

func diffRows(ps []align.Passage) []diffRow {
	out := make([]diffRow, 0, len(ps))
	for _, p := range ps {
		row := diffRow{Op: p.Op}
		switch p.Op {
		case align.Kept:
			row.Left, row.Right = []align.Word{{Op: align.Kept, Text: p.A}}, []align.Word{{Op: align.Kept, Text: p.B}}
		case align.Removed:
			row.Left = []align.Word{{Op: align.Removed, Text: p.A}}
		case align.Added:
			row.Right = []align.Word{{Op: align.Added, Text: p.B}}
		case align.Changed:
			for _, w := range p.Words {
				if w.Op != align.Added {
					row.Left = append(row.Left, w)
				}
				if w.Op != align.Removed {
					row.Right = append(row.Right, w)
				}
			}
		}
		out = append(out, row)
	}
	return out
}

// compareView is two articles side by side.
type compareView struct {
	A, B       *newsdedup.Article
	Rel        newsdedup.Relation
	IsCopy     bool
	Uncredited bool
	Passages   []align.Passage
	Rows       []diffRow
	Family     *familyView // set when comparing within a family
}

func (s *Server) compare(ctx context.Context, ida, idb newsdedup.ArticleID) (compareView, error) {
	a, okA := s.Engine.Article(ida)
	b, okB := s.Engine.Article(idb)
	switch {
	case !okA:
		return compareView{}, newsdedup.Errorf(newsdedup.ENOTFOUND, "no article %s", ida)
	case !okB:
		return compareView{}, newsdedup.Errorf(newsdedup.ENOTFOUND, "no article %s", idb)
	}
	rel, isCopy, err := s.Engine.Compare(ctx, ida, idb)
	if err != nil {
		return compareView{}, err
	}
	ps := align.Diff(newsdedup.DefaultParams, a.Body, b.Body)
	return compareView{A: a, B: b, Rel: rel, IsCopy: isCopy, Uncredited: uncredited(rel, isCopy, b, a), Passages: ps, Rows: diffRows(ps)}, nil
}

// compareQuery compares the articles named by the request's a and b.
func (s *Server) compareQuery(r *http.Request) (compareView, error) {
	ida, idb := newsdedup.ArticleID(r.URL.Query().Get("a")), newsdedup.ArticleID(r.URL.Query().Get("b"))
	if ida == "" || idb == "" {
		return compareView{}, newsdedup.Errorf(newsdedup.EINVALID, "parameters a and b (article IDs) required")
	}
	return s.compare(r.Context(), ida, idb)
}

func (s *Server) webFamily(w http.ResponseWriter, r *http.Request) {
	f, ok := s.Engine.FamilyByID(r.PathValue("id"))
	if !ok {
		s.webError(w, r, newsdedup.Errorf(newsdedup.ENOTFOUND, "no family %s", r.PathValue("id")))
		return
	}
	if len(f.Members) == 1 {
		http.Redirect(w, r, "/articles/"+url.PathEscape(string(f.Original)), http.StatusSeeOther)
		return
	}
	fv := s.familyView(r.Context(), f)
	b := newsdedup.ArticleID(r.URL.Query().Get("b"))
	if b == "" {
		b = f.Members[1]
	} else if !slices.Contains(f.Members[1:], b) {
		s.webError(w, r, newsdedup.Errorf(newsdedup.ENOTFOUND, "no copy %s in family %s", b, f.ID))
		return
	}
	cv, err := s.compare(r.Context(), f.Original, b)
	if err != nil {
		s.webError(w, r, err)
		return
	}
	cv.Family = &fv
	s.render(w, r, http.StatusOK, "compare.html", page{Title: "Family: " + articleTitle(fv.Original.Title),
		JSON: "/v1/diff?" + url.Values{"a": {string(f.Original)}, "b": {string(b)}}.Encode(), Data: cv})
}

func (s *Server) webDiff(w http.ResponseWriter, r *http.Request) {
	cv, err := s.compareQuery(r)
	if err != nil {
		s.webError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "compare.html", page{Title: "Compare two articles",
		JSON: "/v1/diff?" + url.Values{"a": {string(cv.A.ID)}, "b": {string(cv.B.ID)}}.Encode(), Data: cv})
}

func (s *Server) webArticle(w http.ResponseWriter, r *http.Request) {
	id := newsdedup.ArticleID(r.PathValue("id"))
	a, p, err := s.placed(r.Context(), id)
	if err != nil {
		s.webError(w, r, err)
		return
	}
	type related struct {
		Rel   newsdedup.Relation
		Other *newsdedup.Article
	}
	data := struct {
		Article *newsdedup.Article
		Family  newsdedup.Family
		Story   newsdedup.Story
		Related []related
	}{Article: a, Family: p.Family, Story: p.Story}
	for _, rel := range p.Relations {
		other := rel.B
		if other == id {
			other = rel.A
		}
		if o, ok := s.Engine.Article(other); ok {
			data.Related = append(data.Related, related{rel, o})
		}
	}
	slices.SortFunc(data.Related, func(x, y related) int { return cmp.Compare(y.Rel.Score, x.Rel.Score) })
	s.render(w, r, http.StatusOK, "article.html", page{Title: articleTitle(a.Title), JSON: "/v1/articles/" + url.PathEscape(string(id)), Data: data})
}

// addView is the form that adds articles and, after a post, where each landed.
type addView struct {
	NeedToken bool
	Landed    []landed
	Errors    []string
}

type landed struct {
	Article  *newsdedup.Article
	Existing bool
	Best     *newsdedup.Relation // strongest relation, if any
	Family   newsdedup.Family
	Story    newsdedup.Story
}

func (s *Server) webAddForm(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "add.html", page{Title: "Add articles", JSON: "/v1/articles", Nav: "add", Data: addView{NeedToken: s.Token != ""}})
}

func (s *Server) webAdd(w http.ResponseWriter, r *http.Request) {
	view := addView{NeedToken: s.Token != ""}
	if err := r.ParseMultipartForm(8 << 20); err != nil && !errors.Is(err, http.ErrNotMultipart) {
		s.webError(w, r, newsdedup.Errorf(newsdedup.EINVALID, "invalid form: %v", err))
		return
	}
	if s.Token != "" && subtle.ConstantTimeCompare([]byte(r.FormValue("token")), []byte(s.Token)) != 1 {
		s.webError(w, r, errUnauthorized)
		return
	}
	var arts []*newsdedup.Article
	collect := func(b *ingest.Batch) {
		arts = append(arts, b.Articles...)
		for _, err := range b.Errors {
			view.Errors = append(view.Errors, err.Error())
		}
	}
	if text := strings.TrimSpace(r.FormValue("text")); text != "" {
		req := ArticleRequest{Record: ingest.Record{Title: r.FormValue("title"), Source: r.FormValue("source"),
			Published: r.FormValue("published"), URL: r.FormValue("url"), Text: text}}
		if ingest.LooksLikeHTML([]byte(text)) {
			req.HTML, req.Text = text, ""
			if req.URL == "" {
				req.URL = "pasted"
			}
		}
		a, err := requestArticle(&req)
		if err != nil {
			view.Errors = append(view.Errors, "pasted text: "+err.Error())
		} else {
			a.Input = "pasted text"
			arts = append(arts, a)
		}
	}
	if r.MultipartForm != nil {
		for _, fh := range r.MultipartForm.File["files"] {
			f, err := fh.Open()
			if err != nil {
				view.Errors = append(view.Errors, fh.Filename+": "+err.Error())
				continue
			}
			collect(ingest.ReadNamed(fh.Filename, f))
			f.Close()
		}
	}
	if len(arts) == 0 && len(view.Errors) == 0 {
		view.Errors = append(view.Errors, "nothing to add: paste a text or choose files")
	}
	if len(arts) > 0 {
		pls, err := s.Engine.Add(r.Context(), arts)
		if err != nil {
			s.webError(w, r, err)
			return
		}
		for k, p := range pls {
			if p.Err != nil {
				view.Errors = append(view.Errors, arts[k].Input+": "+userMessage(p.Err))
				continue
			}
			l := landed{Article: arts[k], Existing: p.Existing, Family: p.Family, Story: p.Story}
			if a, ok := s.Engine.Article(p.ID); ok {
				l.Article = a
			}
			for i := range p.Relations {
				if l.Best == nil || p.Relations[i].Score > l.Best.Score {
					l.Best = &p.Relations[i]
				}
			}
			if !p.Existing {
				s.added.Add(1)
			}
			view.Landed = append(view.Landed, l)
		}
	}
	code := http.StatusOK
	if len(view.Landed) == 0 {
		code = http.StatusBadRequest
	}
	s.render(w, r, code, "add.html", page{Title: "Add articles", JSON: "/v1/articles", Nav: "add", Data: view})
}

// uncredited reports whether copy, related to original by rel, is a copy
// from another outlet (not a version) that credits neither the original's
// outlet nor an agency the original credits.
func uncredited(rel newsdedup.Relation, isCopy bool, copy, original *newsdedup.Article) bool {
	return isCopy && rel.Kind != newsdedup.KindVersion && !cluster.CreditsSource(copy, original)
}

// articleTitle is a title to show: t, or a placeholder when there is none.
func articleTitle(t string) string {
	if strings.TrimSpace(t) == "" {
		return "(untitled)"
	}
	return t
}

// when formats a publication time: the date alone at midnight UTC (a
// date-only input), else date and time.
func when(t time.Time) string {
	if t.IsZero() {
		return "undated"
	}
	t = t.UTC()
	if t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 {
		return t.Format("2 Jan 2006")
	}
	return t.Format("2 Jan 2006 15:04 UTC")
}

// span formats a story's time span.
func span(first, last time.Time) string {
	switch {
	case first.IsZero():
		return "undated"
	case when(first) == when(last):
		return when(first)
	}
	return when(first) + " – " + when(last)
}
