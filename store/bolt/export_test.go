package bolt

import "github.com/newsdedup/newsdedup"

// OpenOldLayout is Open, but a new store is made in the first layout, as
// stores made before the second were (see bArticles).
func OpenOldLayout(dir string, p newsdedup.Params) (*Store, error) {
	return open(dir, p, true, true)
}

// ByArrival reports whether s is in the second layout.
func (s *Store) ByArrival() bool { return s.byArrival }
