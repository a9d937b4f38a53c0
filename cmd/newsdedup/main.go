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
	"runtime/pprof"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(profiled(os.Stderr, func() int { return Main(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr) }))
}

// profiled runs cmd, with a CPU profile of it written to the file
// NEWSDEDUP_CPUPROFILE names, if set, and a heap profile at its end to the
// file NEWSDEDUP_MEMPROFILE names, if set. A profile that cannot be written
// is said on stderr (the command still runs); with the CPU profile taken
// here, bench --cpuprofile refuses to start another.
func profiled(stderr io.Writer, cmd func() int) int {
	warn := func(env string, err error) {
		fmt.Fprintf(stderr, "newsdedup: %s: no profile: %v\n", env, err)
	}
	if p := os.Getenv("NEWSDEDUP_CPUPROFILE"); p != "" {
		if f, err := os.Create(p); err != nil {
			warn("NEWSDEDUP_CPUPROFILE", err)
		} else if err := pprof.StartCPUProfile(f); err != nil {
			f.Close()
			warn("NEWSDEDUP_CPUPROFILE", err)
		} else {
			defer func() {
				pprof.StopCPUProfile()
				if err := f.Close(); err != nil {
					warn("NEWSDEDUP_CPUPROFILE", err)
				}
			}()
		}
	}
	code := cmd()
	if p := os.Getenv("NEWSDEDUP_MEMPROFILE"); p != "" {
		f, err := os.Create(p)
		if err == nil {
			err = pprof.WriteHeapProfile(f)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
		}
		if err != nil {
			warn("NEWSDEDUP_MEMPROFILE", err)
		}
	}
	return code
}

// Main runs the command line args and returns the exit code: 0 on success,
// 1 when the command failed or some inputs were bad, 2 on a usage error
// (printed on one line, with where to find help).
func Main(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, globalUsage())
		return 2
	}
	var err error
	switch args[0] {
	case "run":
		err = runCommand(ctx, args[1:], stdin, stdout, stderr)
	case "ingest":
		err = ingestCommand(ctx, args[1:], stdin, stdout, stderr)
	case "worker":
		err = workerCommand(ctx, args[1:], stdout, stderr)
	case "export":
		err = exportCommand(ctx, args[1:], stdout, stderr)
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
	case "version", "--version":
		fmt.Fprintln(stdout, versionString())
		return 0
	case "completion":
		if len(args) != 2 || args[1] != "bash" {
			err = usagef("completion", "want 'completion bash'")
			break
		}
		fmt.Fprint(stdout, bashCompletion())
		return 0
	case "help", "-h", "--help":
		if len(args) > 1 {
			if _, ok := lookup(args[1]); !ok {
				fmt.Fprintf(stderr, "newsdedup: unknown command %q; run 'newsdedup help' for the list\n", args[1])
				return 2
			}
			// Each command prints its help, with its flags, for -h.
			return Main(ctx, []string{args[1], "-h"}, stdin, stdout, stderr)
		}
		fmt.Fprint(stdout, globalUsage())
		return 0
	default:
		fmt.Fprintf(stderr, "newsdedup: unknown command %q; run 'newsdedup help' for the list\n", args[0])
		return 2
	}
	var ue *usageError
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "newsdedup %s: %s\nRun 'newsdedup help %s' for usage.\n", ue.cmd, ue.msg, ue.cmd)
		return 2
	}
	if errors.Is(err, context.Canceled) && ctx.Err() != nil {
		// Interrupted: the command said what it had done.
		return 130
	}
	fmt.Fprintf(stderr, "newsdedup: %v\n", err)
	return 1
}
