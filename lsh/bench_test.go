package lsh_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/newsdedup/newsdedup"
	"github.com/newsdedup/newsdedup/fingerprint"
	"github.com/newsdedup/newsdedup/lsh"
)

// sigs returns the signatures of n random 150-shingle texts, every tenth a
// copy of the one before with a fifth of its shingles replaced.
func sigs(n int) [][]uint64 {
	r := rand.New(rand.NewPCG(1, 2))
	out := make([][]uint64, n)
	var last []uint64
	for i := range out {
		sh := make([]uint64, 150)
		for j := range sh {
			if i%10 == 9 && j%5 != 0 {
				sh[j] = last[j]
			} else {
				sh[j] = r.Uint64()
			}
		}
		last = sh
		out[i] = fingerprint.Signature(newsdedup.DefaultParams, sh)
	}
	return out
}

// BenchmarkIndex measures building the band index in bulk (AddMany on both
// cores) and querying it, per article.
func BenchmarkIndex(b *testing.B) {
	p := newsdedup.DefaultParams
	for _, n := range []int{10_000, 100_000} {
		ss := sigs(n)
		x := lsh.New(p)
		var keys []uint32
		for _, s := range ss {
			keys = x.Keys(s, keys)
		}
		b.Run(fmt.Sprintf("AddMany/%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				lsh.New(p).AddMany(0, keys, 2)
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "articles/s")
		})
		x.AddMany(0, keys, 2)
		b.Run(fmt.Sprintf("Query/%d", n), func(b *testing.B) {
			b.ReportAllocs()
			i, found := 0, 0
			for b.Loop() {
				x.QueryKeys(keys[i*p.Bands:(i+1)*p.Bands], func(int32) { found++ })
				i = (i + 1) % n
			}
			if found < b.N {
				b.Fatalf("%d queries found %d ids: each should find itself", b.N, found)
			}
		})
		b.Run(fmt.Sprintf("NewSorted/%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				lsh.NewSorted(p, keys, 2)
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "articles/s")
		})
		s := lsh.NewSorted(p, keys, 2)
		b.Run(fmt.Sprintf("Earlier/%d", n), func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				s.Earlier(int32(i), func(int32) {})
				i = (i + 1) % n
			}
		})
	}
}

// BenchmarkAnchors measures building the anchor index in bulk and querying it.
func BenchmarkAnchors(b *testing.B) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{10_000, 100_000} {
		anchors := make([][]uint64, n)
		for i := range anchors {
			anchors[i] = make([]uint64, 30)
			for j := range anchors[i] {
				anchors[i][j] = r.Uint64()
			}
		}
		b.Run(fmt.Sprintf("AddMany/%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				lsh.NewAnchors(64).AddMany(0, anchors, 2)
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "articles/s")
		})
		x := lsh.NewAnchors(64)
		x.AddMany(0, anchors, 2)
		b.Run(fmt.Sprintf("Query/%d", n), func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				x.Query(anchors[i], func(int32) {})
				i = (i + 1) % n
			}
		})
	}
}
