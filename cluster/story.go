package cluster

import (
	"math"
	"time"
)

// StoryConfig tunes the story clusterer.
type StoryConfig struct {
	Features FeatureConfig
	// Threshold is the least similarity for an article to join a story.
	Threshold float64
	// Window: a dated article joins no story whose dated articles all lie
	// more than Window away from it.
	Window time.Duration
	// MinContent is the least number of content words for an article to
	// join or found an open story; shorter texts (error pages, captcha
	// notices, paywall stubs) stay alone so they glue nothing together.
	MinContent int
	// CentroidTerms bounds the terms a story keeps, and so the cost of
	// comparing an article with it.
	CentroidTerms int
	// QueryTerms is how many of an article's heaviest terms look up
	// candidate stories in the inverted index.
	QueryTerms int
}

// DefaultStoryConfig is the configuration newsdedup uses.
var DefaultStoryConfig = StoryConfig{
	Features:      DefaultFeatureConfig,
	Threshold:     0.20,
	Window:        7 * 24 * time.Hour,
	MinContent:    20,
	CentroidTerms: 300,
	QueryTerms:    20,
}

// Stories clusters articles into stories incrementally, in the order they
// are added (Miranda et al. 2018): each article joins the most similar open
// story or founds a new one. Similarity is the cosine between the article's
// TF-IDF vector and the story's centroid, with IDF maintained incrementally
// over the articles seen. Candidate stories come from an inverted index over
// story terms, so the cost of adding an article depends on the size of its
// candidate set, not on the number of stories.
//
// A Stories is not safe for concurrent use.
type Stories struct {
	cfg     StoryConfig
	n       int
	df      map[string]int
	stories []*story
	index   map[string][]int32 // term -> stories whose centroid holds it
}

type story struct {
	centroid    map[string]float64 // sum of member tf vectors (unit length each)
	size        int
	first, last time.Time
	closed      bool // a story of one near-empty text
}

// NewStories returns an empty clusterer.
func NewStories(cfg StoryConfig) *Stories {
	return &Stories{cfg: cfg, df: make(map[string]int), index: make(map[string][]int32)}
}

// Placement says where Add put an article.
type Placement struct {
	Story int     // story number, in order of creation
	Score float64 // similarity to the story when it joined one; 0 when it founded it
	New   bool
}

// Add places an article with features f published at t (zero if unknown).
// If join >= 0 the article joins that story unconditionally (a copy joins its
// original's story).
func (c *Stories) Add(f Features, t time.Time, join int) Placement {
	c.n++
	for term := range f.Terms {
		c.df[term]++
	}
	vec := c.weigh(f.Terms)
	if join >= 0 {
		c.extend(join, f.Terms, t)
		return Placement{Story: join, Score: 1}
	}
	if f.Content < c.cfg.MinContent {
		return c.found(f.Terms, t, true)
	}
	best, bestScore := -1, 0.0
	for _, s := range c.candidates(vec) {
		st := c.stories[s]
		if st.closed || !c.inWindow(st, t) {
			continue
		}
		if sc := c.similarity(vec, st); sc > bestScore {
			best, bestScore = s, sc
		}
	}
	if best >= 0 && bestScore >= c.cfg.Threshold {
		c.extend(best, f.Terms, t)
		return Placement{Story: best, Score: bestScore}
	}
	return c.found(f.Terms, t, false)
}

func (c *Stories) idf(term string) float64 {
	return math.Log(float64(c.n+1)/float64(c.df[term]+1)) + 1
}

// weigh returns the unit TF-IDF vector of tf.
func (c *Stories) weigh(tf map[string]float64) map[string]float64 {
	v := make(map[string]float64, len(tf))
	var norm float64
	for t, w := range tf {
		x := w * c.idf(t)
		v[t] = x
		norm += x * x
	}
	norm = math.Sqrt(norm)
	if norm > 0 {
		for t := range v {
			v[t] /= norm
		}
	}
	return v
}

func (c *Stories) candidates(vec map[string]float64) []int {
	top := topTerms(vec, min(c.cfg.QueryTerms, len(vec)))
	seen := make(map[int32]bool)
	var out []int
	for t := range top {
		for _, s := range c.index[t] {
			if !seen[s] {
				seen[s] = true
				out = append(out, int(s))
			}
		}
	}
	return out
}

func (c *Stories) inWindow(s *story, t time.Time) bool {
	if t.IsZero() || s.first.IsZero() || c.cfg.Window <= 0 {
		return true
	}
	return !t.Before(s.first.Add(-c.cfg.Window)) && !t.After(s.last.Add(c.cfg.Window))
}

// similarity is the cosine between the unit vector vec and the story
// centroid weighted by the current IDF.
func (c *Stories) similarity(vec map[string]float64, s *story) float64 {
	var dot, norm float64
	for t, w := range s.centroid {
		x := w * c.idf(t)
		norm += x * x
		if v, ok := vec[t]; ok {
			dot += v * x
		}
	}
	if norm == 0 {
		return 0
	}
	return dot / math.Sqrt(norm)
}

func (c *Stories) found(tf map[string]float64, t time.Time, closed bool) Placement {
	c.stories = append(c.stories, &story{centroid: make(map[string]float64), closed: closed})
	id := len(c.stories) - 1
	c.extend(id, tf, t)
	return Placement{Story: id, New: true}
}

func (c *Stories) extend(id int, tf map[string]float64, t time.Time) {
	s := c.stories[id]
	var norm float64
	for _, w := range tf {
		norm += w * w
	}
	norm = math.Sqrt(norm)
	for term, w := range tf {
		if _, ok := s.centroid[term]; !ok && !s.closed {
			c.index[term] = append(c.index[term], int32(id))
		}
		s.centroid[term] += w / norm
	}
	if len(s.centroid) > c.cfg.CentroidTerms {
		s.centroid = topTerms(s.centroid, c.cfg.CentroidTerms)
	}
	s.size++
	if !t.IsZero() {
		if s.first.IsZero() || t.Before(s.first) {
			s.first = t
		}
		if t.After(s.last) {
			s.last = t
		}
	}
}
