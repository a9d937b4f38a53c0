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
	// Window: within Window of each other, articles compare at full
	// similarity; farther apart, the similarity is scaled by
	// (Window/Δ)^Fade, so that a later follow-up joins only on a strong
	// match (the same names, places and details).
	Window time.Duration
	Fade   float64
	// MinContent is the least number of content words for an article to
	// shape a story. A shorter text (an error page, a captcha notice, a
	// paywall stub) may join a story its title matches but adds nothing to
	// it, or else stays alone: it glues nothing together.
	MinContent int
	// QueryTerms is how many of an article's heaviest terms look up
	// candidate articles in the inverted index, and MaxPosting how many of
	// the latest articles each term keeps: together they bound the cost of
	// placing an article, whatever the number of stories.
	QueryTerms int
	MaxPosting int
}

// DefaultStoryConfig is the configuration newsdedup uses. Its values were
// chosen on the dev splits of ECB+ (topics 1–35) and on GVC (all of which is
// development data); see the eval package.
var DefaultStoryConfig = StoryConfig{
	Features:   DefaultFeatureConfig,
	Threshold:  0.25,
	Window:     7 * 24 * time.Hour,
	Fade:       0.3,
	MinContent: 20,
	QueryTerms: 20,
	MaxPosting: 2000,
}

// Stories clusters articles into stories incrementally, in the order they
// are added (Miranda et al. 2018): each article joins the most similar story
// or founds a new one. A story's similarity is the cosine between the
// article's TF-IDF vector and that of the story's closest member, with IDF
// maintained incrementally over the articles seen, faded with the time since
// the story's first article. (Similarity to a story centroid, and a separate
// cosine of entity-like terms, were tried and scored no better on the dev
// data; see the closing notes of the evaluation issue.) Candidates come
// from an inverted index over article terms, so the cost of adding an
// article depends on its candidate set, not on the number of stories.
//
// A Stories is not safe for concurrent use.
type Stories struct {
	cfg     StoryConfig
	n       int
	df      map[string]int
	stories []*story
	members []member
	index   map[string][]int32 // term -> members holding it, oldest first
}

type story struct {
	size        int
	first, last time.Time
	closed      bool // a story of one near-empty text
}

type member struct {
	story int
	vec   map[string]float64 // unit TF-IDF vector, IDF as of insertion
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
	empty := f.Content < c.cfg.MinContent
	if join >= 0 {
		c.extend(join, vec, t, empty)
		return Placement{Story: join, Score: 1}
	}
	scores := make(map[int]float64)
	for _, m := range c.candidates(vec, t) {
		mb := &c.members[m]
		if c.stories[mb.story].closed {
			continue
		}
		sc := dot(vec, mb.vec) * c.fade(t, c.stories[mb.story].first)
		if sc > scores[mb.story] {
			scores[mb.story] = sc
		}
	}
	best, bestScore := -1, 0.0
	for s, sc := range scores {
		if sc > bestScore || sc == bestScore && s < best {
			best, bestScore = s, sc
		}
	}
	if best >= 0 && bestScore >= c.cfg.Threshold {
		c.extend(best, vec, t, empty)
		return Placement{Story: best, Score: bestScore}
	}
	c.stories = append(c.stories, &story{closed: empty})
	id := len(c.stories) - 1
	c.extend(id, vec, t, empty)
	return Placement{Story: id, New: true}
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

func dot(a, b map[string]float64) float64 {
	if len(a) > len(b) {
		a, b = b, a
	}
	var s float64
	for t, w := range a {
		s += w * b[t]
	}
	return s
}

// candidates returns the members sharing one of the heaviest terms of vec.
func (c *Stories) candidates(vec map[string]float64, t time.Time) []int {
	top := topTerms(vec, min(c.cfg.QueryTerms, len(vec)))
	seen := make(map[int32]bool)
	var out []int
	for term := range top {
		for _, m := range c.index[term] {
			if !seen[m] {
				seen[m] = true
				out = append(out, int(m))
			}
		}
	}
	return out
}

// fade is the time factor between articles published at a and b.
func (c *Stories) fade(a, b time.Time) float64 {
	if a.IsZero() || b.IsZero() || c.cfg.Window <= 0 {
		return 1
	}
	d := a.Sub(b)
	if d < 0 {
		d = -d
	}
	if d <= c.cfg.Window {
		return 1
	}
	return math.Pow(float64(c.cfg.Window)/float64(d), c.cfg.Fade)
}

func (c *Stories) extend(id int, vec map[string]float64, t time.Time, empty bool) {
	s := c.stories[id]
	s.size++
	if empty && !s.closed {
		// A near-empty text adds nothing to the story it joins.
		return
	}
	m := int32(len(c.members))
	c.members = append(c.members, member{story: id, vec: vec})
	for term := range vec {
		p := append(c.index[term], m)
		if len(p) > c.cfg.MaxPosting {
			p = p[len(p)-c.cfg.MaxPosting:]
		}
		c.index[term] = p
	}
	if !t.IsZero() {
		if s.first.IsZero() || t.Before(s.first) {
			s.first = t
		}
		if t.After(s.last) {
			s.last = t
		}
	}
}
