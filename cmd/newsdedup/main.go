// Command newsdedup finds the copies of news articles and groups them into
// families and stories.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
)

const usage = `newsdedup finds every copy of a news article and groups articles into stories.

Usage:
  newsdedup run [--format text|json] PATH...     relate the articles in files and directories
  newsdedup extract [--format text|json|jsonl] PATH...  print what extraction finds in each input
  newsdedup ingest --db DIR PATH...               store articles, placing each in its family and story
  newsdedup query --db DIR [--format text|json] PATH...  where articles would land, without storing them
  newsdedup stats --db DIR [--format text|json]
  newsdedup stories --db DIR [--since DATE] [--format text|json]
  newsdedup diff --db DIR [--format text|json] ID ID  what B kept, added, removed and changed of A
  newsdedup bench [--articles N] [--corpus DIR] [--format text|json]  speed and accuracy beside a peer
  newsdedup serve --db DIR [--addr HOST:PORT] [--token-file FILE]  JSON API
  newsdedup eval [--format text|json] FILE.jsonl score the pipeline on labelled data
  newsdedup eval --dataset ecbplus|gvc|wiki-versions|scrapinghub [--split dev|test|all]

Run 'newsdedup COMMAND -h' for a command's flags.
`

// errUsage is returned for a command line that cannot be run; main prints
// the usage and exits 2.
var errUsage = errors.New("usage")

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	os.Exit(Main(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// Main runs the command line args and returns the exit code: 0 on success,
// 1 when the command failed or some inputs were bad, 2 on a usage error.
func Main(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	var err error
	switch args[0] {
	case "run":
		err = runCommand(ctx, args[1:], stdin, stdout, stderr)
	case "ingest":
		err = ingestCommand(ctx, args[1:], stdin, stdout, stderr)
	case "stats":
		err = statsCommand(ctx, args[1:], stdout, stderr)
	case "query":
		err = queryCommand(ctx, args[1:], stdin, stdout, stderr)
	case "stories":
		err = storiesCommand(ctx, args[1:], stdout, stderr)
	case "diff":
		err = diffCommand(ctx, args[1:], stdout, stderr)
	case "bench":
		err = benchCommand(ctx, args[1:], stdout, stderr)
	case "serve":
		err = serveCommand(ctx, args[1:], stdout, stderr)
	case "extract":
		err = extractCommand(ctx, args[1:], stdin, stdout, stderr)
	case "eval":
		err = evalCommand(ctx, args[1:], stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "newsdedup: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		fmt.Fprint(stderr, usage)
		return 2
	}
	fmt.Fprintf(stderr, "newsdedup: %v\n", err)
	return 1
}
