package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"runtime/debug"
	"slices"
	"strings"
	"unicode"
)

// Version is the release this source tree is; a binary built from a
// module version or a VCS checkout reports that too.
const Version = "0.2.0-dev"

// A command is one subcommand: its usage line, what it does, and examples.
type command struct {
	name    string
	usage   string // after "newsdedup "
	summary string
	example string
}

// commands lists the subcommands in the order the usage shows them.
var commands = []command{
	{"run", "run [--format text|json] [--memory-limit SIZE] [--events] PATH...", "relate the articles in files, directories, URLs and - (stdin): copies, families, stories",
		"newsdedup run examples/news\n  newsdedup run examples/news --format json > report.json"},
	{"extract", "extract [--format text|json|jsonl] PATH...", "print what extraction finds in each input: title, date, source, body",
		"newsdedup extract page.html\n  newsdedup extract --format jsonl crawl.warc.gz"},
	{"ingest", "ingest (--db DIR|URL [--index redis://HOST:PORT,...] | --queue nats://HOST:PORT) PATH...", "store articles, placing each in its family and story (creates the store), or queue them for workers",
		"newsdedup ingest --db ./store examples/news\n  newsdedup ingest --queue nats://127.0.0.1:4222 crawl.warc.gz"},
	{"query", "query --db DIR|URL [--format text|json] PATH...", "where articles would land, without storing them",
		"newsdedup query --db ./store new-page.html"},
	{"stats", "stats --db DIR|URL [--format text|json]", "count what a store holds",
		"newsdedup stats --db ./store --format json"},
	{"stories", "stories --db DIR|URL [--since DATE] [--format text|json]", "list a store's stories, newest first",
		"newsdedup stories --db ./store --since 2025-03-01"},
	{"diff", "diff --db DIR|URL [--format text|json] ID ID", "what the second article kept, added, removed and changed of the first",
		"newsdedup diff --db ./store 5f684c536a95bfe6 fa1ba070836df2d4"},
	{"export", "export --db DIR|URL [--format jsonl]", "print every stored article with its family, original and story, one JSON line each",
		"newsdedup export --db ./store > articles.jsonl\n  newsdedup export --db postgres://newsdedup@db.example/news"},
	{"serve", "serve --db DIR|URL [--addr HOST:PORT] [--token-file FILE] [--refresh DURATION] [--index redis://HOST:PORT,...]", "serve the JSON API and the web page (creates the store)",
		"newsdedup serve --db ./store --addr 127.0.0.1:8080\n  newsdedup serve --db postgres://newsdedup@db.example/news --addr :8080"},
	{"worker", "worker --db postgres://... --queue nats://HOST:PORT [--index redis://HOST:PORT,...] [--addr HOST:PORT] [--batch N] [--max-tries N] [--ack-wait DURATION]", "place and store the articles of a queue, beside any number of other workers",
		"newsdedup worker --db postgres://newsdedup@db/news --queue nats://127.0.0.1:4222 --index redis://10.0.0.5:7000,10.0.0.6:7000"},
	{"eval", "eval [--format text|json] [--no-dates] [--events] (FILE.jsonl | --dataset ecbplus|ecbplus-politics|gvc|wiki-versions|scrapinghub|trafilatura-dev|multilingual-zh|multilingual-de [--split dev|test|all] [--write FILE.jsonl] [--shared DIR])", "score the pipeline on labelled data",
		"newsdedup eval --dataset ecbplus --split test --shared ../shared/eval"},
	{"bench", "bench [--articles N] [--corpus DIR] [--format text|json] [--peer=false]", "speed and accuracy of copy detection beside a peer",
		"newsdedup bench --articles 20000 --corpus ../shared/eval/throughput/reuters21578"},
	{"version", "version", "print the version", "newsdedup version"},
	{"completion", "completion bash", "print a bash completion script",
		"source <(newsdedup completion bash)"},
}

func lookup(name string) (command, bool) {
	i := slices.IndexFunc(commands, func(c command) bool { return c.name == name })
	if i < 0 {
		return command{}, false
	}
	return commands[i], true
}

// globalUsage is the usage of newsdedup as a whole.
func globalUsage() string {
	var b strings.Builder
	b.WriteString("newsdedup finds every copy of a news article and groups articles into stories.\n\nUsage:\n")
	for _, c := range commands {
		fmt.Fprintf(&b, "  newsdedup %-10s %s\n", c.name, c.summary)
	}
	b.WriteString("\nFlags go before or after paths. Run 'newsdedup help COMMAND' or 'newsdedup COMMAND -h' for a command's flags and examples.\n")
	return b.String()
}

// commandHelp writes the help of command name, with fs's flags if given.
func commandHelp(w io.Writer, name string, fs *flag.FlagSet) {
	c, _ := lookup(name)
	fmt.Fprintf(w, "Usage: newsdedup %s\n\n%s.\n", c.usage, strings.ToUpper(c.summary[:1])+c.summary[1:])
	if fs != nil {
		n := 0
		fs.VisitAll(func(*flag.Flag) { n++ })
		if n > 0 {
			fmt.Fprintln(w, "\nFlags:")
			out := fs.Output()
			fs.SetOutput(w)
			fs.PrintDefaults()
			fs.SetOutput(out)
		}
	}
	fmt.Fprintf(w, "\nExample:\n  %s\n", c.example)
}

// usageError is a command line that cannot be run: main prints it on one
// line, with where to find help, and exits 2.
type usageError struct {
	cmd, msg string
}

func (e *usageError) Error() string { return e.cmd + ": " + e.msg }

// usagef returns a usageError of command cmd.
func usagef(cmd, format string, args ...any) error {
	return &usageError{cmd: cmd, msg: fmt.Sprintf(format, args...)}
}

// newFlags returns a flag set for command name that reports nothing itself:
// parseFlags turns its errors into usage errors.
func newFlags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}

// parseFlags parses args into fs with flags before, between or after the
// positional arguments ("--" ends the flags; "-" is stdin, an argument),
// leaving the positional arguments in fs.Args(). -h prints the command's
// help to stdout and returns flag.ErrHelp.
func parseFlags(fs *flag.FlagSet, args []string, stdout io.Writer) error {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				commandHelp(stdout, fs.Name(), fs)
				return err
			}
			return usagef(fs.Name(), "%v", err)
		}
		rest := fs.Args()
		if len(rest) == 0 {
			break
		}
		// fs.Parse stopped at a positional argument or after "--".
		if n := len(args) - len(rest); n > 0 && args[n-1] == "--" {
			pos = append(pos, rest...)
			break
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
	return fs.Parse(append([]string{"--"}, pos...))
}

// checkFormat returns a usage error unless format is one of allowed.
func checkFormat(cmd, format string, allowed ...string) error {
	if slices.Contains(allowed, format) {
		return nil
	}
	return usagef(cmd, "--format %s: want %s", format, strings.Join(allowed, " or "))
}

// versionString is the version line: the release, and the module version or
// VCS revision the binary was built from when known.
func versionString() string {
	v := "newsdedup " + Version
	if bi, ok := debug.ReadBuildInfo(); ok {
		if m := bi.Main.Version; m != "" && m != "(devel)" {
			v += " (module " + m + ")"
		}
		var rev, dirty string
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value[:min(12, len(s.Value))]
			case "vcs.modified":
				if s.Value == "true" {
					dirty = "+changes"
				}
			}
		}
		if rev != "" {
			v += " (revision " + rev + dirty + ")"
		}
		v += " " + bi.GoVersion
	}
	return v
}

// bashCompletion is a completion script for bash: commands, then each
// command's flags, then file names.
func bashCompletion() string {
	var names []string
	var cases strings.Builder
	for _, c := range commands {
		names = append(names, c.name)
		var flags []string
		for _, f := range strings.Fields(c.usage) {
			f = strings.Trim(f, "[]()|")
			if strings.HasPrefix(f, "--") {
				flags = append(flags, strings.SplitN(f, "=", 2)[0])
			}
		}
		fmt.Fprintf(&cases, "    %s) flags=%q ;;\n", c.name, strings.Join(flags, " ")+" --help")
	}
	return fmt.Sprintf(`# bash completion for newsdedup: source <(newsdedup completion bash)
_newsdedup() {
  local cur=${COMP_WORDS[COMP_CWORD]} flags
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=($(compgen -W %q -- "$cur")); return
  fi
  case ${COMP_WORDS[1]} in
%s    *) flags="" ;;
  esac
  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$flags" -- "$cur"))
  else
    COMPREPLY=($(compgen -f -- "$cur"))
  fi
}
complete -o filenames -F _newsdedup newsdedup
`, strings.Join(append(names, "help"), " "), cases.String())
}

// printable returns s with control and format characters (terminal escape
// sequences, NUL, bidirectional overrides) shown as \u escapes, for text
// that a person's terminal prints: titles, inputs and IDs come from the
// inputs.
func printable(s string) string {
	if !strings.ContainsFunc(s, unprintable) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if unprintable(r) {
			fmt.Fprintf(&b, "\\u%04x", r)
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func unprintable(r rune) bool {
	return r != '\t' && (unicode.IsControl(r) || unicode.Is(unicode.Cf, r))
}
