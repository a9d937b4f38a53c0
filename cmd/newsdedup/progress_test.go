package main

import (
	"bytes"
	"os"
	"strings"
	"testing"
	"time"
)

func TestProgress(t *testing.T) {
	if newProgress(&bytes.Buffer{}) != nil {
		t.Errorf("progress on a buffer")
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	if newProgress(w) != nil {
		t.Errorf("progress on a pipe: output piped must print none")
	}
	var buf bytes.Buffer
	p := &progress{w: &buf, start: time.Now().Add(-2 * time.Second), last: time.Now().Add(-time.Second)}
	p.update(10, 1)
	p.update(11, 1) // within 250 ms of the last line: not printed
	p.done()
	if got := buf.String(); strings.Count(got, "\r") != 2 || !strings.Contains(got, "read 10 articles") || !strings.HasSuffix(got, "read 11 articles (5/s), 1 errors \n") {
		t.Errorf("progress printed %q", got)
	}
}
