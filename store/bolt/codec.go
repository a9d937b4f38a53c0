package bolt

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/newsdedup/newsdedup"
)

// Records are stored in a compact binary layout (codec 1): a 0 byte (which
// never begins a gob message, as records of stores made before it are),
// the codec number, then the fields in their order in newsdedup.Record
// and newsdedup.Article: strings and byte strings as a uvarint length and
// the bytes, integers as varints, hash lists as a uvarint count and 8
// little-endian bytes each, times as time.MarshalBinary's bytes. Decoding
// it costs a tenth of gob's, which compiles the type of every record anew
// (a record is a gob stream of its own): it is most of opening a store.

const codec = 1

// recordFields and articleFields are the field counts the codec knows:
// a test fails when a field is added to either type and not here.
const (
	recordFields  = 9
	articleFields = 11
)

type writer struct{ b []byte }

func (w *writer) uvarint(x uint64) { w.b = binary.AppendUvarint(w.b, x) }
func (w *writer) varint(x int64)   { w.b = binary.AppendVarint(w.b, x) }
func (w *writer) bytes(p []byte)   { w.uvarint(uint64(len(p))); w.b = append(w.b, p...) }
func (w *writer) str(s string)     { w.uvarint(uint64(len(s))); w.b = append(w.b, s...) }
func (w *writer) strs(ss []string) {
	w.uvarint(uint64(len(ss)))
	for _, s := range ss {
		w.str(s)
	}
}
func (w *writer) hashes(xs []uint64) {
	w.uvarint(uint64(len(xs)))
	for _, x := range xs {
		w.b = binary.LittleEndian.AppendUint64(w.b, x)
	}
}
func (w *writer) time(t time.Time) error {
	raw, err := t.MarshalBinary()
	if err != nil {
		return err
	}
	w.bytes(raw)
	return nil
}

// encodeRecord encodes r in the codec's layout.
func encodeRecord(r *newsdedup.Record) ([]byte, error) {
	a := &r.Article
	n := 64 + len(a.ID) + len(a.Input) + len(a.URL) + len(a.Source) + len(a.Title) + 8*(len(r.Shingles)+len(r.Sig)+len(r.Anchors))
	for _, p := range a.Body {
		n += len(p) + 2
	}
	w := &writer{b: make([]byte, 0, n)}
	w.b = append(w.b, 0, codec)
	w.str(string(a.ID))
	w.str(a.Input)
	w.str(a.URL)
	w.str(a.Source)
	w.str(a.Title)
	if err := w.time(a.Published); err != nil {
		return nil, err
	}
	if err := w.time(a.Fetched); err != nil {
		return nil, err
	}
	w.str(a.Lang)
	w.strs(a.Body)
	w.strs(a.Credits)
	w.uvarint(a.Digest)
	w.uvarint(r.Seq)
	w.uvarint(r.Exact)
	w.varint(int64(r.Tokens))
	w.hashes(r.Shingles)
	w.hashes(r.Sig)
	w.hashes(r.Anchors)
	w.varint(int64(r.Story))
	if err := w.time(r.Stored); err != nil {
		return nil, err
	}
	return w.b, nil
}

var errShort = errors.New("record cut short")

type reader struct {
	b   []byte
	err error
}

func (r *reader) uvarint() uint64 {
	if r.err != nil {
		return 0
	}
	x, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.err = errShort
		return 0
	}
	r.b = r.b[n:]
	return x
}

func (r *reader) varint() int64 {
	if r.err != nil {
		return 0
	}
	x, n := binary.Varint(r.b)
	if n <= 0 {
		r.err = errShort
		return 0
	}
	r.b = r.b[n:]
	return x
}

func (r *reader) bytes() []byte {
	n := r.uvarint()
	if r.err != nil || n > uint64(len(r.b)) {
		r.err = errShort
		return nil
	}
	p := r.b[:n:n]
	r.b = r.b[n:]
	return p
}

func (r *reader) str() string { return string(r.bytes()) }

func (r *reader) strs() []string {
	n := r.uvarint()
	if r.err != nil || n > uint64(len(r.b)) { // every string takes a byte at least
		r.err = errShort
		return nil
	}
	if n == 0 {
		return nil
	}
	// The strings share one allocation, of the bytes they span (lengths
	// included): a body of 20 paragraphs is one allocation, not 20.
	span := r.b
	for range n {
		l, k := binary.Uvarint(span)
		if k <= 0 || l > uint64(len(span)-k) {
			r.err = errShort
			return nil
		}
		span = span[k+int(l):]
	}
	all := string(r.b[:len(r.b)-len(span)])
	out := make([]string, n)
	off := 0
	for i := range out {
		l, k := binary.Uvarint(r.b[off:])
		off += k
		out[i] = all[off : off+int(l)]
		off += int(l)
	}
	r.b = span
	return out
}

func (r *reader) hashes() []uint64 {
	n := r.uvarint()
	if r.err != nil || n > uint64(len(r.b))/8 {
		r.err = errShort
		return nil
	}
	if n == 0 {
		return nil
	}
	out := make([]uint64, n)
	for i := range out {
		out[i] = binary.LittleEndian.Uint64(r.b[8*i:])
	}
	r.b = r.b[8*n:]
	return out
}

// skipHashes reads past what hashes would read.
func (r *reader) skipHashes() {
	n := r.uvarint()
	if r.err != nil || n > uint64(len(r.b))/8 {
		r.err = errShort
		return
	}
	r.b = r.b[8*n:]
}

func (r *reader) time() time.Time {
	raw := r.bytes()
	var t time.Time
	if r.err == nil {
		if err := t.UnmarshalBinary(raw); err != nil {
			r.err = err
		}
	}
	return t
}

// decodeBinary decodes what encodeRecord encoded.
func decodeBinary(raw []byte, rec *newsdedup.Record) error {
	return decode(raw, rec, false)
}

// decodeText is decodeBinary leaving rec.Sig and rec.Anchors nil: they are
// skipped, not decoded.
func decodeText(raw []byte, rec *newsdedup.Record) error {
	return decode(raw, rec, true)
}

// decode decodes raw into rec, without the signature and anchors if lean.
func decode(raw []byte, rec *newsdedup.Record, lean bool) error {
	if len(raw) < 2 || raw[0] != 0 || raw[1] != codec {
		return fmt.Errorf("not a record of codec %d", codec)
	}
	r := &reader{b: raw[2:]}
	a := &rec.Article
	a.ID = newsdedup.ArticleID(r.str())
	a.Input = r.str()
	a.URL = r.str()
	a.Source = r.str()
	a.Title = r.str()
	a.Published = r.time()
	a.Fetched = r.time()
	a.Lang = r.str()
	a.Body = r.strs()
	a.Credits = r.strs()
	a.Digest = r.uvarint()
	rec.Seq = r.uvarint()
	rec.Exact = r.uvarint()
	tokens := r.varint()
	rec.Shingles = r.hashes()
	if lean {
		r.skipHashes()
		r.skipHashes()
	} else {
		rec.Sig = r.hashes()
		rec.Anchors = r.hashes()
	}
	story := r.varint()
	rec.Stored = r.time()
	if r.err == nil && len(r.b) != 0 {
		r.err = fmt.Errorf("%d bytes after the record", len(r.b))
	}
	if tokens < 0 || tokens > math.MaxInt32 || story < 0 || story > math.MaxInt32 {
		r.err = fmt.Errorf("token count %d or story %d out of range", tokens, story)
	}
	rec.Tokens, rec.Story = int(tokens), int(story)
	return r.err
}

// Relations are stored in a binary layout of their own (relation codec
// 1), made as the records' is: a 0 byte (stores made before it hold gob
// relations, which never begin with one), the codec number, then A, B
// and Kind as strings, Jaccard, Containment and Score as 8 little-endian
// bytes of their IEEE 754 bits, and a byte saying whether Evidence
// follows: its six counts as varints, then Terms and Entities (a count,
// then each term and its weight) and Conflicts (a count, then each
// What, Article and Story). A gob relation is a stream of its own, type
// included: 540 bytes on average where this takes 100 (same_story
// relations carry their terms), and 80 times the time to encode. Both decode to the same relation (an empty list to nil, a
// -0 score to 0, as gob does).

const relCodec = 1

// relationFields, evidenceFields, conflictFields and termFields are the
// field counts the relation codec knows: a test fails when a field is
// added to one of those types and not here.
const (
	relationFields = 7
	evidenceFields = 9
	conflictFields = 3
	termFields     = 2
)

func (w *writer) float(f float64) {
	w.b = binary.LittleEndian.AppendUint64(w.b, math.Float64bits(f))
}

func (w *writer) terms(ts []newsdedup.SharedTerm) {
	w.uvarint(uint64(len(ts)))
	for _, t := range ts {
		w.str(t.Term)
		w.float(t.Weight)
	}
}

// encodeRelation encodes rel in the relation codec's layout.
func encodeRelation(rel *newsdedup.Relation) []byte {
	w := &writer{b: make([]byte, 0, 48+len(rel.A)+len(rel.B)+len(rel.Kind))}
	w.b = append(w.b, 0, relCodec)
	w.str(string(rel.A))
	w.str(string(rel.B))
	w.str(string(rel.Kind))
	w.float(rel.Jaccard)
	w.float(rel.Containment)
	w.float(rel.Score)
	ev := rel.Evidence
	if ev == nil {
		w.b = append(w.b, 0)
		return w.b
	}
	w.b = append(w.b, 1)
	for _, n := range [...]int{ev.Kept, ev.Changed, ev.Removed, ev.Added, ev.Shared, ev.Longest} {
		w.varint(int64(n))
	}
	w.terms(ev.Terms)
	w.terms(ev.Entities)
	w.uvarint(uint64(len(ev.Conflicts)))
	for _, c := range ev.Conflicts {
		w.str(c.What)
		w.strs(c.Article)
		w.strs(c.Story)
	}
	return w.b
}

func (r *reader) float() float64 {
	if r.err != nil || len(r.b) < 8 {
		r.err = errShort
		return 0
	}
	f := math.Float64frombits(binary.LittleEndian.Uint64(r.b))
	r.b = r.b[8:]
	if f == 0 {
		return 0 // gob keeps no sign of a zero
	}
	return f
}

// count reads a list's length, of items of at least least bytes each.
func (r *reader) count(least uint64) int {
	n := r.uvarint()
	if r.err != nil || n > uint64(len(r.b))/least {
		r.err = errShort
		return 0
	}
	return int(n)
}

func (r *reader) terms() []newsdedup.SharedTerm {
	n := r.count(9) // a string's length and a weight
	if n == 0 {
		return nil
	}
	out := make([]newsdedup.SharedTerm, n)
	for i := range out {
		out[i].Term = r.str()
		out[i].Weight = r.float()
	}
	return out
}

// decodeBinaryRelation decodes what encodeRelation encoded.
func decodeBinaryRelation(raw []byte, rel *newsdedup.Relation) error {
	if len(raw) < 2 || raw[0] != 0 || raw[1] != relCodec {
		return fmt.Errorf("not a relation of codec %d", relCodec)
	}
	r := &reader{b: raw[2:]}
	rel.A = newsdedup.ArticleID(r.str())
	rel.B = newsdedup.ArticleID(r.str())
	rel.Kind = newsdedup.Kind(r.str())
	rel.Jaccard = r.float()
	rel.Containment = r.float()
	rel.Score = r.float()
	switch {
	case r.err != nil:
	case len(r.b) == 0:
		r.err = errShort
	case r.b[0] > 1:
		r.err = fmt.Errorf("evidence flag %d", r.b[0])
	case r.b[0] == 1:
		r.b = r.b[1:]
		ev := new(newsdedup.Evidence)
		var n [6]int64
		for i := range n {
			if n[i] = r.varint(); n[i] < math.MinInt32 || n[i] > math.MaxInt32 {
				r.err = fmt.Errorf("evidence count %d out of range", n[i])
			}
		}
		ev.Kept, ev.Changed, ev.Removed, ev.Added, ev.Shared, ev.Longest = int(n[0]), int(n[1]), int(n[2]), int(n[3]), int(n[4]), int(n[5])
		ev.Terms = r.terms()
		ev.Entities = r.terms()
		if k := r.count(3); k > 0 { // three lengths
			ev.Conflicts = make([]newsdedup.Conflict, k)
			for i := range ev.Conflicts {
				c := &ev.Conflicts[i]
				c.What = r.str()
				c.Article = r.strs()
				c.Story = r.strs()
			}
		}
		rel.Evidence = ev
	default:
		r.b = r.b[1:]
	}
	if r.err == nil && len(r.b) != 0 {
		r.err = fmt.Errorf("%d bytes after the relation", len(r.b))
	}
	return r.err
}
