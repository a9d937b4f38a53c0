package bolt

import (
	"bytes"
	"encoding/gob"
	"reflect"
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
}
