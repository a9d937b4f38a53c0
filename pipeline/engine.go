package pipeline

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/newsdedup/newsdedup"
	"github.com/newsdedup/newsdedup/align"
	"github.com/newsdedup/newsdedup/cluster"
	"github.com/newsdedup/newsdedup/fingerprint"
	"github.com/newsdedup/newsdedup/relate"
)

// Engine places a stream of articles against everything a Store holds:
// each new article is related to its candidate copies, joins or founds a
// family and a story, and is stored with its relations in one atomic Put.
// The candidate indexes, families and stories live in memory and are
// rebuilt from the store by Open, without recomputing any fingerprint or
// relation. An Engine is safe for concurrent use. Add calls are serialized;
// reads wait only while an Add changes the in-memory state, never while it
// finds candidates, verifies them or writes the store.
type Engine struct {
	cfg   Config
	store newsdedup.Store

	// add serializes Add (and Query, which uses the story clusterer's
	// scratch space): whoever holds it may read the state without mu, since
	// only its holder changes it. mu guards the state against readers: Add
	// holds it exclusively while it changes the state, readers share it.
	add    sync.Mutex
	mu     sync.RWMutex
	broken error   // set when the store refused a Put, until a rebuild; guarded by mu
	sets   setPool // candidate sets of copies and of batchCopies' workers
	state
}

// state is what the engine keeps in memory, rebuilt from the store by Open.
type state struct {
	copyIndex // the articles and prints, by arrival, and their copy indexes
	ids       map[newsdedup.ArticleID]int
	story     []int
	fams      *cluster.FamilySet
	stories   *cluster.Stories
	famStory  map[int]int   // family root -> story
	members   map[int][]int // story -> articles, in arrival order
	rels      int
	seq       uint64 // the highest arrival number read or written
	snapSeq   uint64 // the arrival number of the latest snapshot read or written
	coldTexts *coldCache
}

// place records that article i is in story s.
func (e *Engine) place(i, s int) {
	e.story = append(e.story, s)
	e.members[s] = append(e.members[s], i)
}

// Open returns an engine over s. It rebuilds the state from the store's
// latest snapshot, if it keeps one this build made (see SaveSnapshot), and
// the records after it; else by replaying every record in arrival order.
// Either way nothing is fingerprinted or verified again.
func Open(ctx context.Context, cfg Config, s newsdedup.Store) (*Engine, error) {
	if s.Params() != cfg.Params {
		return nil, fmt.Errorf("%w: store %+v, engine %+v", newsdedup.ErrParamsMismatch, s.Params(), cfg.Params)
	}
	snap, err := loadSnapshot(ctx, cfg, s)
	if err != nil {
		return nil, fmt.Errorf("load snapshot: %w", err)
	}
	if snap != nil {
		e, err := openFrom(ctx, cfg, s, snap)
		if !errors.Is(err, errStaleSnapshot) {
			return e, err
		}
	}
	return openFrom(ctx, cfg, s, nil)
}

// openFrom rebuilds the engine from snap and the records after it, or
// from every record without one.
func openFrom(ctx context.Context, cfg Config, s newsdedup.Store, snap *snapshot) (*Engine, error) {
	e := &Engine{cfg: cfg, store: s, state: state{
		copyIndex: newCopyIndex(cfg),
		ids:       make(map[newsdedup.ArticleID]int),
		fams:      cluster.NewFamilySet(cfg.Family),
		stories:   cluster.NewStories(cfg.Story),
		famStory:  make(map[int]int),
		members:   make(map[int][]int),
		coldTexts: newColdCache(cfg.ColdCache),
	}}
	e.copyIndex.load = e.loadCold
	e.copyIndex.shared = cfg.Index != nil
	if snap != nil {
		return e, e.openSnapshot(ctx, snap)
	}
	// Relations are applied when their later article is replayed.
	later := make(map[newsdedup.ArticleID][]newsdedup.Relation)
	err := s.EachRelation(ctx, func(r newsdedup.Relation) error {
		later[r.B] = append(later[r.B], r)
		e.rels++
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load relations: %w", err)
	}
	var chunk []*newsdedup.Record
	err = s.Each(ctx, func(r *newsdedup.Record) error {
		if chunk = append(chunk, r); len(chunk) == replayChunk {
			e.replay(chunk, later)
			chunk = chunk[:0]
		}
		return nil
	})
	if err == nil {
		e.replay(chunk, later)
	}
	if err != nil {
		return nil, fmt.Errorf("load articles: %w", err)
	}
	return e, nil
}

// openSnapshot rebuilds the state from snap, the copy indexes of the
// records it covers, and the records after it. It returns an error
// wrapping errStaleSnapshot if the store's records are not those snap
// was made of.
func (e *Engine) openSnapshot(ctx context.Context, snap *snapshot) error {
	if err := e.restore(snap); err != nil {
		return err
	}
	var after []*newsdedup.Record
	err := e.store.Each(ctx, func(r *newsdedup.Record) error {
		if r.Seq > snap.Seq {
			after = append(after, r)
			return nil
		}
		if len(e.arts) >= snap.Articles || (r.Seq == snap.Seq && r.Article.ID != snap.LastID) {
			return errStaleSnapshot
		}
		e.admitIndexed(r)
		return nil
	})
	if err != nil {
		return fmt.Errorf("load articles: %w", err)
	}
	if len(e.arts) != snap.Articles {
		return fmt.Errorf("%w: %d articles up to it, %d in it", errStaleSnapshot, len(e.arts), snap.Articles)
	}
	later := make(map[newsdedup.ArticleID][]newsdedup.Relation)
	for _, r := range after {
		rels, err := e.store.Relations(ctx, r.Article.ID)
		if err != nil {
			return fmt.Errorf("load relations: %w", err)
		}
		later[r.Article.ID] = slices.DeleteFunc(rels, func(rel newsdedup.Relation) bool { return rel.B != r.Article.ID })
	}
	for start := 0; start < len(after); start += replayChunk {
		e.replay(after[start:min(start+replayChunk, len(after))], later)
	}
	_, e.rels, err = e.store.Counts(ctx)
	return err
}

// Refresh catches up with what other processes stored in a SharedStore
// since the engine last read or wrote it, and returns how many articles it
// added. Over any other store it does nothing: no one else writes it.
func (e *Engine) Refresh(ctx context.Context) (int, error) {
	e.add.Lock()
	defer e.add.Unlock()
	return e.catchUp(ctx)
}

// catchUp is Refresh; the caller holds add.
func (e *Engine) catchUp(ctx context.Context) (int, error) {
	ss, ok := e.store.(newsdedup.SharedStore)
	if !ok {
		return 0, nil
	}
	n := 0
	for {
		recs, rels, err := ss.Since(ctx, e.seq, 1000)
		if err != nil {
			return n, fmt.Errorf("catch up with the store: %w", err)
		}
		if len(recs) == 0 {
			break
		}
		byB := make(map[newsdedup.ArticleID][]newsdedup.Relation)
		for _, r := range rels {
			byB[r.B] = append(byB[r.B], r)
		}
		var fresh []*newsdedup.Record
		for _, r := range recs {
			if _, ok := e.ids[r.Article.ID]; !ok {
				fresh = append(fresh, r)
			}
		}
		e.mu.Lock()
		e.replay(fresh, byB)
		e.seq = max(e.seq, recs[len(recs)-1].Seq) // those stored by this engine too
		e.mu.Unlock()
		n += len(fresh)
	}
	if n > 0 {
		if _, rels, err := e.store.Counts(ctx); err == nil {
			e.mu.Lock()
			e.rels = rels
			e.mu.Unlock()
		}
	}
	return n, nil
}

// joins returns the story article i, with story features f, must join as a
// copy, or -1: that of its family, unless it is a near-empty text (an error
// page served to many URLs is an exact copy of itself), which is placed on
// its own so that it glues nothing together. When it must, its family is
// pinned to that story: revision never splits it.
func (e *Engine) joins(i int, f cluster.Features) int {
	s, ok := e.famStory[e.fams.Root(i)]
	if !ok || f.Content < e.cfg.Story.MinContent {
		return -1
	}
	for _, m := range e.fams.Members(e.fams.Root(i)) {
		if m != i {
			e.stories.Pin(m)
		}
	}
	return s
}

// apply records the moves revision made.
func (e *Engine) apply(moves []cluster.Move) {
	for _, mv := range moves {
		i := mv.Item
		e.story[i] = mv.To
		e.members[mv.From] = slices.DeleteFunc(e.members[mv.From], func(m int) bool { return m == i })
		if len(e.members[mv.From]) == 0 {
			delete(e.members, mv.From)
		}
		to := e.members[mv.To]
		k, _ := slices.BinarySearch(to, i)
		e.members[mv.To] = slices.Insert(to, k, i)
		if r := e.fams.Root(i); e.famStory[r] == mv.From {
			e.famStory[r] = mv.To
		}
	}
}

// admit adds an article and its fingerprint to the in-memory indexes.
func (e *Engine) admit(a *newsdedup.Article, pr fingerprint.Print) int {
	i := e.index(a, pr)
	e.fams.Add()
	return i
}

// index adds a, with print pr, to the copy indexes and the ID map, and
// returns its number. Indexed, the signature and anchors are needed no
// more (the store keeps them): 1.2 KB an article of Reuters. The article
// Resident before it goes cold.
func (e *Engine) index(a *newsdedup.Article, pr fingerprint.Print) int {
	i := int(e.copyIndex.add(e.cfg, a, pr))
	e.prints[i].Sig, e.prints[i].Anchors = nil, nil
	if r := e.cfg.Resident; r > 0 && i >= r {
		e.chill(int32(i - r))
	}
	e.ids[a.ID] = i
	return i
}

// relate merges families over the copy relations of article i.
func (e *Engine) relate(i int, rels []newsdedup.Relation) {
	var edges []cluster.Edge
	for _, r := range rels {
		j, ok := e.ids[r.A]
		if !ok {
			continue
		}
		if ed, ok := cluster.EdgeOf(e.arts, j, i, r.Kind, r.Score); ok {
			edges = append(edges, ed)
		}
	}
	e.fams.Relate(edges)
}

// copies returns the copy relations of a, with print pr, to the stored
// articles, as a batch would find them (copiesOf). The caller holds add.
func (e *Engine) copies(a *newsdedup.Article, pr *fingerprint.Print) ([]newsdedup.Relation, error) {
	var buf [64]uint32
	keys := e.keys(pr, buf[:0])
	c := e.sets.get()
	defer e.sets.put(c)
	if idx := e.cfg.Index; idx != nil {
		hits, err := idx.Query(context.Background(), []newsdedup.IndexQuery{{Keys: keys, Anchors: pr.Anchors}})
		if err != nil {
			return nil, err
		}
		rels := e.copiesHit(e.cfg, c, a, pr, hits[0], int32(len(e.arts)))
		return rels, c.err
	}
	rels := e.copiesOf(e.cfg, c, a, pr, keys, int32(len(e.arts)), false)
	return rels, c.err
}

// loadCold reads the body and shingle set of the cold article id from the
// store, or from the cache of the cold texts read last. What it returns
// may be shared: the caller must not change it. The caller holds add or
// mu.
func (e *Engine) loadCold(id int32) (*newsdedup.Article, *fingerprint.Print, error) {
	if a, pr, ok := e.coldTexts.get(id); ok {
		return a, pr, nil
	}
	a, pr, err := e.load(e.arts[id].ID)
	if err == nil {
		e.coldTexts.put(id, a, pr)
	}
	return a, pr, err
}

// load reads article id whole from the store. It needs no lock.
func (e *Engine) load(id newsdedup.ArticleID) (*newsdedup.Article, *fingerprint.Print, error) {
	get := e.store.Get
	if tr, ok := e.store.(newsdedup.TextReader); ok {
		get = tr.GetText // the signature and anchors are not wanted
	}
	r, err := get(context.Background(), id)
	if err != nil {
		return nil, nil, fmt.Errorf("read article %s: %w", id, err)
	}
	a, pr := r.Article, printOf(r)
	pr.Sig, pr.Anchors = nil, nil
	return &a, &pr, nil
}

// whole returns stored article i and its print, whole: from memory, or,
// for a cold article, read from the store after mu is released (so that
// no write waits on a read of the store). The caller holds mu for reading;
// whole releases it.
func (e *Engine) whole(i int) (*newsdedup.Article, *fingerprint.Print, error) {
	if i >= len(e.cold) || !e.cold[i] {
		a, pr := e.arts[i], e.prints[i]
		e.mu.RUnlock()
		return a, &pr, nil
	}
	id := e.arts[i].ID
	e.mu.RUnlock()
	return e.load(id)
}

// Placement says where an article landed.
type Placement struct {
	ID       newsdedup.ArticleID
	Existing bool // the article was stored already; nothing changed
	// Err, if set, says why the article was not stored: an EINVALID field
	// (newsdedup.Article.Check) or an ECONFLICT ID, held by another text.
	// The other articles of the call are placed as if it were absent.
	Err       error
	Relations []newsdedup.Relation
	Family    newsdedup.Family
	Story     newsdedup.Story
}

// Add places arts, in order, and stores them with their relations in one
// atomic Put. Articles stored already (same ID, same text) are reported as
// Existing and change nothing, so re-adding an input is idempotent; an
// article that fails newsdedup.Article.Check, or whose ID is held by
// another text, is reported in its Placement's Err and not stored. If the
// Put fails, Add returns its error and the engine rebuilds its state from
// the store, which holds none of arts; Health reports the failure until a
// rebuild succeeds. A ctx cancelled once placement has begun does not stop
// the Put: what was placed is stored.
func (e *Engine) Add(ctx context.Context, arts []*newsdedup.Article) ([]Placement, error) {
	e.add.Lock()
	defer e.add.Unlock()
	if err := e.mend(ctx); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	unlock, err := e.lockShared(ctx)
	if err != nil {
		return nil, err
	}
	defer unlock()
	b, err := e.prepare(ctx, arts)
	if err != nil {
		return nil, err
	}
	out, err := e.placeBatch(ctx, b)
	if errors.Is(err, errPut) {
		if rerr := e.reload(context.WithoutCancel(ctx)); rerr != nil {
			return nil, fmt.Errorf("%w (and rebuilding from the store failed: %v)", err, rerr)
		}
	}
	for k := range out {
		e.evidence(out[k].Relations)
	}
	return out, err
}

// evidence gives the copy relations of rels that have none their
// paragraph alignment, as verify gives it with Config.Evidence: the
// engine stores a relation with the evidence its decision needed only,
// and the rest is computed when the relation is shown (Add's and
// Placement's relations). A relation whose articles cannot be read is
// left as it is. The caller holds add, or nothing.
func (e *Engine) evidence(rels []newsdedup.Relation) {
	if !e.cfg.Evidence {
		return
	}
	for k := range rels {
		r := &rels[k]
		if r.Evidence != nil || !r.Kind.IsCopy() {
			continue
		}
		a, pa, err := e.wholeByID(r.A)
		if err != nil {
			continue
		}
		b, pb, err := e.wholeByID(r.B)
		if err != nil {
			continue
		}
		r.Evidence = Evidence(e.cfg.Params, a, b, align.Compare(pa.Shingles, pb.Shingles).Shared)
	}
}

// errPut marks the error of a Put the store refused: the memory is then
// ahead of the store, and the caller rebuilds it (reload).
var errPut = errors.New("store")

// mend rebuilds the state from the store if a Put failed since it was
// last built. The caller holds add.
func (e *Engine) mend(ctx context.Context) error {
	if broken := e.failure(); broken != nil {
		if err := e.reload(ctx); err != nil {
			return fmt.Errorf("engine cannot write (%v); rebuilding from the store failed: %w", broken, err)
		}
	}
	return nil
}

// lockShared takes the placement lock of a SharedStore and catches up with
// what the other processes stored; it returns the unlock. Over any other
// store it does nothing. The caller holds add.
func (e *Engine) lockShared(ctx context.Context) (func(), error) {
	ss, ok := e.store.(newsdedup.SharedStore)
	if !ok {
		return func() {}, nil
	}
	// One process places at a time, knowing all the others stored.
	unlock, err := ss.Lock(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := e.catchUp(ctx); err != nil {
		unlock()
		return nil, err
	}
	return unlock, nil
}

// A prepared batch is what Add knows of a batch before it places its
// stories: fingerprints, story features, which articles to place and
// their copy relations; its articles to place are in the copy indexes
// already, numbered first to last.
type prepared struct {
	arts   []*newsdedup.Article
	prints []fingerprint.Print
	feats  []cluster.Features
	out    []Placement
	fresh  []int // indexes in arts of the articles to place
	found  [][]newsdedup.Relation
	first  int // the number of the first of fresh
}

// prepare fingerprints arts, finds the copies of those to place among the
// stored articles and each other, and adds them to the copy indexes. Only
// prepare changes the copy indexes (and ids); it does so holding mu. The
// caller holds add.
func (e *Engine) prepare(ctx context.Context, arts []*newsdedup.Article) (*prepared, error) {
	b := &prepared{arts: arts, out: make([]Placement, len(arts))}
	b.prints = Fingerprints(e.cfg, arts)
	b.feats = make([]cluster.Features, len(arts))
	parallel(e.cfg, len(arts), func(k int) {
		b.feats[k] = cluster.Featurize(e.cfg.Story.Features, arts[k].Title, arts[k].Body)
	})
	b.fresh = e.triage(arts, b.prints, b.out)
	if e.cfg.Index != nil {
		if err := e.syncIndex(ctx); err != nil {
			return nil, err
		}
	}
	var err error
	if b.found, err = e.batchCopies(ctx, arts, b.prints, b.fresh); err != nil {
		// Nothing is placed yet: the engine is as it was.
		return nil, err
	}
	e.mu.Lock()
	b.first = len(e.arts)
	for _, k := range b.fresh {
		e.index(arts[k], b.prints[k])
	}
	e.mu.Unlock()
	return b, nil
}

// placeBatch places the families and stories of the prepared batch b and
// stores it (placeStories, then storeBatch).
func (e *Engine) placeBatch(ctx context.Context, b *prepared) ([]Placement, error) {
	p := e.placeStories(b, true)
	if err := e.storeBatch(ctx, []*placed{p}); err != nil {
		return nil, err
	}
	return p.out, nil
}

// A placed batch is a prepared batch with its families and stories
// placed: what to store, and where its articles landed.
type placed struct {
	b    *prepared
	recs []*newsdedup.Record
	rels []newsdedup.Relation
	out  []Placement
}

// placeStories places the families and stories of the prepared batch b,
// one article after the other, and says where each article landed: with
// whole, in which family and story too (whose making costs what the family
// and the story hold). The caller holds add; placeStories may run while
// prepare readies the next batch and storeBatch stores the one before.
func (e *Engine) placeStories(b *prepared, whole bool) *placed {
	var recs []*newsdedup.Record
	var rels, moved []newsdedup.Relation
	out := b.out
	for n, k := range b.fresh {
		a, pr, mine := b.arts[k], b.prints[k], b.found[n]
		f := b.feats[k]
		i := b.first + n
		e.mu.Lock()
		e.fams.Add()
		e.relate(i, mine)
		join := e.joins(i, f)
		pl := e.stories.Add(f, a.Published, join)
		e.place(i, pl.Story)
		if f.Content >= e.cfg.Story.MinContent {
			e.famStory[e.fams.Root(i)] = pl.Story
		}
		e.apply(pl.Moves)
		// A same_story relation ties each article placed by similarity to
		// its story's first article, and each article revision moved to
		// its new story's.
		score := make(map[int]float64)
		if !pl.New && join < 0 {
			score[i] = pl.Score
		}
		for _, mv := range pl.Moves {
			score[mv.Item] = mv.Score
		}
		for _, j := range slices.Sorted(maps.Keys(score)) {
			// (A moved article that is now its story's first relates to
			// the next; one that revision has left alone, to none.)
			m := e.members[e.story[j]]
			if len(m) < 2 {
				continue
			}
			a, b := m[0], j
			if a == j {
				b = m[1]
			}
			r := newsdedup.Relation{A: e.arts[a].ID, B: e.arts[b].ID, Kind: newsdedup.KindSameStory, Score: score[j],
				Evidence: storyEvidence(e.stories, b, e.story[b])}
			if j == i {
				mine = append(mine, r)
			} else {
				moved = append(moved, r)
			}
		}
		e.mu.Unlock()
		rels = append(rels, mine...)
		out[k].Relations = mine
		recs = append(recs, &newsdedup.Record{Article: *a, Exact: pr.Exact, Tokens: pr.Tokens, Shingles: pr.Shingles, Sig: pr.Sig, Anchors: pr.Anchors, Story: pl.Story})
	}
	rels = append(rels, moved...)
	e.mu.RLock()
	defer e.mu.RUnlock()
	for k := range out {
		if out[k].Err != nil {
			continue
		}
		if whole {
			i := e.ids[out[k].ID]
			out[k].Family = e.family(i)
			out[k].Story = e.storyOf(e.story[i])
		}
		if out[k].Existing {
			out[k].Relations = nil
		}
		// A later article of the batch may have moved this one.
		out[k].Relations = e.holding(out[k].Relations)
	}
	return &placed{b: b, recs: recs, rels: rels, out: out}
}

// storeBatch stores the articles of the placed batches ps, in order, with
// their relations in one atomic Put. An error wrapping errPut says the
// store refused the Put: the memory is then ahead of the store until a
// reload. The caller holds add.
func (e *Engine) storeBatch(ctx context.Context, ps []*placed) error {
	recs, rels := ps[0].recs, ps[0].rels
	if len(ps) > 1 {
		recs, rels = nil, nil
		for _, p := range ps {
			recs, rels = append(recs, p.recs...), append(rels, p.rels...)
		}
	}
	if len(recs) > 0 {
		// Placed is placed: a client gone now must not leave the memory
		// ahead of the store.
		if err := e.store.Put(context.WithoutCancel(ctx), recs, rels); err != nil {
			e.mu.Lock()
			e.broken = err
			e.mu.Unlock()
			return fmt.Errorf("%w: %w", errPut, err)
		}
		// The store counts relations by key: one stored again (a move back
		// to a story) is not a new one.
		e.mu.Lock()
		e.seq = max(e.seq, recs[len(recs)-1].Seq)
		e.mu.Unlock()
		if e.cfg.Index != nil {
			// The shared index names articles by arrival number: the
			// store's must follow the engine's order.
			for _, p := range ps {
				for n, r := range p.recs {
					if i := p.b.first + n; r.Seq != uint64(i)+1 {
						return fmt.Errorf("article %s stored as number %d, placed as %d: a shared index needs the store's arrival numbers in step with the engine's", r.Article.ID, r.Seq, i+1)
					}
				}
			}
			// A failure here leaves the index behind the store; the next
			// Add catches it up (syncIndex) before it queries.
			_ = e.indexRecords(context.WithoutCancel(ctx), recs)
		}
		if _, n, err := e.store.Counts(context.WithoutCancel(ctx)); err == nil {
			e.mu.Lock()
			e.rels = n
			e.mu.Unlock()
		}
	}
	return nil
}

// AddAll places the batches next returns, until it returns false, as Add
// would one after the other, and hands each batch with its placements to
// done once it is stored; an error of done stops AddAll, which returns it.
// Three goroutines work at once: while one batch is stored, the next has
// its families and stories placed and the copies of the one after are
// found, so that placing a stream of batches keeps more than one core busy
// where Add alone keeps one. The batches placed while one Put runs are
// stored by the next, together: each Put is atomic, and a crash leaves
// whole batches stored. The result is Add's, batch for batch; a batch
// of more than a quarter of Config.Resident articles is placed (and handed
// to done) in parts of that size, so that no article goes cold before it
// is stored. next and done are called on goroutines of their own, neither
// concurrently with itself. Over a shared store or index, or when articles
// go cold within a few batches (Config.Resident below 4,096), AddAll adds
// one batch after the other.
func (e *Engine) AddAll(ctx context.Context, next func() ([]*newsdedup.Article, bool), done func([]*newsdedup.Article, []Placement) error) error {
	return e.addAll(ctx, next, done, true)
}

// IngestAll is AddAll for a caller that wants of each placement its ID,
// Existing, Err and Relations only: the Family and Story of the
// placements it hands to done are empty (Placement gives them). Sparing
// their making spares placing, one article after the other, a cost that
// grows with the families and stories an article joins.
func (e *Engine) IngestAll(ctx context.Context, next func() ([]*newsdedup.Article, bool), done func([]*newsdedup.Article, []Placement) error) error {
	return e.addAll(ctx, next, done, false)
}

// addAll is AddAll, with the Family and Story of each placement if whole.
func (e *Engine) addAll(ctx context.Context, next func() ([]*newsdedup.Article, bool), done func([]*newsdedup.Article, []Placement) error, whole bool) error {
	_, shared := e.store.(newsdedup.SharedStore)
	if shared || e.cfg.Index != nil || (e.cfg.Resident > 0 && e.cfg.Resident < pipelineResident) {
		for {
			arts, ok := next()
			if !ok {
				return nil
			}
			pls, err := e.Add(ctx, arts)
			if err != nil {
				return err
			}
			if err := done(arts, pls); err != nil {
				return err
			}
		}
	}
	e.add.Lock()
	defer e.add.Unlock()
	if err := e.mend(ctx); err != nil {
		return err
	}
	type job struct {
		b   *prepared
		err error
	}
	// One batch is prepared ahead: the goroutine waits to hand it over
	// before it prepares the next.
	jobs := make(chan job)
	quit := make(chan struct{})
	go func() {
		defer close(jobs)
		for {
			if ctx.Err() != nil {
				return
			}
			arts, ok := next()
			if !ok {
				return
			}
			for len(arts) > 0 {
				part := arts
				if r := e.cfg.Resident; r > 0 && len(part) > r/4 {
					part = part[:r/4]
				}
				arts = arts[len(part):]
				b, err := e.prepare(ctx, part)
				select {
				case jobs <- job{b, err}:
				case <-quit:
					return
				}
				if err != nil {
					return
				}
			}
		}
	}()
	// stop ends the preparing and waits for it: nothing changes the state
	// after stop returns.
	stop := func() {
		close(quit)
		for range jobs {
		}
	}
	// Stored on a third goroutine, in order: batches are stored while the
	// next is placed, storeArticles or more in one Put (or those placed
	// within storeWait), which costs less than a Put each: a commit
	// rewrites the pages it touches once however many of their keys it
	// adds. The articles placed and not stored are at most half of
	// Resident: with the batch placed and the one prepared (a quarter
	// each), no article goes cold before it is stored. A Put waits for a
	// quarter of Resident at most, so that the placing never waits for
	// room the Put holds.
	toStore := make(chan *placed, storeAhead)
	unstored, gather := newRoom(math.MaxInt), storeArticles
	if r := e.cfg.Resident; r > 0 {
		unstored, gather = newRoom(r/2), min(gather, r/4)
	}
	var failed atomic.Bool
	var storeErr error
	var storing sync.WaitGroup
	storing.Go(func() {
		for p := range toStore {
			ps, n, want := []*placed{p}, len(p.recs), gather
			wait := time.NewTimer(storeWait)
		more:
			for len(ps) < storeAhead {
				var q *placed
				var ok bool
				if n < want {
					select {
					case q, ok = <-toStore:
					case <-wait.C:
						want = 0 // what is placed meanwhile, then
						continue
					}
				} else {
					select {
					case q, ok = <-toStore:
					default:
					}
				}
				if q == nil || !ok {
					break more
				}
				ps, n = append(ps, q), n+len(q.recs)
			}
			wait.Stop()
			if storeErr == nil {
				if storeErr = e.storeBatch(ctx, ps); storeErr == nil {
					for _, q := range ps {
						if storeErr = done(q.b.arts, q.out); storeErr != nil {
							break
						}
					}
				}
				if storeErr != nil {
					failed.Store(true)
				}
			}
			for _, q := range ps {
				unstored.give(len(q.recs))
			}
		}
	})
	var err error
	for j := range jobs {
		if err = j.err; err != nil || failed.Load() {
			break
		}
		p := e.placeStories(j.b, whole)
		unstored.take(len(p.recs))
		toStore <- p
	}
	close(toStore)
	storing.Wait()
	stop()
	if err == nil {
		err = storeErr
	}
	if err != nil {
		// Batches prepared or placed ahead are in memory, not stored.
		return e.rebuild(ctx, err)
	}
	return ctx.Err()
}

// AddAll stores the batches it has placed when they hold storeArticles
// articles, or when storeWait has passed since the first, storeAhead
// batches at most, in one Put. A Put's cost is mostly the pages of the
// ID and relation indexes it rewrites, which fewer, larger Puts rewrite
// less often: ingest of the 190k peer corpus (batches of 256) spent 15.6%
// of its CPU in Puts of 1,024 articles, 12.6% in Puts of 4,096.
const (
	storeArticles = 4096
	storeWait     = 2 * time.Second
	storeAhead    = 16
)

// A room counts what is taken of a size: take waits for room.
type room struct {
	mu   sync.Mutex
	cond sync.Cond
	used int
	size int
}

func newRoom(size int) *room {
	r := &room{size: size}
	r.cond.L = &r.mu
	return r
}

// take takes n, waiting until it fits, or until nothing else is taken
// (n more than the size is taken alone).
func (r *room) take(n int) {
	r.mu.Lock()
	for r.used > 0 && r.used > r.size-n {
		r.cond.Wait()
	}
	r.used += n
	r.mu.Unlock()
}

// give gives back n taken.
func (r *room) give(n int) {
	r.mu.Lock()
	r.used -= n
	r.mu.Unlock()
	r.cond.Broadcast()
}

// pipelineResident is the least Config.Resident with which AddAll
// prepares a batch while the one before is placed: an article must not go
// cold (be read from the store when compared) before its batch is stored.
const pipelineResident = 4096

// rebuild returns err after rebuilding the state from the store, which
// holds every batch placed and none prepared and not placed. The caller
// holds add.
func (e *Engine) rebuild(ctx context.Context, err error) error {
	if rerr := e.reload(context.WithoutCancel(ctx)); rerr != nil {
		return fmt.Errorf("%w (and rebuilding from the store failed: %v)", err, rerr)
	}
	return err
}

// reload rebuilds the state from the store, after a Put the store refused
// left the memory ahead of it. The caller holds add.
func (e *Engine) reload(ctx context.Context) error {
	fresh, err := Open(ctx, e.cfg, e.store)
	if err != nil {
		return err
	}
	e.mu.Lock()
	e.state = fresh.state
	e.broken = nil
	e.mu.Unlock()
	return nil
}

// failure returns the error of the Put that the store refused, until a
// rebuild from the store succeeds.
func (e *Engine) failure() error {
	e.mu.RLock()
	defer e.mu.RUnlock()
	return e.broken
}

// Ping checks that the store answers, if it is a server.
func (e *Engine) Ping(ctx context.Context) error {
	if p, ok := e.store.(interface{ Ping(context.Context) error }); ok {
		return p.Ping(ctx)
	}
	return nil
}

// Health returns nil while the engine can store articles, else why not.
func (e *Engine) Health() error {
	if err := e.failure(); err != nil {
		return fmt.Errorf("the store refused a write (%v) and the engine could not rebuild its state from the store", err)
	}
	return nil
}

// holding returns rels without the same_story relations that no longer
// hold: revision has moved one of their articles to another story since.
func (e *Engine) holding(rels []newsdedup.Relation) []newsdedup.Relation {
	return slices.DeleteFunc(rels, func(r newsdedup.Relation) bool {
		if r.Kind != newsdedup.KindSameStory {
			return false
		}
		a, okA := e.ids[r.A]
		b, okB := e.ids[r.B]
		return !okA || !okB || e.story[a] != e.story[b]
	})
}

func (e *Engine) family(i int) newsdedup.Family {
	return cluster.FamilyOf(e.arts, e.fams.Members(e.fams.Root(i)), func(j int) int { return e.prints[j].Tokens })
}

// storyOf returns story s with its members in arrival order.
func (e *Engine) storyOf(s int) newsdedup.Story {
	st := newsdedup.Story{}
	for _, i := range e.members[s] {
		if st.ID == "" {
			st.ID = "s-" + string(e.arts[i].ID)
		}
		st.Add(e.arts[i])
	}
	return st
}

// Placement returns where the stored article id is.
func (e *Engine) Placement(ctx context.Context, id newsdedup.ArticleID) (Placement, error) {
	e.mu.RLock()
	_, ok := e.ids[id]
	e.mu.RUnlock()
	if !ok {
		return Placement{}, newsdedup.Errorf(newsdedup.ENOTFOUND, "no article %s", id)
	}
	rels, err := e.store.Relations(ctx, id)
	if err != nil {
		return Placement{}, err
	}
	e.evidence(rels)
	e.mu.RLock()
	defer e.mu.RUnlock()
	i, ok := e.ids[id]
	if !ok { // a failed Put's rebuild dropped it
		return Placement{}, newsdedup.Errorf(newsdedup.ENOTFOUND, "no article %s", id)
	}
	return Placement{ID: id, Existing: true, Relations: e.holding(rels), Family: e.family(i), Story: e.storyOf(e.story[i])}, nil
}

// Query says where a would land, without storing it or changing anything:
// its relations to stored articles, the family of its closest copy (or a
// family of its own) and the story it would join (or a new one, empty).
// An article stored already (same ID, same text) is where it is: Query
// returns its Placement, never a relation to itself.
func (e *Engine) Query(ctx context.Context, a *newsdedup.Article) (Placement, error) {
	e.add.Lock() // Peek uses the clusterer's scratch space
	defer e.add.Unlock()
	pr := Fingerprints(e.cfg, []*newsdedup.Article{a})[0]
	out := Placement{ID: a.ID}
	if i, ok := e.ids[a.ID]; ok && e.prints[i].Exact == pr.Exact {
		return e.Placement(ctx, a.ID)
	}
	var err error
	if out.Relations, err = e.copies(a, &pr); err != nil {
		return Placement{}, err
	}
	best, bestScore := -1, 0.0
	for _, r := range out.Relations {
		if cluster.JoinsFamilies(r.Kind) && r.Score > bestScore {
			best, bestScore = e.ids[r.A], r.Score
		}
	}
	if best >= 0 {
		out.Family = e.family(best)
		out.Story = e.storyOf(e.story[best])
		return out, nil
	}
	out.Family = newsdedup.Family{ID: "f-" + string(a.ID), Original: a.ID, Members: []newsdedup.ArticleID{a.ID}}
	f := cluster.Featurize(e.cfg.Story.Features, a.Title, a.Body)
	if s, score := e.stories.Peek(f, a.Published); s >= 0 && f.Content >= e.cfg.Story.MinContent {
		out.Story = e.storyOf(s)
		out.Relations = append(out.Relations, newsdedup.Relation{A: out.Story.Members[0], B: a.ID, Kind: newsdedup.KindSameStory, Score: score})
	}
	return out, nil
}

// Stats counts what the engine holds.
func (e *Engine) Stats() newsdedup.Stats {
	e.mu.RLock()
	defer e.mu.RUnlock()
	return newsdedup.Stats{Articles: len(e.arts), Families: e.fams.Count(), Stories: len(e.members), Relations: e.rels}
}

// Families returns every family, original first, in order of their
// original's arrival.
func (e *Engine) Families() []newsdedup.Family {
	e.mu.RLock()
	defer e.mu.RUnlock()
	var out []newsdedup.Family
	seen := make(map[int]bool)
	for i := range e.arts {
		r := e.fams.Root(i)
		if !seen[r] {
			seen[r] = true
			out = append(out, e.family(i))
		}
	}
	return out
}

// Stories returns the stories with an article published (or, undated,
// stored) since since, newest first.
func (e *Engine) Stories(since time.Time) []newsdedup.Story {
	e.mu.RLock()
	defer e.mu.RUnlock()
	var out []newsdedup.Story
	for s := range e.members {
		st := e.storyOf(s)
		if !since.IsZero() && !st.Last.IsZero() && st.Last.Before(since) {
			continue
		}
		out = append(out, st)
	}
	slices.SortFunc(out, func(a, b newsdedup.Story) int {
		if c := b.Last.Compare(a.Last); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out
}

// Article returns the stored article id.
func (e *Engine) Article(id newsdedup.ArticleID) (*newsdedup.Article, bool) {
	a, _, err := e.wholeByID(id)
	return a, err == nil
}

// wholeByID is whole for the stored article id, or an ENOTFOUND error.
func (e *Engine) wholeByID(id newsdedup.ArticleID) (*newsdedup.Article, *fingerprint.Print, error) {
	e.mu.RLock()
	i, ok := e.ids[id]
	if !ok {
		e.mu.RUnlock()
		return nil, nil, newsdedup.Errorf(newsdedup.ENOTFOUND, "no article %s", id)
	}
	return e.whole(i)
}

// FamilyByID returns the family with the given ID ("f-" and its original's
// ID), or false.
func (e *Engine) FamilyByID(id string) (newsdedup.Family, bool) {
	e.mu.RLock()
	defer e.mu.RUnlock()
	i, ok := e.ids[newsdedup.ArticleID(strings.TrimPrefix(id, "f-"))]
	if !ok {
		return newsdedup.Family{}, false
	}
	f := e.family(i)
	return f, f.ID == id
}

// StoryByID returns the story with the given ID and its families.
func (e *Engine) StoryByID(id string) (newsdedup.Story, []newsdedup.Family, bool) {
	e.mu.RLock()
	defer e.mu.RUnlock()
	i, ok := e.ids[newsdedup.ArticleID(strings.TrimPrefix(id, "s-"))]
	if !ok {
		return newsdedup.Story{}, nil, false
	}
	st := e.storyOf(e.story[i])
	if st.ID != id {
		return newsdedup.Story{}, nil, false
	}
	var fams []newsdedup.Family
	seen := make(map[int]bool)
	for _, m := range e.members[e.story[i]] {
		if r := e.fams.Root(m); !seen[r] {
			seen[r] = true
			fams = append(fams, e.family(m))
		}
	}
	return st, fams, true
}

// Compare returns how the stored articles a and b relate, a→b, as the copy
// thresholds decide it, with evidence. ok is false when their texts are not
// copies; the relation then still carries Jaccard, containment and
// evidence. It returns ENOTFOUND when either article is unknown.
func (e *Engine) Compare(ctx context.Context, a, b newsdedup.ArticleID) (rel newsdedup.Relation, ok bool, err error) {
	aa, pa, err := e.wholeByID(a)
	if err != nil {
		return rel, false, err
	}
	ab, pb, err := e.wholeByID(b)
	if err != nil {
		return rel, false, err
	}
	cfg := e.cfg
	cfg.Evidence = true
	if r, found := verify(cfg, aa, ab, pa, pb); found {
		return r, true, nil
	}
	s := align.Compare(pa.Shingles, pb.Shingles)
	return newsdedup.Relation{A: a, B: b, Jaccard: s.Jaccard, Containment: s.Containment, Score: relate.Score(s),
		Evidence: Evidence(cfg.Params, aa, ab, s.Shared)}, false, nil
}

// Store returns the store the engine places articles in.
func (e *Engine) Store() newsdedup.Store { return e.store }
