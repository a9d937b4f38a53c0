package pipeline

import (
	"sync"

	"github.com/newsdedup/newsdedup"
	"github.com/newsdedup/newsdedup/fingerprint"
	"github.com/newsdedup/newsdedup/lsh"
)

// Fingerprints computes the fingerprints of arts on cfg.Workers goroutines.
func Fingerprints(cfg Config, arts []*newsdedup.Article) []fingerprint.Print {
	bodies := make([][]string, len(arts))
	for i, a := range arts {
		bodies[i] = a.Body
	}
	return FingerprintBodies(cfg, bodies)
}

// FingerprintBodies computes the fingerprints of bodies on cfg.Workers
// goroutines.
func FingerprintBodies(cfg Config, bodies [][]string) []fingerprint.Print {
	prints := make([]fingerprint.Print, len(bodies))
	makers := sync.Pool{New: func() any {
		m := fingerprint.NewMaker(cfg.Params)
		m.AnchorWindow = cfg.AnchorWindow
		return m
	}}
	parallel(cfg, len(bodies), func(i int) {
		m := makers.Get().(*fingerprint.Maker)
		prints[i] = m.Make(bodies[i])
		makers.Put(m)
	})
	return prints
}

// fingerprintKeys fingerprints bodies like FingerprintBodies, without
// keeping the signatures: it returns, one article after the other, each
// signature's band keys in index (all 0 for an empty text).
func fingerprintKeys(cfg Config, index *lsh.Index, bodies [][]string) ([]fingerprint.Print, []uint32) {
	prints := make([]fingerprint.Print, len(bodies))
	nb := cfg.Params.Bands
	keys := make([]uint32, len(bodies)*nb)
	type scratch struct {
		m   *fingerprint.Maker
		sig []uint64
	}
	pool := sync.Pool{New: func() any {
		m := fingerprint.NewMaker(cfg.Params)
		m.AnchorWindow, m.SkipSig = cfg.AnchorWindow, true
		return &scratch{m: m}
	}}
	parallel(cfg, len(bodies), func(i int) {
		sc := pool.Get().(*scratch)
		pr := sc.m.Make(bodies[i])
		if len(pr.Shingles) > 0 {
			sc.sig = fingerprint.SignatureInto(cfg.Params, pr.Shingles, sc.sig)
			index.Keys(sc.sig, keys[i*nb:i*nb])
		}
		prints[i] = pr
		pool.Put(sc)
	})
	return prints, keys
}
