package pipeline_test

import (
	"context"
	"sync"

	"github.com/newsdedup/newsdedup"
)

// memStore is a newsdedup.Store in memory, for measuring the engine
// without a disk.
type memStore struct {
	params newsdedup.Params
	mu     sync.Mutex
	recs   []*newsdedup.Record
	ids    map[newsdedup.ArticleID]*newsdedup.Record
	rels   []newsdedup.Relation
	relAt  map[[3]string]int // index in rels of each relation key
}

var _ newsdedup.Store = (*memStore)(nil)

func newMemStore(p newsdedup.Params) *memStore {
	return &memStore{params: p, ids: make(map[newsdedup.ArticleID]*newsdedup.Record)}
}

func (s *memStore) Params() newsdedup.Params { return s.params }

func (s *memStore) Put(ctx context.Context, recs []*newsdedup.Record, rels []newsdedup.Relation) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range recs {
		if s.ids[r.Article.ID] != nil {
			return newsdedup.Errorf(newsdedup.EINVALID, "article %s is stored already", r.Article.ID)
		}
	}
	for _, r := range recs {
		r.Seq = uint64(len(s.recs) + 1)
		s.recs = append(s.recs, r)
		s.ids[r.Article.ID] = r
	}
	// A relation stored again under its key (A, B, kind) replaces the old.
	if s.relAt == nil {
		s.relAt = make(map[[3]string]int)
	}
	for _, r := range rels {
		k := [3]string{string(r.A), string(r.B), string(r.Kind)}
		if i, ok := s.relAt[k]; ok {
			s.rels[i] = r
			continue
		}
		s.relAt[k] = len(s.rels)
		s.rels = append(s.rels, r)
	}
	return nil
}

func (s *memStore) Get(ctx context.Context, id newsdedup.ArticleID) (*newsdedup.Record, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r := s.ids[id]; r != nil {
		return r, nil
	}
	return nil, newsdedup.Errorf(newsdedup.ENOTFOUND, "no article %s", id)
}

func (s *memStore) Has(ctx context.Context, id newsdedup.ArticleID) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.ids[id] != nil, nil
}

func (s *memStore) Each(ctx context.Context, fn func(*newsdedup.Record) error) error {
	s.mu.Lock()
	recs := s.recs
	s.mu.Unlock()
	for _, r := range recs {
		if err := fn(r); err != nil {
			return err
		}
	}
	return nil
}

func (s *memStore) EachRelation(ctx context.Context, fn func(newsdedup.Relation) error) error {
	s.mu.Lock()
	rels := s.rels
	s.mu.Unlock()
	for _, r := range rels {
		if err := fn(r); err != nil {
			return err
		}
	}
	return nil
}

func (s *memStore) Relations(ctx context.Context, id newsdedup.ArticleID) ([]newsdedup.Relation, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []newsdedup.Relation
	for _, r := range s.rels {
		if r.A == id || r.B == id {
			out = append(out, r)
		}
	}
	return out, nil
}

func (s *memStore) Counts(ctx context.Context) (articles, relations int, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.recs), len(s.rels), nil
}

func (s *memStore) Close() error { return nil }

// copies counts the stored relations other than same_story.
func (s *memStore) copies() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, r := range s.rels {
		if r.Kind != newsdedup.KindSameStory {
			n++
		}
	}
	return n
}
