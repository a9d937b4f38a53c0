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

// familySigs returns the signatures of n random 150-shingle texts in
// families of ten (an original and nine copies, each with a fifth of the
// original's shingles replaced) scattered at random places, as a
// syndicated stream read in no order of its stories holds them.
func familySigs(n int) [][]uint64 {
	r := rand.New(rand.NewPCG(5, 6))
	out := make([][]uint64, n)
	order := r.Perm(n)
	var orig []uint64
	for i, at := range order {
		sh := make([]uint64, 150)
		for j := range sh {
			if i%10 != 0 && j%5 != 0 {
				sh[j] = orig[j]
			} else {
				sh[j] = r.Uint64()
			}
		}
		if i%10 == 0 {
			orig = sh
		}
		out[at] = fingerprint.Signature(newsdedup.DefaultParams, sh)
	}
	return out
}

// BenchmarkQueryFamilies measures querying a band index of 100,000
// articles in scattered families of ten, in random order: each query walks
// the chains of the nine copies it shares bands with.
func BenchmarkQueryFamilies(b *testing.B) {
	p := newsdedup.DefaultParams
	const n = 100_000
	x := lsh.New(p)
	var keys []uint32
	for _, s := range familySigs(n) {
		keys = x.Keys(s, keys)
	}
	x.AddMany(0, keys, 2)
	order := rand.New(rand.NewPCG(7, 8)).Perm(n)
	b.ReportAllocs()
	k, found := 0, 0
	for b.Loop() {
		i := order[k]
		x.QueryKeys(keys[i*p.Bands:(i+1)*p.Bands], func(int32) { found++ })
		k = (k + 1) % n
	}
	if found < 10*b.N {
		b.Fatalf("%d queries found %d ids: each should find its family in most bands", b.N, found)
	}
}
