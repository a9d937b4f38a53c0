package pipeline

import (
	"github.com/newsdedup/newsdedup"
	"github.com/newsdedup/newsdedup/cluster"
	"github.com/newsdedup/newsdedup/relate"
)

// Config configures a run. Start from DefaultConfig.
type Config struct {
	Params     newsdedup.Params
	Thresholds relate.Thresholds
	Family     cluster.FamilyConfig
	Story      cluster.StoryConfig
	// AnchorWindow is the winnowing window for partial-reuse candidates:
	// any shared run of AnchorWindow+Shingle-1 words is found. 0 disables.
	AnchorWindow int
	// MaxAnchorPosting: an anchor in more articles than this is boilerplate.
	MaxAnchorPosting int
	// MaxCandidates bounds the articles that share signature bands with an
	// article and are verified: the MaxCandidates that share the most
	// bands (0: all). Templated texts (earnings tables, dividend notices)
	// share a band with a number of articles that grows with the corpus,
	// at Jaccard 0.1–0.2, while their copies share many bands. Candidates
	// by anchor or URL are not bounded by it. A family of more than about
	// 2×MaxCandidates copies may stop growing (the chaining guard wants
	// most of it related directly).
	MaxCandidates int
	// Resident is how many of the newest stored articles an Engine keeps
	// whole in memory; older ones keep only what finding and placing
	// copies and stories needs (their metadata, exact hash, token count,
	// index entries, story features, and their shingles' top 12 bits,
	// which settle most candidate pairs unread), and their bodies and
	// shingle sets are read from the store when a comparison or a page
	// needs them.
	// Copies mostly follow their original within days, so the newest are
	// the ones compared most. 0 keeps every article whole. Run ignores it.
	// The default, 200,000 (some days of a large monitoring stream), costs
	// about 2.8 KB an article over a cold one at Reuters' length (heap
	// live 1,486 MB with every article of the 190k peer corpus whole,
	// 1,013 MB with 20,000): below it, reading cold texts costs more CPU,
	// and through the store pages it maps and the garbage it leaves more
	// peak RSS, than keeping them (ingest of that corpus, three pairs of
	// runs: 6–11% less CPU and 6–7% less peak RSS with all whole than with
	// 20,000).
	Resident int
	// ColdCache is how many bytes of the texts of cold articles (those
	// Resident let go) an Engine keeps once it has read them to compare
	// them, the latest read: a cold article that is the candidate of many
	// arrivals is then read from the store once. 0 keeps none.
	ColdCache int
	// Index, if set, is the shared candidate index an Engine keeps the
	// stored articles' band keys and anchors in, instead of memory: the
	// index of every process that places articles in one store. Run
	// ignores it.
	Index newsdedup.CandidateIndex
	// Workers fingerprint articles in parallel; 0 means GOMAXPROCS.
	Workers int
	// Evidence aligns the paragraphs of every related pair for the
	// relation's evidence. Without it, pairs are aligned only when the
	// decision needs it (evaluation and benchmarks need no evidence).
	Evidence bool
	// TemplateMin: a short paragraph (TemplateWords words at most) found in
	// this many articles of one source is the source's template (its
	// chrome) and is left out of the fingerprints; 0 disables. Versions of
	// one article at one source share their long paragraphs, and rarely
	// come five at a time.
	TemplateMin int
}

// DefaultConfig returns the configuration newsdedup uses.
func DefaultConfig() Config {
	return Config{
		Params:           newsdedup.DefaultParams,
		Thresholds:       relate.Default,
		Family:           cluster.DefaultFamilyConfig,
		Story:            cluster.DefaultStoryConfig,
		AnchorWindow:     8,
		MaxAnchorPosting: 64,
		MaxCandidates:    500,
		Resident:         200000,
		ColdCache:        32 << 20,
		TemplateMin:      5,
		Evidence:         true,
	}
}
