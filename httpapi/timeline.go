package httpapi

import (
	"fmt"
	"slices"
	"time"

	"github.com/newsdedup/newsdedup"
)

// timeline is a story drawn as SVG: publication time across, one row per
// family (original first, copies linked to it by an arc) and one per
// independent report; undated articles in a column of their own at the right.
type timeline struct {
	Width, Height int
	Rows          []timelineRow
	Marks         []timelineMark
	Links         []string // SVG path data, copy to original
	Ticks         []timelineTick
	AxisY         int
	Undated       bool
	UndatedX      int
	Divider       int // x of the line between dated and undated articles
	// Order is every article in order of publication (undated last): the
	// drawing's text equivalent, and the timeline on narrow screens.
	Order []timelineEntry
}

type timelineEntry struct {
	Article  *newsdedup.Article
	Role     string
	Original *newsdedup.Article // for a copy
}

type timelineRow struct {
	Y     int
	Label string
}

type timelineMark struct {
	X, Y  int
	Role  string // original, copy or independent
	ID    string
	Label string
}

type timelineTick struct {
	X      int
	Label  string
	Anchor string // SVG text-anchor: start, middle or end
}

// Geometry of the drawing, in SVG user units.
const (
	tlWidth   = 960
	tlLabel   = 200 // left column for row labels
	tlRight   = 40
	tlUndated = 90 // right column for undated articles
	tlRow     = 34
	tlTop     = 24
)

func layoutTimeline(fams []familyView, independent []*newsdedup.Article) timeline {
	type row struct {
		label string
		arts  []*newsdedup.Article
		roles []string
	}
	var order []timelineEntry
	var rows []row
	for _, f := range fams {
		rw := row{label: shorten(outletOrTitle(f.Original), 26), arts: []*newsdedup.Article{f.Original}, roles: []string{"original"}}
		for _, c := range f.Copies {
			rw.arts = append(rw.arts, c.Article)
			rw.roles = append(rw.roles, "copy")
			order = append(order, timelineEntry{Article: c.Article, Role: "copy", Original: f.Original})
		}
		rows = append(rows, rw)
		order = append(order, timelineEntry{Article: f.Original, Role: "original"})
	}
	for _, a := range independent {
		rows = append(rows, row{label: shorten(outletOrTitle(a), 26), arts: []*newsdedup.Article{a}, roles: []string{"independent"}})
		order = append(order, timelineEntry{Article: a, Role: "independent"})
	}
	slices.SortStableFunc(order, func(x, y timelineEntry) int {
		tx, ty := x.Article.Published, y.Article.Published
		if tx.IsZero() != ty.IsZero() {
			if tx.IsZero() {
				return 1
			}
			return -1
		}
		return tx.Compare(ty)
	})
	var first, last time.Time
	undated := false
	for _, rw := range rows {
		for _, a := range rw.arts {
			t := a.Published
			if t.IsZero() {
				undated = true
				continue
			}
			if first.IsZero() || t.Before(first) {
				first = t
			}
			if t.After(last) {
				last = t
			}
		}
	}
	tl := timeline{Width: tlWidth, Undated: undated, Order: order}
	x0, x1 := tlLabel, tlWidth-tlRight
	if undated {
		x1 -= tlUndated
		tl.UndatedX = tlWidth - tlRight/2 - tlUndated/2
		tl.Divider = x1 + tlRight/2
	}
	xOf := func(t time.Time) int {
		if t.IsZero() {
			return tl.UndatedX
		}
		if !last.After(first) {
			return (x0 + x1) / 2
		}
		return x0 + int(float64(x1-x0)*float64(t.Sub(first))/float64(last.Sub(first)))
	}
	for r, rw := range rows {
		y := tlTop + r*tlRow
		tl.Rows = append(tl.Rows, timelineRow{Y: y, Label: rw.label})
		ox := xOf(rw.arts[0].Published)
		for k, a := range rw.arts {
			x := xOf(a.Published)
			tl.Marks = append(tl.Marks, timelineMark{X: x, Y: y, Role: rw.roles[k], ID: string(a.ID),
				Label: fmt.Sprintf("%s — %s, %s (%s)", articleTitle(a.Title), orUnknown(outlet(a)), when(a.Published), rw.roles[k])})
			if k > 0 {
				tl.Links = append(tl.Links, fmt.Sprintf("M%d %d Q%d %d %d %d", x, y, (x+ox)/2, y-tlRow/2-4-k%3*2, ox, y))
			}
		}
	}
	tl.AxisY = tlTop + len(rows)*tlRow - tlRow/2 + 6
	tl.Height = tl.AxisY + 30
	if !first.IsZero() {
		tl.Ticks = ticks(first, last, x0, x1)
	}
	return tl
}

// ticks labels the time axis: its ends, and its middle when there is room.
func ticks(first, last time.Time, x0, x1 int) []timelineTick {
	label := when
	if last.Sub(first) < 48*time.Hour {
		label = func(t time.Time) string { return t.UTC().Format("2 Jan 15:04") }
	}
	if !last.After(first) {
		return []timelineTick{{X: (x0 + x1) / 2, Label: when(first), Anchor: "middle"}}
	}
	mid := first.Add(last.Sub(first) / 2)
	return []timelineTick{{X: x0, Label: label(first), Anchor: "start"}, {X: (x0 + x1) / 2, Label: label(mid), Anchor: "middle"}, {X: x1, Label: label(last), Anchor: "end"}}
}

func outletOrTitle(a *newsdedup.Article) string {
	if o := outlet(a); o != "" {
		return o
	}
	return articleTitle(a.Title)
}

func orUnknown(s string) string {
	if s == "" {
		return "outlet unknown"
	}
	return s
}

// shorten cuts s to at most n runes, with an ellipsis when cut.
func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
