package eval

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/markusmobius/go-trafilatura"

	"github.com/newsdedup/newsdedup/extract"
)

// BenchmarkExtraction measures pages/s on one core over the 181 Scrapinghub
// pages: go-trafilatura alone (the baseline, same options) and newsdedup's
// extract.HTML, in the same run.
func BenchmarkExtraction(b *testing.B) {
	dir := filepath.Join("..", SharedDir, "extraction/scrapinghub")
	if _, err := os.Stat(dir); err != nil {
		b.Skipf("evaluation data absent (%v)", err)
	}
	pages, err := ScrapinghubPages(dir)
	if err != nil {
		b.Fatal(err)
	}
	var n int64
	for _, p := range pages {
		n += int64(len(p.HTML))
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	b.Run("go-trafilatura", func(b *testing.B) {
		b.SetBytes(n)
		b.ReportAllocs()
		for b.Loop() {
			for _, p := range pages {
				trafilatura.Extract(bytes.NewReader(p.HTML), trafilatura.Options{EnableFallback: true, ExcludeComments: true})
			}
		}
		b.ReportMetric(float64(len(pages))*float64(b.N)/b.Elapsed().Seconds(), "pages/s")
	})
	b.Run("newsdedup", func(b *testing.B) {
		b.SetBytes(n)
		b.ReportAllocs()
		for b.Loop() {
			for _, p := range pages {
				extract.HTML(p.ID, p.HTML, p.URL)
			}
		}
		b.ReportMetric(float64(len(pages))*float64(b.N)/b.Elapsed().Seconds(), "pages/s")
	})
}
