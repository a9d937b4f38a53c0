package extract

import (
	"fmt"
	"os"
	"testing"
)

func TestDebugClassify(t *testing.T) {
	f := os.Getenv("DEBUG_FILE")
	if f == "" {
		t.Skip()
	}
	data, _ := os.ReadFile(f)
	ps := splitLines(string(data))
	debugHook = func(ps []*para) {
		for _, p := range ps {
			fmt.Printf("%d/%d w=%d s=%d ch=%v cap=%v tail=%v | %.70s\n", p.class, p.final, p.words, p.stops, p.chrome, p.caption, p.tail, p.text)
		}
	}
	d := classify(ps)
	_ = d
	fmt.Println("TITLE:", d.title, "DATE:", d.date, "CREDITS:", d.credits)
	for _, b := range d.body {
		fmt.Println("  BODY:", b[:min(len(b), 80)])
	}
}
