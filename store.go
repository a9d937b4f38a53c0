package newsdedup

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"time"
)

// A Record is what a Store keeps of one article: the article, its
// fingerprint and where the engine placed it.
type Record struct {
	Article  Article
	Seq      uint64   // arrival order, from 1; set by the store
	Exact    uint64   // hash of the normalized body
	Tokens   int      // word tokens in the body
	Shingles []uint64 // sorted distinct shingle hashes
	Sig      []uint64 // MinHash signature
	Anchors  []uint64 // winnowed anchors
	Story    int      // story number, in order of creation
	Stored   time.Time
}

// Stats counts what a store holds.
type Stats struct {
	Articles  int `json:"articles"`
	Families  int `json:"families"`
	Stories   int `json:"stories"`
	Relations int `json:"relations"`
}

// Store persists records and relations. Implementations must be safe for
// concurrent use, and must make each Put all-or-nothing: a crash leaves
// either every record and relation of a Put or none of them.
type Store interface {
	// Params returns the fingerprint parameters the store was made with.
	Params() Params
	// Put stores new records and relations atomically, assigning each
	// record its Seq. A record whose ID is stored already is an EINVALID
	// error and nothing is written.
	Put(ctx context.Context, recs []*Record, rels []Relation) error
	// Get returns the record of id, or an ENOTFOUND error.
	Get(ctx context.Context, id ArticleID) (*Record, error)
	// Has reports whether id is stored.
	Has(ctx context.Context, id ArticleID) (bool, error)
	// Each calls fn with every record in arrival order, then returns.
	Each(ctx context.Context, fn func(*Record) error) error
	// EachRelation calls fn with every stored relation.
	EachRelation(ctx context.Context, fn func(Relation) error) error
	// Relations returns the relations that involve id.
	Relations(ctx context.Context, id ArticleID) ([]Relation, error)
	// Counts returns the number of records and of relations.
	Counts(ctx context.Context) (articles, relations int, err error)
	Close() error
}

// A SharedStore is a Store that several processes read and write at once
// (PostgreSQL). An engine over it places articles under the store's
// placement lock, after catching up with what the others stored, and
// catches up again whenever asked.
type SharedStore interface {
	Store
	// Lock takes the placement lock, which one process at a time holds
	// until it calls unlock, waiting as long as ctx allows.
	Lock(ctx context.Context) (unlock func(), err error)
	// Since returns at most limit records stored after arrival number
	// seq, in arrival order, with the relations whose B is one of them.
	// Puts commit in the order of their arrival numbers, so a reader that
	// has read every record up to seq misses none.
	Since(ctx context.Context, seq uint64, limit int) ([]*Record, []Relation, error)
}

// A Snapshotter is a Store that keeps a snapshot of the engine's state as
// of an arrival number, so that a store of many articles opens without
// rebuilding its families and stories article by article.
type Snapshotter interface {
	// PutSnapshot keeps data as the snapshot as of arrival number seq,
	// unless the store keeps one of a later number.
	PutSnapshot(ctx context.Context, seq uint64, data []byte) error
	// Snapshot returns the latest snapshot and its arrival number, or 0
	// and nil when there is none.
	Snapshot(ctx context.Context) (seq uint64, data []byte, err error)
}

// A CandidateIndex is an index of the stored articles' LSH band keys and
// winnowed anchors that several processes share (a Redis Cluster), used
// by an engine in place of its in-memory indexes. Articles are named by
// their arrival numbers.
type CandidateIndex interface {
	// Add indexes entries. Adding an entry again is harmless.
	Add(ctx context.Context, entries []IndexEntry) error
	// Query returns, for each query, the articles sharing a band with it
	// and how many bands, and those sharing an anchor (boilerplate
	// anchors, held by too many articles, excepted).
	Query(ctx context.Context, qs []IndexQuery) ([]IndexHits, error)
	// Indexed returns the arrival number up to which every stored article
	// is indexed; SetIndexed records it.
	Indexed(ctx context.Context) (uint64, error)
	SetIndexed(ctx context.Context, seq uint64) error
	Close() error
}

// An IndexEntry is what a CandidateIndex keeps of one article.
type IndexEntry struct {
	Seq     uint64   // the article's arrival number
	Keys    []uint32 // its LSH band keys, one a band
	Anchors []uint64 // its winnowed anchors
}

// An IndexQuery is one article's band keys and anchors.
type IndexQuery struct {
	Keys    []uint32
	Anchors []uint64
}

// IndexHits are the articles a query found, by arrival number: with the
// number of bands they share, and of anchors.
type IndexHits struct {
	Bands   map[uint64]int
	Anchors map[uint64]int
}

// A TextReader is a Store that reads an article for comparing more
// cheaply than Get: its record without the signature and anchors
// (Record.Sig and Record.Anchors nil), which the copy indexes hold already.
// An engine compares the articles it keeps no text of in memory this way.
type TextReader interface {
	// GetText is Get without Sig and Anchors. It returns ENOTFOUND if no
	// article has id.
	GetText(ctx context.Context, id ArticleID) (*Record, error)
}

// An Identified store has an ID, random, made with it: what lives outside
// the store and belongs to it (a shared candidate index) is kept under it,
// so that stores sharing a Redis Cluster never see each other's articles.
type Identified interface {
	StoreID() string
}

// NewStoreID returns a new random store ID.
func NewStoreID() string {
	var b [12]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
