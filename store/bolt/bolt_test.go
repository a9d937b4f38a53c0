package bolt_test

import (
	"testing"

	"newsdedup"
	"newsdedup/store/bolt"
	"newsdedup/store/storetest"
)

func TestStore(t *testing.T) {
	storetest.Run(t, func(tb testing.TB, dir string, p newsdedup.Params) (newsdedup.Store, error) {
		return bolt.Open(dir, p)
	})
}
