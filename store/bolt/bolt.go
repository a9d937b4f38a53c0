// Package bolt is the embedded newsdedup store: one directory holding one
// bbolt file. Every Put is one bbolt transaction, fsynced before it
// returns, so a crash leaves a Put whole or absent.
package bolt

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/gob"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	bbolt "go.etcd.io/bbolt"

	"newsdedup"
)

var _ newsdedup.Store = (*Store)(nil)

var (
	bMeta      = []byte("meta")
	bRecords   = []byte("records")
	bOrder     = []byte("order")
	bRelations = []byte("relations")
	bRelIndex  = []byte("relindex")
	kParams    = []byte("params")
	kSeq       = []byte("seq")
)

// FileName is the name of the database file in a store's directory.
const FileName = "newsdedup.db"

// Store is a bbolt-backed newsdedup.Store. It is safe for concurrent use.
type Store struct {
	db     *bbolt.DB
	params newsdedup.Params
}

// Open opens or creates the store in dir. A new store records p; an
// existing one made with other parameters is refused with an error that
// wraps newsdedup.ErrParamsMismatch. Another process holding the store
// makes Open fail after a second.
func Open(dir string, p newsdedup.Params) (*Store, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	db, err := bbolt.Open(filepath.Join(dir, FileName), 0o644, &bbolt.Options{Timeout: time.Second})
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", dir, err)
	}
	s := &Store{db: db, params: p}
	err = db.Update(func(tx *bbolt.Tx) error {
		for _, b := range [][]byte{bMeta, bRecords, bOrder, bRelations, bRelIndex} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		meta := tx.Bucket(bMeta)
		if raw := meta.Get(kParams); raw != nil {
			var stored newsdedup.Params
			if err := json.Unmarshal(raw, &stored); err != nil {
				return fmt.Errorf("stored params: %w", err)
			}
			if stored != p {
				return fmt.Errorf("%w: store %s was made with %+v, this run uses %+v", newsdedup.ErrParamsMismatch, dir, stored, p)
			}
			return nil
		}
		raw, _ := json.Marshal(p)
		return meta.Put(kParams, raw)
	})
	if err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// Params returns the store's fingerprint parameters.
func (s *Store) Params() newsdedup.Params { return s.params }

// Close closes the store.
func (s *Store) Close() error { return s.db.Close() }

func seqKey(n uint64) []byte {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], n)
	return b[:]
}

// relKey is the key of a relation: A, B and kind, so that two articles
// may be related as copies and as one story's reports.
func relKey(a, b newsdedup.ArticleID, k newsdedup.Kind) []byte {
	key := append(append([]byte(a), 0), b...)
	return append(append(key, 0), k...)
}

func encode(v any) ([]byte, error) {
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Put stores recs and rels in one transaction.
func (s *Store) Put(ctx context.Context, recs []*newsdedup.Record, rels []newsdedup.Relation) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.db.Update(func(tx *bbolt.Tx) error {
		meta, records, order := tx.Bucket(bMeta), tx.Bucket(bRecords), tx.Bucket(bOrder)
		var seq uint64
		if raw := meta.Get(kSeq); raw != nil {
			seq = binary.BigEndian.Uint64(raw)
		}
		for _, r := range recs {
			if records.Get([]byte(r.Article.ID)) != nil {
				return newsdedup.Errorf(newsdedup.EINVALID, "article %s is stored already", r.Article.ID)
			}
			seq++
			r.Seq = seq
			if r.Stored.IsZero() {
				r.Stored = time.Now().UTC()
			}
			raw, err := encode(r)
			if err != nil {
				return fmt.Errorf("encode %s: %w", r.Article.ID, err)
			}
			if err := records.Put([]byte(r.Article.ID), raw); err != nil {
				return err
			}
			if err := order.Put(seqKey(seq), []byte(r.Article.ID)); err != nil {
				return err
			}
		}
		relations, index := tx.Bucket(bRelations), tx.Bucket(bRelIndex)
		for _, rel := range rels {
			raw, err := encode(rel)
			if err != nil {
				return err
			}
			if err := relations.Put(relKey(rel.A, rel.B, rel.Kind), raw); err != nil {
				return err
			}
			// The index finds a relation from either article: its key is
			// one article's ID, 0, then the relation's own key.
			for _, id := range []newsdedup.ArticleID{rel.A, rel.B} {
				if err := index.Put(append(append([]byte(id), 0), relKey(rel.A, rel.B, rel.Kind)...), nil); err != nil {
					return err
				}
			}
		}
		return meta.Put(kSeq, seqKey(seq))
	})
}

func decodeRecord(raw []byte) (*newsdedup.Record, error) {
	var r newsdedup.Record
	if err := gob.NewDecoder(bytes.NewReader(raw)).Decode(&r); err != nil {
		return nil, err
	}
	return &r, nil
}

// Get returns the record of id.
func (s *Store) Get(ctx context.Context, id newsdedup.ArticleID) (*newsdedup.Record, error) {
	var r *newsdedup.Record
	err := s.db.View(func(tx *bbolt.Tx) error {
		raw := tx.Bucket(bRecords).Get([]byte(id))
		if raw == nil {
			return newsdedup.Errorf(newsdedup.ENOTFOUND, "no article %s", id)
		}
		var err error
		r, err = decodeRecord(raw)
		return err
	})
	return r, err
}

// Has reports whether id is stored.
func (s *Store) Has(ctx context.Context, id newsdedup.ArticleID) (bool, error) {
	var ok bool
	err := s.db.View(func(tx *bbolt.Tx) error {
		ok = tx.Bucket(bRecords).Get([]byte(id)) != nil
		return nil
	})
	return ok, err
}

// Each calls fn with every record in arrival order.
func (s *Store) Each(ctx context.Context, fn func(*newsdedup.Record) error) error {
	return s.db.View(func(tx *bbolt.Tx) error {
		records := tx.Bucket(bRecords)
		c := tx.Bucket(bOrder).Cursor()
		for k, id := c.First(); k != nil; k, id = c.Next() {
			if err := ctx.Err(); err != nil {
				return err
			}
			r, err := decodeRecord(records.Get(id))
			if err != nil {
				return fmt.Errorf("decode %s: %w", id, err)
			}
			if err := fn(r); err != nil {
				return err
			}
		}
		return nil
	})
}

// EachRelation calls fn with every relation.
func (s *Store) EachRelation(ctx context.Context, fn func(newsdedup.Relation) error) error {
	return s.db.View(func(tx *bbolt.Tx) error {
		return tx.Bucket(bRelations).ForEach(func(k, v []byte) error {
			var rel newsdedup.Relation
			if err := gob.NewDecoder(bytes.NewReader(v)).Decode(&rel); err != nil {
				return err
			}
			return fn(rel)
		})
	})
}

// Relations returns the relations of id.
func (s *Store) Relations(ctx context.Context, id newsdedup.ArticleID) ([]newsdedup.Relation, error) {
	var out []newsdedup.Relation
	err := s.db.View(func(tx *bbolt.Tx) error {
		rels := tx.Bucket(bRelations)
		prefix := append([]byte(id), 0)
		c := tx.Bucket(bRelIndex).Cursor()
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			raw := rels.Get(k[len(prefix):])
			if raw == nil {
				return errors.New("relation index without relation")
			}
			var rel newsdedup.Relation
			if err := gob.NewDecoder(bytes.NewReader(raw)).Decode(&rel); err != nil {
				return err
			}
			out = append(out, rel)
		}
		return nil
	})
	return out, err
}

// Counts returns the number of records and relations.
func (s *Store) Counts(ctx context.Context) (int, int, error) {
	var a, r int
	err := s.db.View(func(tx *bbolt.Tx) error {
		a = tx.Bucket(bRecords).Stats().KeyN
		r = tx.Bucket(bRelations).Stats().KeyN
		return nil
	})
	return a, r, err
}
