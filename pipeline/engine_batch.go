package pipeline

import (
	"context"
	"sync"

	"github.com/newsdedup/newsdedup"
	"github.com/newsdedup/newsdedup/cluster"
	"github.com/newsdedup/newsdedup/fingerprint"
)

// An Engine's Add works by batch where a batch allows it, as Run does:
// the copies of every new article are found on cfg's workers, first among
// the stored articles, then among the new articles before it in the batch
// (a small index of the batch alone). Families and stories are then placed
// one article after the other, as before. The one difference from adding
// the articles one by one: a winnowed anchor counts as boilerplate
// (Config.MaxAnchorPosting) when the stored articles or the batch alone
// hold it too often, not the two together.

// triage sets out[k].ID for every article of arts, with prints prints, and
// the Err or Existing of those not to place: invalid, stored already (same
// text) or held by another text, in the store or earlier in arts. It
// returns the indexes of the articles to place, in order. The caller holds
// add.
func (e *Engine) triage(arts []*newsdedup.Article, prints []fingerprint.Print, out []Placement) []int {
	var fresh []int
	batch := make(map[newsdedup.ArticleID]uint64) // ID -> exact hash of the articles to place
	for k, a := range arts {
		out[k].ID = a.ID
		if err := a.Check(); err != nil {
			out[k].Err = err
			continue
		}
		exact, seen := batch[a.ID]
		if j, ok := e.ids[a.ID]; ok {
			exact, seen = e.prints[j].Exact, true
		}
		if seen {
			if exact != prints[k].Exact {
				out[k].Err = newsdedup.ConflictError(a.ID, "in the store")
				continue
			}
			out[k].Existing = true
			continue
		}
		batch[a.ID] = prints[k].Exact
		fresh = append(fresh, k)
	}
	return fresh
}

// batchCopies returns, for each article arts[k] of fresh, its copy
// relations to the stored articles and to the articles of fresh before it,
// as copiesOf finds them, in arrival order, or the error of reading a
// cold candidate. The caller holds add.
func (e *Engine) batchCopies(ctx context.Context, arts []*newsdedup.Article, prints []fingerprint.Print, fresh []int) ([][]newsdedup.Relation, error) {
	// The relations are stored without the evidence the decision did not
	// need: it is computed when a relation is shown (Engine.evidence).
	cfg := e.cfg
	cfg.Evidence = false
	out := make([][]newsdedup.Relation, len(fresh))
	stored := int32(len(e.arts))
	var mu sync.Mutex
	var failed error // reading a cold candidate from the store
	var hits []newsdedup.IndexHits
	if idx := e.cfg.Index; idx != nil {
		qs := make([]newsdedup.IndexQuery, len(fresh))
		for n, k := range fresh {
			if !e.cfg.Thresholds.NearEmpty(prints[k].Tokens) {
				qs[n] = newsdedup.IndexQuery{Keys: e.keys(&prints[k], nil), Anchors: prints[k].Anchors}
			}
		}
		var err error
		if hits, err = idx.Query(ctx, qs); err != nil {
			return nil, err
		}
	}
	parallel(e.cfg, len(fresh), func(n int) {
		c := e.sets.get()
		k := fresh[n]
		if hits != nil {
			out[n] = e.copiesHit(cfg, c, arts[k], &prints[k], hits[n], stored)
		} else {
			var buf [64]uint32
			// triage left no article whose ID is stored.
			out[n] = e.copiesOf(cfg, c, arts[k], &prints[k], e.keys(&prints[k], buf[:0]), stored, true)
		}
		if c.err != nil {
			mu.Lock()
			failed = c.err
			mu.Unlock()
		}
		e.sets.put(c)
	})
	if failed != nil {
		return nil, failed
	}
	if len(fresh) < 2 {
		return out, nil
	}
	x := newCopyIndex(e.cfg)
	for _, k := range fresh {
		x.add(e.cfg, arts[k], prints[k])
	}
	parallel(e.cfg, len(fresh), func(n int) {
		k := fresh[n]
		if e.cfg.Thresholds.NearEmpty(prints[k].Tokens) && len(out[n]) > 0 {
			return // related to the first identical text already, in the store
		}
		c := e.sets.get()
		var buf [64]uint32
		out[n] = append(out[n], x.copiesOf(cfg, c, arts[k], &prints[k], x.keys(&prints[k], buf[:0]), int32(n), true)...)
		e.sets.put(c)
	})
	return out, nil
}

// replayChunk is how many records Open replays at a time: their story
// features are computed in parallel, then the records are replayed one
// after the other.
const replayChunk = 1024

// replay re-adds stored records, in arrival order, as Add placed them:
// later holds the relations of each article to earlier ones. The caller
// holds add and mu, or owns e.
func (e *Engine) replay(recs []*newsdedup.Record, later map[newsdedup.ArticleID][]newsdedup.Relation) {
	cfg := e.cfg
	feats := make([]cluster.Features, len(recs))
	parallel(cfg, len(recs), func(k int) {
		feats[k] = cluster.Featurize(cfg.Story.Features, recs[k].Article.Title, recs[k].Article.Body)
	})
	for k, r := range recs {
		a := r.Article
		i := e.admit(&a, printOf(r))
		e.relate(i, later[a.ID])
		f := feats[k]
		// As Add did: the same pins and placements make the same moves.
		joined := e.joins(i, f) >= 0
		moves := e.stories.Restore(f, a.Published, r.Story, joined)
		e.place(i, r.Story)
		if f.Content >= cfg.Story.MinContent {
			e.famStory[e.fams.Root(i)] = r.Story
		}
		e.apply(moves)
		e.seq = max(e.seq, r.Seq)
	}
}

// indexEntry returns what a shared index keeps of r, or false for a
// near-empty or empty text, which is found by its exact hash alone.
func (e *Engine) indexEntry(r *newsdedup.Record) (newsdedup.IndexEntry, bool) {
	if e.cfg.Thresholds.NearEmpty(r.Tokens) || len(r.Shingles) == 0 || len(r.Sig) == 0 {
		return newsdedup.IndexEntry{}, false
	}
	pr := printOf(r)
	return newsdedup.IndexEntry{Seq: r.Seq, Keys: e.keys(&pr, nil), Anchors: r.Anchors}, true
}

// indexRecords adds the records a Put stored to the shared index and
// records that the index is whole up to the engine's last arrival number.
// The caller holds add (and the placement lock of a shared store).
func (e *Engine) indexRecords(ctx context.Context, recs []*newsdedup.Record) error {
	var entries []newsdedup.IndexEntry
	for _, r := range recs {
		if en, ok := e.indexEntry(r); ok {
			entries = append(entries, en)
		}
	}
	if err := e.cfg.Index.Add(ctx, entries); err != nil {
		return err
	}
	return e.cfg.Index.SetIndexed(ctx, e.seq)
}

// syncIndex adds to the shared index the stored articles it lacks: those
// after the arrival number up to which it is whole (a process that stored
// them and failed to index them, or an index new to a store). The caller
// holds add.
func (e *Engine) syncIndex(ctx context.Context) error {
	idx := e.cfg.Index
	from, err := idx.Indexed(ctx)
	if err != nil || from >= e.seq {
		return err
	}
	var batch []*newsdedup.Record
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		var entries []newsdedup.IndexEntry
		for _, r := range batch {
			if en, ok := e.indexEntry(r); ok {
				entries = append(entries, en)
			}
		}
		if err := idx.Add(ctx, entries); err != nil {
			return err
		}
		err := idx.SetIndexed(ctx, batch[len(batch)-1].Seq)
		batch = batch[:0]
		return err
	}
	if ss, ok := e.store.(newsdedup.SharedStore); ok {
		for seq := from; seq < e.seq; {
			recs, _, err := ss.Since(ctx, seq, 1000)
			if err != nil || len(recs) == 0 {
				return err
			}
			for _, r := range recs {
				if r.Seq <= e.seq {
					batch = append(batch, r)
				}
			}
			seq = recs[len(recs)-1].Seq
			if err := flush(); err != nil {
				return err
			}
		}
	} else {
		err := e.store.Each(ctx, func(r *newsdedup.Record) error {
			if r.Seq <= from || r.Seq > e.seq {
				return nil
			}
			if batch = append(batch, r); len(batch) == 1000 {
				return flush()
			}
			return nil
		})
		if err != nil {
			return err
		}
		if err := flush(); err != nil {
			return err
		}
	}
	return idx.SetIndexed(ctx, e.seq)
}

// A setPool keeps the candidate sets of batchCopies' workers from batch to
// batch, garbage collections included (a sync.Pool drops what it holds
// at the second): each holds two arrays as long as the store (5 bytes an
// article), which every batch made anew before (682 MB made and cleared
// for ingest of the 190k peer corpus, in batches of 256).
type setPool struct {
	mu   sync.Mutex
	free []*candidateSet
}

// get returns a candidate set, reused or new.
func (p *setPool) get() *candidateSet {
	p.mu.Lock()
	defer p.mu.Unlock()
	if n := len(p.free); n > 0 {
		c := p.free[n-1]
		p.free = p.free[:n-1]
		return c
	}
	return new(candidateSet)
}

// put gives c back for reuse.
func (p *setPool) put(c *candidateSet) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.free = append(p.free, c)
}
