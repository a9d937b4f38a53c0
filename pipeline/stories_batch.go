package pipeline

import (
	"cmp"
	"slices"

	"github.com/newsdedup/newsdedup"
	"github.com/newsdedup/newsdedup/cluster"
)

// stories clusters the articles into stories in order of publication
// (undated articles last, in input order); a copy joins the story of its
// family. It returns the stories and the relations with a same_story
// relation added for each article that joined a story by similarity.
func stories(cfg Config, arts []*newsdedup.Article, fams []newsdedup.Family, rels []newsdedup.Relation, boiler map[newsdedup.ArticleID]bool) ([]newsdedup.Story, []newsdedup.Relation) {
	pos := make(map[newsdedup.ArticleID]int, len(arts))
	for i, a := range arts {
		pos[a.ID] = i
	}
	famOf := make([]int, len(arts))
	for f, fam := range fams {
		for _, id := range fam.Members {
			famOf[pos[id]] = f
		}
	}
	order := make([]int, len(arts))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(i, j int) int {
		a, b := arts[i], arts[j]
		if az, bz := a.Published.IsZero(), b.Published.IsZero(); az != bz {
			if az {
				return 1
			}
			return -1
		}
		return a.Published.Compare(b.Published)
	})
	sc := cluster.NewStories(cfg.Story)
	famStory := make(map[int]int)
	famItems := make(map[int][]int) // family -> its articles' order of addition
	storyOf := make([]int, len(arts))
	score := make([]float64, len(arts)) // similarity to its story, 0 for founders and copies
	// Features (a term map each, some 5 KB) are computed a few chunks ahead
	// of placement, on the other cores (placement, serial, keeps one), and
	// dropped once placed.
	feats := make(chan []cluster.Features, storyAhead)
	go func() {
		fcfg := besides(cfg)
		for lo := 0; lo < len(order); lo += storyChunk {
			fs := make([]cluster.Features, min(storyChunk, len(order)-lo))
			parallel(fcfg, len(fs), func(k int) {
				a := arts[order[lo+k]]
				body := a.Body
				if boiler[a.ID] {
					body = nil // only the title says what the page was about
				}
				fs[k] = cluster.Featurize(cfg.Story.Features, a.Title, body)
			})
			feats <- fs
		}
		close(feats)
	}()
	// Their terms and evidence are given IDs in order of placement, on a
	// goroutine of its own, ahead of placement (Stories.Resolve).
	resolved := make(chan []cluster.Resolved, storyAhead)
	go func() {
		for fs := range feats {
			rs := make([]cluster.Resolved, len(fs))
			for k := range fs {
				rs[k] = sc.Resolve(fs[k])
				fs[k] = cluster.Features{}
			}
			resolved <- rs
		}
		close(resolved)
	}()
	var chunk []cluster.Resolved
	for item, i := range order {
		if item%storyChunk == 0 {
			chunk = <-resolved
		}
		// A copy joins its family's story, but a near-empty text (an
		// error page served to many URLs is an exact copy of itself) is
		// placed on its own so that it glues nothing together.
		r := chunk[item%storyChunk]
		chunk[item%storyChunk] = cluster.Resolved{}
		substantive := r.Content() >= cfg.Story.MinContent
		join := -1
		if s, ok := famStory[famOf[i]]; ok && substantive {
			join = s
		}
		if join >= 0 {
			// A family a copy has joined stays together.
			for _, it := range famItems[famOf[i]] {
				sc.Pin(it)
			}
		}
		pl := sc.AddResolved(r, arts[i].Published, join)
		famItems[famOf[i]] = append(famItems[famOf[i]], item)
		storyOf[i] = pl.Story
		if join < 0 && !pl.New {
			score[i] = pl.Score
		}
		if substantive {
			famStory[famOf[i]] = pl.Story
		}
		for _, mv := range pl.Moves {
			j := order[mv.Item]
			storyOf[j], score[j] = mv.To, mv.Score
			if famStory[famOf[j]] == mv.From {
				famStory[famOf[j]] = mv.To
			}
		}
	}
	// Each story is named for its first member, which every other member
	// that joined by similarity (not as a copy) is related to; a first
	// member that revision moved there relates to the next.
	at := make(map[int]int)        // story -> its place in out
	item := make([]int, len(arts)) // article -> its order of addition
	for k, i := range order {
		item[i] = k
	}
	var out []newsdedup.Story
	for _, i := range order {
		s := storyOf[i]
		k, ok := at[s]
		if !ok {
			at[s] = len(out)
			out = append(out, newsdedup.Story{ID: "s-" + string(arts[i].ID)})
			k = len(out) - 1
		}
		out[k].Add(arts[i])
		m := out[k].Members
		switch first := pos[m[0]]; {
		case len(m) == 1:
		case score[i] > 0:
			rels = append(rels, newsdedup.Relation{A: m[0], B: arts[i].ID, Kind: newsdedup.KindSameStory, Score: score[i],
				Evidence: storyEvidence(sc, item[i], s)})
		case len(m) == 2 && score[first] > 0:
			rels = append(rels, newsdedup.Relation{A: m[0], B: arts[i].ID, Kind: newsdedup.KindSameStory, Score: score[first],
				Evidence: storyEvidence(sc, item[i], s)})
		}
	}
	// Stories in order of their first member's position in the input.
	slices.SortStableFunc(out, func(x, y newsdedup.Story) int {
		return cmp.Compare(minPos(pos, x.Members), minPos(pos, y.Members))
	})
	return out, rels
}

// storyChunk is how many articles' story features are computed at a time,
// and storyAhead how many such chunks may wait for placement.
const (
	storyChunk = 1024
	storyAhead = 4
)

func minPos(pos map[newsdedup.ArticleID]int, ids []newsdedup.ArticleID) int {
	m := len(pos)
	for _, id := range ids {
		m = min(m, pos[id])
	}
	return m
}

// whyTerms is how many shared terms a same_story relation's evidence names.
const whyTerms = 8

// storyEvidence is the evidence of a same_story relation of the article
// added item-th to story s: the terms, names and facts that tie it to its
// story, and the conflicts they outweighed, or nil.
func storyEvidence(sc *cluster.Stories, item, s int) *newsdedup.Evidence {
	terms := sc.Why(item, s, whyTerms)
	ents, conflicts := sc.WhyEvent(item, s, whyTerms)
	if len(terms) == 0 && len(ents) == 0 && len(conflicts) == 0 {
		return nil
	}
	return &newsdedup.Evidence{Terms: terms, Entities: ents, Conflicts: conflicts}
}
