package eval

import (
	"math"
	"testing"
)

func one(ls ...string) [][]string {
	out := make([][]string, len(ls))
	for i, l := range ls {
		out[i] = []string{l}
	}
	return out
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestScore(t *testing.T) {
	for _, tc := range []struct {
		name             string
		pred             []int
		gold             [][]string
		pp, pr, bp, br   float64
		ari              float64
		clusters, goldCl int
	}{
		{
			// gold {0,1,2} {3,4}; pred {0,1} {2,3,4}
			// pairs: pred 1+3=4, gold 3+1=4, tp = (0,1) + (3,4) = 2.
			// B-cubed precision: 0,1: 1; 2: 1/3; 3,4: 2/3 -> (1+1+1/3+2/3+2/3)/5 = 11/15
			// B-cubed recall: 0,1: 2/3; 2: 1/3; 3,4: 1 -> (2/3+2/3+1/3+1+1)/5 = 11/15
			// ARI: index 2, sa 4, sb 4, total 10, expected 1.6, max 4 -> 0.4/2.4
			name: "hand computed", pred: []int{1, 1, 2, 2, 2}, gold: one("a", "a", "a", "b", "b"),
			pp: 0.5, pr: 0.5, bp: 11.0 / 15, br: 11.0 / 15, ari: 0.4 / 2.4, clusters: 2, goldCl: 2,
		},
		{
			name: "perfect", pred: []int{7, 7, 9}, gold: one("x", "x", "y"),
			pp: 1, pr: 1, bp: 1, br: 1, ari: 1, clusters: 2, goldCl: 2,
		},
		{
			// No predicted pairs: precision 1 by definition; recall 0.
			name: "all singletons", pred: []int{1, 2, 3, 4}, gold: one("a", "a", "b", "b"),
			pp: 1, pr: 0, bp: 1, br: 0.5, ari: 0, clusters: 4, goldCl: 2,
		},
		{
			// pred pairs 6, gold pairs 2, tp 2.
			name: "one cluster", pred: []int{1, 1, 1, 1}, gold: one("a", "a", "b", "b"),
			pp: 2.0 / 6, pr: 1, bp: 0.5, br: 1, ari: 0, clusters: 1, goldCl: 2,
		},
		{
			name: "singletons both", pred: []int{1, 2, 3}, gold: one("a", "b", "c"),
			pp: 1, pr: 1, bp: 1, br: 1, ari: 1, clusters: 3, goldCl: 3,
		},
		{
			// Item 1 is about incidents a and b. Gold pairs: (0,1) via a,
			// (1,2) via b = 2. Pred {0,1} {2}: tp 1.
			// B-cubed precision all 1; recall (multiplicity min(1,k)/k):
			// 0: peers 0, 1 together -> 1; 1: itself (k=2) 1/2, 0 -> 1,
			// 2 apart -> 1.5/3; 2: itself 1, 1 apart -> 1/2.
			name: "two labels", pred: []int{1, 1, 2}, gold: [][]string{{"a"}, {"a", "b"}, {"b"}},
			pp: 1, pr: 0.5, bp: 1, br: (1 + 0.5 + 0.5) / 3, ari: 0, clusters: 2, goldCl: 2,
		},
	} {
		m := Score(tc.pred, tc.gold)
		if !near(m.Pairwise.Precision, tc.pp) || !near(m.Pairwise.Recall, tc.pr) {
			t.Errorf("%s: pairwise=%+v, want P %.4f R %.4f", tc.name, m.Pairwise, tc.pp, tc.pr)
		}
		if !near(m.BCubed.Precision, tc.bp) || !near(m.BCubed.Recall, tc.br) {
			t.Errorf("%s: bcubed=%+v, want P %.4f R %.4f", tc.name, m.BCubed, tc.bp, tc.br)
		}
		if tc.name != "two labels" && !near(m.ARI, tc.ari) {
			t.Errorf("%s: ARI=%.4f, want %.4f", tc.name, m.ARI, tc.ari)
		}
		if m.Clusters != tc.clusters || m.GoldClusters != tc.goldCl || m.Articles != len(tc.pred) {
			t.Errorf("%s: counts=%d/%d/%d, want %d/%d/%d", tc.name, m.Articles, m.Clusters, m.GoldClusters, len(tc.pred), tc.clusters, tc.goldCl)
		}
		if f := m.Pairwise.F1; (tc.pp+tc.pr > 0) && !near(f, 2*tc.pp*tc.pr/(tc.pp+tc.pr)) {
			t.Errorf("%s: F1=%.4f", tc.name, f)
		}
	}
}
