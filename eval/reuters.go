package eval

import (
	"fmt"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/newsdedup/newsdedup"
)

var (
	reutersRe      = regexp.MustCompile(`(?s)<REUTERS[^>]*NEWID="(\d+)"[^>]*>(.*?)</REUTERS>`)
	reutersDateRe  = regexp.MustCompile(`<DATE>\s*([^<]+?)\s*</DATE>`)
	reutersTitleRe = regexp.MustCompile(`(?s)<TITLE>(.*?)</TITLE>`)
	reutersBodyRe  = regexp.MustCompile(`(?s)<BODY>(.*?)</BODY>`)
	reutersParaRe  = regexp.MustCompile(`\n\s{3,}`)
)

// Reuters reads the Reuters-21578 collection (reut2-*.sgm, Latin-1 SGML) in
// dir: one article per record with a body, paragraphs split where the
// original indents, source "Reuters".
func Reuters(dir string) ([]*newsdedup.Article, error) {
	files, err := filepath.Glob(filepath.Join(dir, "reut2-*.sgm"))
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("%s: no reut2-*.sgm files", dir)
	}
	var out []*newsdedup.Article
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		text := latin1(raw)
		for _, m := range reutersRe.FindAllStringSubmatch(text, -1) {
			body := reutersBodyRe.FindStringSubmatch(m[2])
			if body == nil {
				continue
			}
			a := &newsdedup.Article{
				ID:     newsdedup.ArticleID("reuters-" + m[1]),
				Input:  fmt.Sprintf("%s#%s", filepath.Base(f), m[1]),
				Source: "Reuters",
			}
			if t := reutersTitleRe.FindStringSubmatch(m[2]); t != nil {
				a.Title = html.UnescapeString(strings.TrimSpace(t[1]))
			}
			if d := reutersDateRe.FindStringSubmatch(m[2]); d != nil {
				a.Published, _ = time.Parse("2-Jan-2006 15:04:05", strings.SplitN(d[1], ".", 2)[0])
			}
			b := strings.TrimSpace(html.UnescapeString(body[1]))
			b = strings.TrimSuffix(strings.TrimSpace(strings.TrimSuffix(b, "\x03")), "Reuter")
			for _, p := range reutersParaRe.Split(b, -1) {
				p = strings.Join(strings.Fields(p), " ")
				if p != "" {
					a.Body = append(a.Body, p)
				}
			}
			if len(a.Body) > 0 {
				out = append(out, a)
			}
		}
	}
	return out, nil
}

// latin1 decodes ISO-8859-1 bytes.
func latin1(b []byte) string {
	r := make([]rune, len(b))
	for i, c := range b {
		r[i] = rune(c)
	}
	return string(r)
}
