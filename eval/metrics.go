package eval

import "slices"

// PRF is a precision, recall and F1 triple.
type PRF struct {
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
}

func prf(p, r float64) PRF {
	f := 0.0
	if p+r > 0 {
		f = 2 * p * r / (p + r)
	}
	return PRF{Precision: p, Recall: r, F1: f}
}

// Metrics are the scores of a clustering against gold clusters.
type Metrics struct {
	Pairwise     PRF     `json:"pairwise"`
	BCubed       PRF     `json:"bcubed"`
	ARI          float64 `json:"ari"`
	Articles     int     `json:"articles"`
	Clusters     int     `json:"clusters"`
	GoldClusters int     `json:"gold_clusters"`
}

// Score compares the predicted cluster of each item with its gold labels.
// pred[i] is item i's cluster; gold[i] its gold clusters: usually one, more
// where the data puts an item in several (GVC has articles about two
// incidents). Items without gold labels must be left out by the caller.
//
//   - Pairwise (Miranda et al. 2018): precision is the share of item pairs
//     put in one cluster that share a gold label; recall the share of pairs
//     sharing a gold label that were put in one cluster. With no predicted
//     (gold) pairs at all, precision (recall) is 1.
//   - B-cubed with the multiplicity extension of Amigó et al. (2009), which
//     is plain B-cubed when every item has one label.
//   - The adjusted Rand index (Hubert and Arabie 1985) over each item's first
//     gold label.
//
// It runs in O(n + Σ pairs within predicted clusters) time.
func Score(pred []int, gold [][]string) Metrics {
	n := len(pred)
	m := Metrics{Articles: n}
	if n == 0 {
		return m
	}
	clusters := make(map[int][]int)
	for i, c := range pred {
		clusters[c] = append(clusters[c], i)
	}
	labels := make(map[string][]int)
	for i, g := range gold {
		for _, l := range g {
			labels[l] = append(labels[l], i)
		}
	}
	m.Clusters, m.GoldClusters = len(clusters), len(labels)

	shared := func(i, j int) int {
		k := 0
		for _, a := range gold[i] {
			if slices.Contains(gold[j], a) {
				k++
			}
		}
		return k
	}

	// Pairwise.
	var predPairs, tp, goldPairs float64
	for _, ms := range clusters {
		predPairs += pairs(len(ms))
		for x, i := range ms {
			for _, j := range ms[x+1:] {
				if shared(i, j) > 0 {
					tp++
				}
			}
		}
	}
	for _, ms := range labels {
		goldPairs += pairs(len(ms))
	}
	// A pair sharing k > 1 labels was counted k times above.
	var multi []int
	for i, g := range gold {
		if len(g) > 1 {
			multi = append(multi, i)
		}
	}
	for x, i := range multi {
		for _, j := range multi[x+1:] {
			if k := shared(i, j); k > 1 {
				goldPairs -= float64(k - 1)
			}
		}
	}
	p, r := 1.0, 1.0
	if predPairs > 0 {
		p = tp / predPairs
	}
	if goldPairs > 0 {
		r = tp / goldPairs
	}
	m.Pairwise = prf(p, r)

	// Extended B-cubed. Each item is in one predicted cluster, so the
	// cluster multiplicity of a pair is 1 when together and 0 otherwise.
	var bp, br float64
	for i := range n {
		var sum float64
		ms := clusters[pred[i]]
		for _, j := range ms {
			if shared(i, j) > 0 {
				sum += 1 // min(1, k) / 1
			}
		}
		bp += sum / float64(len(ms))
		var rs float64
		var cnt int
		seen := make(map[int]bool)
		for _, l := range gold[i] {
			for _, j := range labels[l] {
				if seen[j] {
					continue
				}
				seen[j] = true
				cnt++
				if pred[i] == pred[j] {
					rs += 1 / float64(shared(i, j)) // min(1, k) / k
				}
			}
		}
		if cnt > 0 {
			br += rs / float64(cnt)
		} else {
			br++
		}
	}
	m.BCubed = prf(bp/float64(n), br/float64(n))

	// ARI over first labels.
	first := make([]string, n)
	for i, g := range gold {
		if len(g) > 0 {
			first[i] = g[0]
		}
	}
	m.ARI = ari(pred, first)
	return m
}

func pairs(k int) float64 { return float64(k) * float64(k-1) / 2 }

func ari(pred []int, gold []string) float64 {
	n := len(pred)
	type cell struct {
		p int
		g string
	}
	cont := make(map[cell]int)
	a := make(map[int]int)
	b := make(map[string]int)
	for i := range pred {
		cont[cell{pred[i], gold[i]}]++
		a[pred[i]]++
		b[gold[i]]++
	}
	var index, sa, sb float64
	for _, v := range cont {
		index += pairs(v)
	}
	for _, v := range a {
		sa += pairs(v)
	}
	for _, v := range b {
		sb += pairs(v)
	}
	total := pairs(n)
	if total == 0 {
		return 1
	}
	expected := sa * sb / total
	maxIndex := (sa + sb) / 2
	if maxIndex == expected {
		// Both clusterings are trivial (all singletons or one cluster) in
		// the same way: they agree perfectly.
		if index == expected {
			return 1
		}
		return 0
	}
	return (index - expected) / (maxIndex - expected)
}
