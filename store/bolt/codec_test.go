package bolt

import (
	"bytes"
	"encoding/gob"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/newsdedup/newsdedup"
)

func fullRecord() *newsdedup.Record {
	return &newsdedup.Record{
		Article: newsdedup.Article{ID: "id-ü", Input: "in.html", URL: "https://x.example/a", Source: "x.example", Title: "Tïtle",
			Published: time.Date(2023, 7, 13, 9, 30, 0, 5, time.FixedZone("", 7200)), Fetched: time.Date(2023, 7, 14, 0, 0, 0, 0, time.UTC),
			Lang: "de", Body: []string{"one", "", "three"}, Credits: []string{"AFP"}, Digest: 1<<64 - 1},
		Seq: 7, Exact: 1 << 63, Tokens: 42, Shingles: []uint64{1, 2, 1 << 60}, Sig: []uint64{9}, Anchors: []uint64{0, 5},
		Story: 3, Stored: time.Date(2024, 1, 2, 3, 4, 5, 6, time.UTC),
	}
}

// The codec decodes to what gob decodes, for a record with every field
// set and for an empty one; a record cut anywhere is an error, never a
// panic; gob records of older stores still decode.
func TestCodec(t *testing.T) {
	if n := reflect.TypeOf(newsdedup.Record{}).NumField(); n != recordFields {
		t.Fatalf("newsdedup.Record has %d fields, the codec knows %d: add the new one to encodeRecord and decodeBinary", n, recordFields)
	}
	if n := reflect.TypeOf(newsdedup.Article{}).NumField(); n != articleFields {
		t.Fatalf("newsdedup.Article has %d fields, the codec knows %d: add the new one to encodeRecord and decodeBinary", n, articleFields)
	}
	s := &Store{path: "test"}
	for _, want := range []*newsdedup.Record{fullRecord(), {Article: newsdedup.Article{ID: "e"}}} {
		raw, err := encodeRecord(want)
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.decodeRecord([]byte(want.Article.ID), raw)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		gob.NewEncoder(&buf).Encode(want)
		viaGob, err := s.decodeRecord([]byte(want.Article.ID), buf.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, viaGob) {
			t.Errorf("codec gives %+v\ngob gives   %+v", got, viaGob)
		}
		for cut := 2; cut < len(raw); cut++ {
			if _, err := s.decodeRecord([]byte(want.Article.ID), raw[:cut]); err == nil {
				t.Fatalf("a record cut at %d of %d bytes decoded", cut, len(raw))
			}
		}
	}
}

func BenchmarkDecodeRecord(b *testing.B) {
	s := &Store{path: "bench"}
	raw, _ := encodeRecord(fullRecord())
	var buf bytes.Buffer
	gob.NewEncoder(&buf).Encode(fullRecord())
	b.Run("codec", func(b *testing.B) {
		for b.Loop() {
			s.decodeRecord([]byte("id-ü"), raw)
		}
	})
	b.Run("gob", func(b *testing.B) {
		for b.Loop() {
			s.decodeRecord([]byte("id-ü"), buf.Bytes())
		}
	})
	// A record the size of a Reuters article's: 20 paragraphs, 300
	// shingles, read as cold articles are (GetText).
	r := fullRecord()
	r.Article.Body = make([]string, 20)
	for i := range r.Article.Body {
		r.Article.Body[i] = strings.Repeat("word ", 24)
	}
	r.Shingles, r.Sig = make([]uint64, 300), make([]uint64, 128)
	article, _ := encodeRecord(r)
	b.Run("text", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(article)))
		for b.Loop() {
			decodeText(article, new(newsdedup.Record))
		}
	})
}

func fullRelation() newsdedup.Relation {
	return newsdedup.Relation{A: "a-ü", B: "b", Kind: newsdedup.KindSameStory, Jaccard: 0.25, Containment: 1, Score: 1.75,
		Evidence: &newsdedup.Evidence{Kept: 1, Changed: 2, Removed: 3, Added: 4, Shared: 500, Longest: 6,
			Terms:     []newsdedup.SharedTerm{{Term: "flood", Weight: 0.5}, {Term: "", Weight: 0}},
			Entities:  []newsdedup.SharedTerm{{Term: "men=4", Weight: 1}},
			Conflicts: []newsdedup.Conflict{{What: "men", Article: []string{"4"}, Story: []string{"5", ""}}, {What: "lead"}}}}
}

// The relation codec decodes to what gob decodes, evidence or none,
// empty lists and a -0 score included; a relation cut anywhere is an
// error, never a panic; gob relations of older stores still decode.
func TestRelationCodec(t *testing.T) {
	for _, c := range []struct {
		typ  reflect.Type
		want int
	}{
		{reflect.TypeOf(newsdedup.Relation{}), relationFields},
		{reflect.TypeOf(newsdedup.Evidence{}), evidenceFields},
		{reflect.TypeOf(newsdedup.Conflict{}), conflictFields},
		{reflect.TypeOf(newsdedup.SharedTerm{}), termFields},
	} {
		if n := c.typ.NumField(); n != c.want {
			t.Fatalf("%v has %d fields, the relation codec knows %d: add the new one to encodeRelation and decodeBinaryRelation", c.typ, n, c.want)
		}
	}
	s := &Store{path: "test"}
	empty := newsdedup.Relation{A: "a", B: "b", Kind: newsdedup.KindExact, Score: math.Copysign(0, -1),
		Evidence: &newsdedup.Evidence{Terms: []newsdedup.SharedTerm{}, Conflicts: []newsdedup.Conflict{{Article: []string{}}}}}
	for _, want := range []newsdedup.Relation{fullRelation(), {A: "a", B: "b", Kind: newsdedup.KindVersion, Jaccard: 0.5}, empty, {}} {
		raw := encodeRelation(&want)
		got, err := s.decodeRelation([]byte("k"), raw)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := gob.NewEncoder(&buf).Encode(want); err != nil {
			t.Fatal(err)
		}
		viaGob, err := s.decodeRelation([]byte("k"), buf.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, viaGob) || math.Signbit(got.Score) != math.Signbit(viaGob.Score) {
			t.Errorf("codec gives %+v (evidence %+v)\ngob gives   %+v (evidence %+v)", got, got.Evidence, viaGob, viaGob.Evidence)
		}
		for cut := 0; cut < len(raw); cut++ {
			if _, err := s.decodeRelation([]byte("k"), raw[:cut]); err == nil {
				t.Fatalf("a relation cut at %d of %d bytes decoded", cut, len(raw))
			}
		}
	}
}

func BenchmarkRelationCodec(b *testing.B) {
	rel := fullRelation()
	rel.Evidence.Terms, rel.Evidence.Entities, rel.Evidence.Conflicts = nil, nil, nil
	b.Run("codec", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			encodeRelation(&rel)
		}
	})
	b.Run("gob", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var buf bytes.Buffer
			gob.NewEncoder(&buf).Encode(rel)
		}
	})
}
