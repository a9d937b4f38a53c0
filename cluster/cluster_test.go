package cluster_test

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/newsdedup/newsdedup"
	"github.com/newsdedup/newsdedup/cluster"
)

func arts(n int) []*newsdedup.Article {
	out := make([]*newsdedup.Article, n)
	for i := range out {
		out[i] = &newsdedup.Article{ID: newsdedup.ArticleID(fmt.Sprint(i))}
	}
	return out
}

func rel(a, b int, k newsdedup.Kind, score float64) newsdedup.Relation {
	return newsdedup.Relation{A: newsdedup.ArticleID(fmt.Sprint(a)), B: newsdedup.ArticleID(fmt.Sprint(b)), Kind: k, Score: score}
}

// groups renders families as sorted member lists, for comparison.
func groups(fams []newsdedup.Family) [][]string {
	var out [][]string
	for _, f := range fams {
		var m []string
		for _, id := range f.Members {
			m = append(m, string(id))
		}
		slices.Sort(m)
		out = append(out, m)
	}
	slices.SortFunc(out, func(a, b []string) int { return slices.Compare(a, b) })
	return out
}

func TestFamilies(t *testing.T) {
	words := func(int) int { return 100 }
	for _, tc := range []struct {
		name string
		n    int
		rels []newsdedup.Relation
		url  map[int]string
		want string
	}{
		{"no relations", 3, nil, nil, "[[0] [1] [2]]"},
		{"triangle", 3, []newsdedup.Relation{rel(0, 1, "reprint", 0.8), rel(1, 2, "version", 0.7), rel(0, 2, "reprint", 0.6)}, nil, "[[0 1 2]]"},
		// B quotes A and C, which share nothing: B joins one, not both.
		{"chain guard", 3, []newsdedup.Relation{rel(0, 1, "reprint", 0.5), rel(1, 2, "reprint", 0.4)}, nil, "[[0 1] [2]]"},
		// Copies of one original edited each its own way: the two pairs
		// relate below copy level, which supports merging them…
		{"partial reuse supports a merge", 3, []newsdedup.Relation{rel(0, 1, "reprint", 0.5), rel(1, 2, "reprint", 0.4), rel(0, 2, "partial_reuse", 0.3)}, nil, "[[0 1 2]]"},
		// …but one supporting pair out of four is not enough.
		{"support below half", 4, []newsdedup.Relation{rel(0, 1, "exact", 1), rel(2, 3, "exact", 1), rel(1, 2, "reprint", 0.5), rel(0, 3, "partial_reuse", 0.3)}, nil, "[[0 1] [2 3]]"},
		{"partial reuse joins no family", 2, []newsdedup.Relation{rel(0, 1, "partial_reuse", 0.3)}, nil, "[[0] [1]]"},
		// Revisions of one URL chain without the guard.
		{"url lineage", 3, []newsdedup.Relation{rel(0, 1, "version", 0.8), rel(1, 2, "version", 0.7)}, map[int]string{0: "u", 1: "u", 2: "u"}, "[[0 1 2]]"},
		{"same story is no copy", 2, []newsdedup.Relation{rel(0, 1, "same_story", 0.9)}, nil, "[[0] [1]]"},
		{"two families", 4, []newsdedup.Relation{rel(0, 1, "exact", 1), rel(2, 3, "near_duplicate", 0.9)}, nil, "[[0 1] [2 3]]"},
	} {
		as := arts(tc.n)
		for i, u := range tc.url {
			as[i].URL = u
		}
		got := fmt.Sprint(groups(cluster.Families(cluster.DefaultFamilyConfig, as, tc.rels, words)))
		if got != tc.want {
			t.Errorf("%s: families=%s, want %s", tc.name, got, tc.want)
		}
	}
}

func TestOriginal(t *testing.T) {
	d := func(day int) time.Time { return time.Date(2023, 7, day, 0, 0, 0, 0, time.UTC) }
	for _, tc := range []struct {
		name  string
		dates []time.Time
		words []int
		src   []string
		cred  [][]string
		want  string
	}{
		{"earliest wins", []time.Time{d(14), d(13), d(15)}, []int{10, 10, 10}, nil, nil, "1"},
		{"undated never wins", []time.Time{{}, d(20)}, []int{900, 10}, nil, nil, "1"},
		{"tie by completeness", []time.Time{d(13), d(13)}, []int{10, 500}, nil, nil, "1"},
		{"all undated, most complete", []time.Time{{}, {}}, []int{500, 10}, nil, nil, "0"},
		{"a copy credits its source", []time.Time{d(13), d(13)}, []int{900, 10}, []string{"blog", "AFP"}, [][]string{{"AFP"}, nil}, "1"},
	} {
		as := arts(len(tc.dates))
		ms := make([]newsdedup.Relation, 0)
		for i := range as {
			as[i].Published = tc.dates[i]
			if tc.src != nil {
				as[i].Source = tc.src[i]
				as[i].Credits = tc.cred[i]
			}
			for j := range i {
				ms = append(ms, rel(j, i, "reprint", 0.9))
			}
		}
		fams := cluster.Families(cluster.DefaultFamilyConfig, as, ms, func(i int) int { return tc.words[i] })
		if len(fams) != 1 || string(fams[0].Original) != tc.want {
			t.Errorf("%s: families=%+v, want one with original %s", tc.name, fams, tc.want)
		}
	}
}

func TestStories(t *testing.T) {
	c := cluster.NewStories(cluster.DefaultStoryConfig)
	f := func(title, body string) cluster.Features {
		return cluster.Featurize(cluster.DefaultFeatureConfig, title, []string{body})
	}
	day := time.Date(2023, 7, 13, 0, 0, 0, 0, time.UTC)
	quake := "A magnitude 6.1 earthquake struck northern Peru near the town of Moyobamba on Sunday, damaging dozens of houses, the civil defence institute said. Rescue teams from Lima reached the Amazonas region by evening."
	quake2 := "Dozens of houses in Moyobamba were damaged when a strong earthquake hit northern Peru on Sunday. Teams sent from Lima reached the Amazonas region, the civil defence institute said, and counted the damage."
	other := "The central bank of Norway kept its key interest rate unchanged on Thursday, citing slowing inflation in Oslo and weaker oil revenues, economists at Nordea and DNB said after the announcement."
	p1 := c.Add(f("Earthquake hits northern Peru", quake), day, -1)
	p2 := c.Add(f("Peru quake damages houses in Moyobamba", quake2), day.Add(3*time.Hour), -1)
	p3 := c.Add(f("Norway keeps rates on hold", other), day.Add(5*time.Hour), -1)
	if !p1.New || p2.New || p2.Story != p1.Story {
		t.Errorf("second quake report: %+v, want it in story %d", p2, p1.Story)
	}
	if !p3.New {
		t.Errorf("rate decision joined story %d with score %.2f", p3.Story, p3.Score)
	}
	// Far outside the time window, only a strong match joins: a report on
	// another quake in the same region two years later founds a new story.
	later := "A strong earthquake struck northern Peru on Monday, the civil defence institute said. Houses were damaged in the Amazonas region and teams from Lima were sent to help."
	p4 := c.Add(f("Earthquake hits northern Peru", later), day.Add(2*365*24*time.Hour), -1)
	if !p4.New {
		t.Errorf("report two years later joined story %d with score %.2f", p4.Story, p4.Score)
	}
	if p := c.Add(f("Earthquake hits northern Peru", later), day.Add(12*time.Hour), -1); p.Story != p1.Story {
		t.Errorf("the same report within days founded story %d (score %.2f)", p.Story, p.Score)
	}
	// A near-empty page stays alone and glues nothing.
	p5 := c.Add(f("", "Please enable cookies."), day, -1)
	p6 := c.Add(f("", "Please enable cookies."), day, -1)
	if !p5.New || !p6.New {
		t.Errorf("near-empty pages were clustered: %+v %+v", p5, p6)
	}
	// A copy joins the story it is told to.
	if p := c.Add(f("x", other), day, p1.Story); p.Story != p1.Story {
		t.Errorf("forced join went to %d", p.Story)
	}
}

func TestFeaturizeEntities(t *testing.T) {
	// Entity-like words (capitalized inside a sentence) weigh more.
	f := cluster.Featurize(cluster.DefaultFeatureConfig, "", []string{"The talks went ahead. Officials said Blinken met the minister in Jakarta and the talks went well."})
	if f.Terms["blinken"] <= f.Terms["minister"] || f.Terms["jakarta"] <= f.Terms["officials"] {
		t.Errorf("entity-like words not weighted up: %v", f.Terms)
	}
	if _, ok := f.Terms["the"]; ok {
		t.Errorf("stop word kept: %v", f.Terms)
	}
}

// TestStoriesGroupAverage: an article close to one member of a story but
// not to the story as a whole joins it by nearest member, not by group
// average.
func TestStoriesGroupAverage(t *testing.T) {
	terms := func(ws ...string) cluster.Features {
		f := cluster.Features{Terms: map[string]float64{}, Content: 100}
		for _, w := range ws {
			f.Terms[w] = 1
		}
		return f
	}
	for _, tc := range []struct {
		average float64
		joins   bool
	}{{0, true}, {1, false}} {
		cfg := cluster.DefaultStoryConfig
		cfg.Average = tc.average
		c := cluster.NewStories(cfg)
		// Unrelated articles, so that every term has about the same IDF.
		for i := range 20 {
			c.Add(terms(fmt.Sprint("filler", i), fmt.Sprint("other", i)), time.Time{}, -1)
		}
		s := c.Add(terms("a", "b", "c", "d"), time.Time{}, -1).Story
		c.Add(terms("e", "f", "g", "h"), time.Time{}, s)
		c.Add(terms("a", "b", "e", "f"), time.Time{}, s)
		// cos 0.5 with the first member, 0 with the two others.
		p := c.Add(terms("c", "d", "i", "j"), time.Time{}, -1)
		if joined := !p.New && p.Story == s; joined != tc.joins {
			t.Errorf("Average=%v: placement %+v, joined=%v, want %v", tc.average, p, joined, tc.joins)
		}
	}
}

func TestMentions(t *testing.T) {
	got := cluster.Mentions([]string{
		"The shooting on July 10, 2014 left two dead. On Sept. 3rd the suspect was charged.",
		"A hearing is set for 4 March 2015; the July 10, 2014 shooting was the town's first. May 5 people",
		"Not dates: Mayor Jan Smith, March 45, the 2014 budget.",
	})
	want := []cluster.Mention{{2014, 7, 10}, {0, 9, 3}, {0, 5, 5}, {2015, 3, 4}}
	if !slices.Equal(got, want) {
		t.Errorf("Mentions = %v, want %v", got, want)
	}
	pub := time.Date(2015, 2, 1, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		m    cluster.Mention
		want string // "" when not resolved
	}{
		{cluster.Mention{Year: 2014, Month: 7, Day: 10}, "2014-07-10"},
		{cluster.Mention{Month: 1, Day: 30}, "2015-01-30"},   // this year, before pub
		{cluster.Mention{Month: 9, Day: 3}, "2014-09-03"},    // last year: September 2015 is to come
		{cluster.Mention{Year: 2015, Month: 3, Day: 4}, ""},  // after pub: a plan
		{cluster.Mention{Year: 2014, Month: 2, Day: 30}, ""}, // no such day
		{cluster.Mention{Month: 2, Day: 29}, ""},             // 2014 was not a leap year
		{cluster.Mention{Year: 2012, Month: 2, Day: 29}, "2012-02-29"},
	} {
		got, ok := tc.m.Resolve(pub)
		if s := got.Format(time.DateOnly); ok != (tc.want != "") || ok && s != tc.want {
			t.Errorf("%v.Resolve(%v) = %v, %v; want %q", tc.m, pub, s, ok, tc.want)
		}
	}
	if _, ok := (cluster.Mention{Month: 7, Day: 10}).Resolve(time.Time{}); ok {
		t.Error("a date without a year resolved without a publication date")
	}
}

// A follow-up published long after its event joins the event's story when it
// names the event's day, and not otherwise.
func TestStoriesMentionedDates(t *testing.T) {
	event := time.Date(2014, 7, 10, 9, 0, 0, 0, time.UTC)
	later := event.AddDate(0, 11, 0)
	art := func(dates []cluster.Mention, ws ...string) cluster.Features {
		f := cluster.Features{Terms: map[string]float64{}, Content: 100, Dates: dates}
		for _, w := range ws {
			f.Terms[w] = 1
		}
		return f
	}
	for _, tc := range []struct {
		name  string
		dates []cluster.Mention
		joins bool
	}{
		{"names the day", []cluster.Mention{{Month: 7, Day: 10}}, true},
		{"names the day with its year", []cluster.Mention{{2014, 7, 10}}, true},
		{"names another day", []cluster.Mention{{2014, 3, 2}}, false},
		{"names no day", nil, false},
	} {
		c := cluster.NewStories(cluster.DefaultStoryConfig)
		for i := range 20 {
			c.Add(art(nil, fmt.Sprint("filler", i), fmt.Sprint("other", i)), event.AddDate(0, 0, -30), -1)
		}
		s := c.Add(art(nil, "springfield", "shooting", "smith", "diner"), event, -1).Story
		// cos 0.5 with the story: it joins at full similarity, not faded by
		// eleven months.
		p := c.Add(art(tc.dates, "springfield", "smith", "sentenced", "years"), later, -1)
		if joined := !p.New && p.Story == s; joined != tc.joins {
			t.Errorf("%s: placement %+v, joined=%v, want %v", tc.name, p, joined, tc.joins)
		}
	}
}

// The same articles in the same order give the same placements and scores
// bit for bit, whatever the order maps iterate in: a store rebuilt after a
// crash must go on as an uninterrupted run would.
func TestStoriesDeterministic(t *testing.T) {
	run := func() []cluster.Placement {
		r := rand.New(rand.NewPCG(1, 2))
		c := cluster.NewStories(cluster.DefaultStoryConfig)
		var out []cluster.Placement
		for range 300 {
			f := cluster.Features{Terms: map[string]float64{}, Content: 100}
			topic := r.IntN(30) * 50 // articles on one topic share words
			for range 40 {
				f.Terms[fmt.Sprint("w", topic+r.IntN(60))] = 1 + r.Float64()
			}
			out = append(out, c.Add(f, time.Time{}, -1))
		}
		return out
	}
	want := run()
	joined := 0
	for _, p := range want {
		if !p.New {
			joined++
		}
	}
	if joined < 100 {
		t.Fatalf("only %d of %d articles joined a story: the test shows nothing", joined, len(want))
	}
	for i := range 5 {
		if got := run(); !reflect.DeepEqual(got, want) {
			t.Fatalf("run %d placed the same articles differently", i+2)
		}
	}
}

// words returns n terms named prefix0, prefix1, ...
func words(prefix string, n int) []string {
	var out []string
	for i := range n {
		out = append(out, fmt.Sprint(prefix, i))
	}
	return out
}

func features(content int, ws ...[]string) cluster.Features {
	f := cluster.Features{Terms: map[string]float64{}, Content: content}
	for _, w := range ws {
		for _, t := range w {
			f.Terms[t] = 1
		}
	}
	return f
}

// A second report of another event joins the first event's story while
// that story is the only one near it; once a third report founds a story of
// its own event, revision moves the second there.
func TestStoriesRevise(t *testing.T) {
	run := func(cfg cluster.StoryConfig) (b, c cluster.Placement, s *cluster.Stories) {
		s = cluster.NewStories(cfg)
		for i := range 20 {
			s.Add(features(100, words(fmt.Sprint("filler", i, "-"), 20)), time.Time{}, -1)
		}
		s.Add(features(100, words("shared", 6), words("a", 14)), time.Time{}, -1)
		b = s.Add(features(100, words("shared", 6), words("bc", 7), words("b", 7)), time.Time{}, -1)
		c = s.Add(features(100, words("bc", 7), words("c", 13)), time.Time{}, -1)
		return b, c, s
	}
	b, c, s := run(cluster.DefaultStoryConfig)
	if b.New || b.Story != 20 {
		t.Fatalf("b: %+v, want it to join a's story 20 (the test shows nothing otherwise)", b)
	}
	if !c.New {
		t.Fatalf("c: %+v, want a story of its own (the test shows nothing otherwise)", c)
	}
	want := []cluster.Move{{Item: 21, From: 20, To: c.Story}}
	if len(c.Moves) != 1 || c.Moves[0].Item != want[0].Item || c.Moves[0].From != want[0].From || c.Moves[0].To != want[0].To {
		t.Fatalf("moves after c: %+v, want %+v", c.Moves, want)
	}
	if c.Moves[0].Score < cluster.DefaultStoryConfig.Threshold {
		t.Errorf("move score %.3f below the threshold", c.Moves[0].Score)
	}
	if got := s.StoryOf(21); got != c.Story {
		t.Errorf("b is in story %d, want %d", got, c.Story)
	}

	cfg := cluster.DefaultStoryConfig
	cfg.Revise = 0
	if _, c, s := run(cfg); len(c.Moves) != 0 || s.StoryOf(21) != 20 {
		t.Errorf("without revision: moves %+v, b in story %d, want none and 20", c.Moves, s.StoryOf(21))
	}
}

// Revision never moves a pinned article (one a copy of has joined its
// story), and never moves anything into a near-empty text's story; a
// near-empty text alone in its story moves into one it matches.
func TestStoriesReviseLimits(t *testing.T) {
	base := func() *cluster.Stories {
		s := cluster.NewStories(cluster.DefaultStoryConfig)
		for i := range 20 {
			s.Add(features(100, words(fmt.Sprint("filler", i, "-"), 20)), time.Time{}, -1)
		}
		return s
	}
	a := features(100, words("shared", 6), words("a", 14))
	b := features(100, words("shared", 6), words("bc", 7), words("b", 7))
	c := features(100, words("bc", 7), words("c", 13))

	s := base()
	s.Add(a, time.Time{}, -1)
	s.Add(b, time.Time{}, -1)
	s.Pin(21)
	if p := s.Add(c, time.Time{}, -1); len(p.Moves) != 0 || s.StoryOf(21) != 20 {
		t.Errorf("pinned: moves %+v, b in story %d, want none and 20", p.Moves, s.StoryOf(21))
	}

	// A near-empty text like c, first: its story is closed.
	s = base()
	e := s.Add(features(5, words("bc", 7), words("e", 3)), time.Time{}, -1)
	s.Add(a, time.Time{}, -1)
	s.Add(b, time.Time{}, -1)
	if s.StoryOf(22) == e.Story {
		t.Fatalf("b moved into the near-empty text's story %d", e.Story)
	}
	p := s.Add(c, time.Time{}, -1)
	if !p.New {
		t.Fatalf("c: %+v, want a story of its own (the test shows nothing otherwise)", p)
	}
	if s.StoryOf(20) != p.Story {
		t.Errorf("near-empty text in story %d, want c's %d", s.StoryOf(20), p.Story)
	}
	for _, mv := range p.Moves {
		if mv.To == e.Story {
			t.Errorf("move %+v into the near-empty text's story", mv)
		}
	}
}

// A near-empty text that joined a story adds nothing to it, and revision
// moves it when a story it matches better appears.
func TestStoriesReviseNearEmpty(t *testing.T) {
	s := cluster.NewStories(cluster.DefaultStoryConfig)
	for i := range 20 {
		s.Add(features(100, words(fmt.Sprint("filler", i, "-"), 20)), time.Time{}, -1)
	}
	a := s.Add(features(100, words("shared", 6), words("a", 4)), time.Time{}, -1)
	e := s.Add(features(5, words("shared", 4), words("bc", 6)), time.Time{}, -1)
	if e.New || e.Story != a.Story {
		t.Fatalf("near-empty text: %+v, want it to join a's story %d (the test shows nothing otherwise)", e, a.Story)
	}
	c := s.Add(features(100, words("bc", 6), words("c", 4)), time.Time{}, -1)
	if !c.New {
		t.Fatalf("c: %+v, want a story of its own: the near-empty text must not draw it to a's", c)
	}
	if got := s.StoryOf(21); got != c.Story {
		t.Errorf("near-empty text in story %d, want c's %d (moves %+v)", got, c.Story, c.Moves)
	}
}
