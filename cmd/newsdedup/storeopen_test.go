package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReadCommandsCreateNoStore runs the commands that read a store on a
// directory that holds none: each fails saying how to make one, and
// creates nothing.
func TestReadCommandsCreateNoStore(t *testing.T) {
	typo := filepath.Join(t.TempDir(), "typo")
	for _, args := range [][]string{
		{"stats", "--db", typo},
		{"stories", "--db", typo},
		{"query", "--db", typo, "article.txt"},
		{"diff", "--db", typo, "a", "b"},
	} {
		var out, errb bytes.Buffer
		if code := Main(context.Background(), args, nil, &out, &errb); code != 1 {
			t.Errorf("%v: exit %d, want 1\n%s", args, code, errb.String())
		}
		want := "no store in " + typo + ": `newsdedup ingest --db " + typo + " PATH...` creates one"
		if !strings.Contains(errb.String(), want) {
			t.Errorf("%v: stderr %q, want %q", args, errb.String(), want)
		}
		if _, err := os.Stat(typo); !os.IsNotExist(err) {
			t.Fatalf("%v made %s (%v)", args, typo, err)
		}
	}
}
