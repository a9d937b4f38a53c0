package cluster_test

import (
	"testing"
	"time"

	"github.com/newsdedup/newsdedup/cluster"
)

// A follow-up months after its event (a charge, a trial) that names the
// people its story named eases the time fade (StoryConfig.FadeNames); one
// that names none is faded in full.
func TestFadeNames(t *testing.T) {
	f := func(title, body string) cluster.Features {
		return cluster.Featurize(cluster.DefaultFeatureConfig, title, []string{body})
	}
	day := time.Date(2016, 3, 5, 0, 0, 0, 0, time.UTC)
	first := "Police said Endicott McCray shot a woman in the head outside a bar on Sixth Street late Thursday. The victim, Sarah Lindqvist, died at the scene and McCray fled on foot, officers said."
	second := "Officers searched downtown on Friday for Endicott McCray, wanted in the shooting of Sarah Lindqvist outside a Sixth Street bar. Police asked anyone who saw McCray to call."
	later := "Prosecutors filed more charges against Endicott McCray in the death of Sarah Lindqvist, shot outside a Sixth Street bar. McCray remains in jail, court records show."
	for _, tc := range []struct {
		fadeNames float64
		joins     bool
	}{{0, false}, {0.75, true}} {
		cfg := cluster.DefaultStoryConfig
		cfg.FadeNames = tc.fadeNames
		c := cluster.NewStories(cfg)
		c.Add(f("Woman shot dead outside Sixth Street bar", first), day, -1)
		c.Add(f("Police search for Sixth Street shooting suspect", second), day.Add(24*time.Hour), -1)
		p := c.Add(f("More charges filed against Sixth Street shooter", later), day.Add(200*24*time.Hour), -1)
		if joined := !p.New && p.Story == 0; joined != tc.joins {
			t.Errorf("FadeNames=%v: follow-up joined=%v (story %d, score %.2f), want %v", tc.fadeNames, joined, p.Story, p.Score, tc.joins)
		}
	}
}
