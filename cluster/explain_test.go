package cluster

import (
	"testing"
	"time"
)

// Why names the terms an article shares with the other articles of its
// story, strongest first, and none of its own alone.
func TestWhy(t *testing.T) {
	c := NewStories(DefaultStoryConfig)
	day := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	a := c.Add(Featurize(DefaultFeatureConfig, "Flood in Haldmere", []string{"The Varne river flooded Haldmere on Friday and thousands left their homes as water rose in the old town near the bridge. Emergency crews from three counties worked through the night to move families from the lowest streets, and the mayor asked residents to stay away from the embankment until engineers inspect it."}), day, -1)
	// Told to join a's story (as a copy would be), so that the test does
	// not depend on the join threshold.
	b := c.Add(Featurize(DefaultFeatureConfig, "Haldmere evacuated", []string{"Thousands were evacuated from Haldmere as the Varne river burst its banks, officials said, with the bridge closed to traffic. Rescue teams carried elderly residents from flooded houses while volunteers opened the school gym as a shelter, and zebras have nothing to do with it."}), day, a.Story)
	if a.Story != b.Story {
		t.Fatalf("told to join story %d, placed in %d", a.Story, b.Story)
	}
	why := c.Why(1, b.Story, 5)
	if len(why) == 0 {
		t.Fatal("no terms")
	}
	named := map[string]bool{}
	for _, w := range why {
		named[w.Term] = true
	}
	if !named["haldmere"] && !named["varne"] {
		t.Errorf("terms %+v name neither haldmere nor varne, which both reports hold", why)
	}
	for k, w := range why {
		if w.Term == "zebras" {
			t.Errorf("a term of the article alone is named: %+v", why)
		}
		if k > 0 && w.Weight > why[k-1].Weight {
			t.Errorf("not strongest first: %+v", why)
		}
	}
	if got := c.Why(0, a.Story, 0); got != nil {
		t.Errorf("Why with k 0 = %+v", got)
	}
}
