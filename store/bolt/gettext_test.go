package bolt_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/newsdedup/newsdedup"
)

// GetText reads a record as Get does, without its signature and anchors.
func TestGetText(t *testing.T) {
	s := MustOpenStore(t, t.TempDir())
	ctx := context.Background()
	rec := &newsdedup.Record{
		Article: newsdedup.Article{ID: "a", URL: "https://news.example/a", Title: "Budget passes", Published: time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC),
			Lang: "en", Body: []string{"The council approved the budget.", "The mayor welcomed it."}, Credits: []string{"Reuters"}},
		Exact: 7, Tokens: 11, Shingles: []uint64{1, 2, 3}, Sig: []uint64{4, 5, 6, 7}, Anchors: []uint64{8, 9}, Story: 3,
	}
	if err := s.Put(ctx, []*newsdedup.Record{rec}, nil); err != nil {
		t.Fatal(err)
	}
	whole, err := s.Get(ctx, "a")
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.GetText(ctx, "a")
	if err != nil {
		t.Fatal(err)
	}
	want := *whole
	want.Sig, want.Anchors = nil, nil
	if !reflect.DeepEqual(*got, want) || len(whole.Sig) != 4 || len(whole.Anchors) != 2 {
		t.Errorf("GetText=%+v, want %+v", *got, want)
	}
	if _, err := s.GetText(ctx, "b"); newsdedup.ErrorCode(err) != newsdedup.ENOTFOUND {
		t.Errorf("GetText of an absent article: %v, want ENOTFOUND", err)
	}
}
