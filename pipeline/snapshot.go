package pipeline

import (
	"bytes"
	"context"
	"encoding/gob"
	"errors"
	"fmt"
	"runtime/debug"

	"github.com/newsdedup/newsdedup"
	"github.com/newsdedup/newsdedup/cluster"
	"github.com/newsdedup/newsdedup/fingerprint"
)

// snapshotVersion numbers the layout of a snapshot (2: the stories' document
// frequencies by term ID; 3: which story members are copies, kept out of
// the term index).
const snapshotVersion = 3

// SnapshotEvery is how many articles stored since the last snapshot make
// SaveSnapshot write a new one.
const SnapshotEvery = 1000

// snapshot is what an engine saves of its state, as of arrival number Seq:
// what replaying the records up to Seq would rebuild, but for the copy
// indexes, which are rebuilt from the records' signatures without
// fingerprinting anything.
type snapshot struct {
	Version  int
	Build    string // the program and configuration that made it
	Seq      uint64
	Articles int
	LastID   newsdedup.ArticleID // the article of arrival number Seq
	Story    []int
	FamStory map[int]int
	Fams     []byte
	Stories  []byte
}

// errStaleSnapshot says a snapshot does not match the store's records.
var errStaleSnapshot = errors.New("snapshot does not match the store")

// build names the program and configuration whose state a snapshot holds:
// another build may featurize or place otherwise, so its snapshot is not
// used (the store is replayed, and the next snapshot replaces it).
func build(cfg Config) string {
	rev := "unknown"
	if bi, ok := debug.ReadBuildInfo(); ok {
		rev = bi.Main.Version
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" || s.Key == "vcs.modified" {
				rev += " " + s.Value
			}
		}
	}
	return fmt.Sprintf("%d %s %+v %+v %+v %d %d %d", snapshotVersion, rev, cfg.Family, cfg.Story, cfg.Thresholds,
		cfg.AnchorWindow, cfg.MaxAnchorPosting, cfg.TemplateMin)
}

// SaveSnapshot writes a snapshot of the engine's state to the store, if
// the store keeps snapshots and at least every articles were stored since
// the last one. It reports whether it wrote one.
func (e *Engine) SaveSnapshot(ctx context.Context, every int) (bool, error) {
	ss, ok := e.store.(newsdedup.Snapshotter)
	if !ok {
		return false, nil
	}
	e.add.Lock()
	defer e.add.Unlock()
	if e.seq == e.snapSeq || e.seq-e.snapSeq < uint64(max(every, 0)) {
		return false, nil
	}
	// Holding add, nothing changes the state.
	snap := snapshot{Version: snapshotVersion, Build: build(e.cfg), Seq: e.seq, Articles: len(e.arts),
		LastID: e.arts[len(e.arts)-1].ID, Story: e.story, FamStory: e.famStory}
	var err error
	if snap.Fams, err = e.fams.MarshalBinary(); err != nil {
		return false, err
	}
	if snap.Stories, err = e.stories.MarshalBinary(); err != nil {
		return false, err
	}
	// The encoding is made in a buffer of its size (grown by doubling, it
	// would leave as much again behind it), and the parts encoded are
	// let go before the store copies it: a snapshot is the peak of memory
	// at the end of an ingest (123 MB at 190,000 articles).
	var b bytes.Buffer
	b.Grow(len(snap.Fams) + len(snap.Stories) + 10*len(snap.Story) + 20*len(snap.FamStory) + len(snap.Build) + 4096)
	err = gob.NewEncoder(&b).Encode(snap)
	seq := snap.Seq
	snap = snapshot{}
	if err != nil {
		return false, err
	}
	if err := ss.PutSnapshot(ctx, seq, b.Bytes()); err != nil {
		return false, fmt.Errorf("save snapshot: %w", err)
	}
	e.snapSeq = seq
	return true, nil
}

// loadSnapshot returns the store's snapshot if it was made by this build
// with this configuration, else nil.
func loadSnapshot(ctx context.Context, cfg Config, s newsdedup.Store) (*snapshot, error) {
	ss, ok := s.(newsdedup.Snapshotter)
	if !ok {
		return nil, nil
	}
	seq, raw, err := ss.Snapshot(ctx)
	if err != nil || raw == nil {
		return nil, err
	}
	var snap snapshot
	if err := gob.NewDecoder(bytes.NewReader(raw)).Decode(&snap); err != nil {
		return nil, nil // unreadable: replay instead
	}
	if snap.Version != snapshotVersion || snap.Build != build(cfg) || snap.Seq != seq || len(snap.Story) != snap.Articles || snap.Articles == 0 {
		return nil, nil
	}
	return &snap, nil
}

// restore sets the state from snap; the caller then admits the records up
// to snap.Seq with admitIndexed.
func (e *Engine) restore(snap *snapshot) error {
	fams := cluster.NewFamilySet(e.cfg.Family)
	if err := fams.UnmarshalBinary(snap.Fams); err != nil {
		return err
	}
	stories := cluster.NewStories(e.cfg.Story)
	if err := stories.UnmarshalBinary(snap.Stories); err != nil {
		return err
	}
	if fams.Len() != snap.Articles || stories.Members() != snap.Articles {
		return fmt.Errorf("%w: %d families' articles, %d stories' articles, %d in the snapshot", errStaleSnapshot, fams.Len(), stories.Members(), snap.Articles)
	}
	e.fams, e.stories, e.famStory = fams, stories, snap.FamStory
	if e.famStory == nil {
		e.famStory = make(map[int]int)
	}
	e.story = snap.Story
	for i, s := range e.story {
		e.members[s] = append(e.members[s], i)
	}
	e.snapSeq = snap.Seq
	return nil
}

// admitIndexed adds a record that a snapshot placed already to the copy
// indexes only.
func (e *Engine) admitIndexed(r *newsdedup.Record) {
	a := r.Article
	e.index(&a, printOf(r))
	e.seq = max(e.seq, r.Seq)
}

// printOf returns the fingerprint a record keeps.
func printOf(r *newsdedup.Record) fingerprint.Print {
	return fingerprint.Print{Exact: r.Exact, Tokens: r.Tokens, Shingles: r.Shingles, Sig: r.Sig, Anchors: r.Anchors}
}

// SnapshotSeq returns the arrival number of the snapshot the engine opened
// from or last saved, or 0.
func (e *Engine) SnapshotSeq() uint64 {
	e.mu.RLock()
	defer e.mu.RUnlock()
	return e.snapSeq
}
