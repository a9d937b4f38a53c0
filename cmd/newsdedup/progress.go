package main

import (
	"fmt"
	"io"
	"os"
	"time"
)

// progress prints a one-line reading status on a terminal: articles read,
// their rate and the errors so far, at most four times a second.
type progress struct {
	w                io.Writer
	start, last      time.Time
	articles, errors int
}

// newProgress returns a progress line for w, or nil when w is not a
// terminal (output piped or redirected: no progress is printed).
func newProgress(w io.Writer) *progress {
	f, ok := w.(*os.File)
	if !ok {
		return nil
	}
	if fi, err := f.Stat(); err != nil || fi.Mode()&os.ModeCharDevice == 0 {
		return nil
	}
	now := time.Now()
	return &progress{w: w, start: now, last: now}
}

func (p *progress) update(articles, errors int) {
	p.articles, p.errors = articles, errors
	if now := time.Now(); now.Sub(p.last) >= 250*time.Millisecond {
		p.last = now
		p.print()
	}
}

func (p *progress) print() {
	rate := float64(p.articles) / max(time.Since(p.start).Seconds(), 1e-3)
	fmt.Fprintf(p.w, "\rread %d articles (%.0f/s), %d errors ", p.articles, rate, p.errors)
}

func (p *progress) done() {
	if p.articles+p.errors > 0 && time.Since(p.start) >= 250*time.Millisecond {
		p.print()
		fmt.Fprintln(p.w)
	}
}
