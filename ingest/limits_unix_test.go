//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package ingest_test

import (
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/newsdedup/newsdedup/ingest"
)

// TestReadNotRegular: a device, FIFO or socket named as an input is an error
// naming it, and is never opened (opening a FIFO waits for a writer; a
// device such as /dev/zero never ends).
func TestReadNotRegular(t *testing.T) {
	dir := t.TempDir()
	text := "Dock workers at the northern grain terminal walked out on Saturday, halting exports for the third day in a row, union officials said."
	mustWrite(t, filepath.Join(dir, "a.txt"), text)
	for _, name := range []string{"pipe", "pipe.jsonl", "pipe.warc", "pipe.html"} {
		if err := syscall.Mkfifo(filepath.Join(dir, name), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(filepath.Join(dir, "pipe"), filepath.Join(dir, "link.txt")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(dir, "a.txt"), filepath.Join(dir, "alias.txt")); err != nil {
		t.Fatal(err)
	}
	sock := filepath.Join(dir, "sock")
	if l, err := net.Listen("unix", sock); err != nil {
		t.Logf("no socket case: %v", err)
		sock = ""
	} else {
		defer l.Close()
	}
	for _, tc := range []struct {
		path     string
		articles int
		err      string // "" for none
	}{
		{"/dev/zero", 0, "/dev/zero: not a regular file (a device): newsdedup reads files, directories, URLs and - for stdin"},
		{filepath.Join(dir, "pipe"), 0, "pipe: not a regular file (a FIFO)"},
		{filepath.Join(dir, "pipe.jsonl"), 0, "pipe.jsonl: not a regular file (a FIFO)"},
		{filepath.Join(dir, "pipe.warc"), 0, "pipe.warc: not a regular file (a FIFO)"},
		{filepath.Join(dir, "pipe.html"), 0, "pipe.html: not a regular file (a FIFO)"},
		{filepath.Join(dir, "link.txt"), 0, "link.txt: not a regular file (a FIFO)"},
		{sock, 0, "sock: not a regular file (a socket)"},
		{filepath.Join(dir, "alias.txt"), 1, ""}, // a symlink to a file is read
		{dir, 1, ""},                             // a walk reads a.txt, passing over the FIFOs, the socket and the symlink
	} {
		if tc.path == "" {
			continue
		}
		if _, err := os.Stat(tc.path); err != nil {
			t.Logf("%s: %v", tc.path, err)
			continue
		}
		b := readWithin(t, tc.path, 5*time.Second)
		if b == nil {
			continue
		}
		if len(b.Articles) != tc.articles {
			t.Errorf("%s: %d articles, want %d (errors %v)", tc.path, len(b.Articles), tc.articles, b.Errors)
		}
		if tc.err == "" && len(b.Errors) > 0 || tc.err != "" && (len(b.Errors) != 1 || !strings.Contains(b.Errors[0].Error(), tc.err)) {
			t.Errorf("%s: errors %v, want one with %q", tc.path, b.Errors, tc.err)
		}
	}
}

// readWithin reads path, failing the test if that takes longer than d.
func readWithin(t *testing.T, path string, d time.Duration) *ingest.Batch {
	t.Helper()
	done := make(chan *ingest.Batch, 1)
	go func() { done <- ingest.ReadWith([]string{path}, ingest.Options{}) }()
	select {
	case b := <-done:
		return b
	case <-time.After(d):
		t.Errorf("%s: still reading after %v", path, d)
		return nil
	}
}
