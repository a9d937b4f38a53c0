package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const seedsDir = "../../../shared/fixtures/seeds"

// MustRunJSON runs "newsdedup run --format json args..." and decodes its report.
func MustRunJSON(tb testing.TB, wantCode int, args ...string) (Report, string) {
	tb.Helper()
	var stdout, stderr bytes.Buffer
	code := Main(context.Background(), append([]string{"run", "--format", "json"}, args...), nil, &stdout, &stderr)
	if code != wantCode {
		tb.Fatalf("exit code=%d, want %d; stderr:\n%s", code, wantCode, stderr.String())
	}
	var r Report
	if err := json.Unmarshal(stdout.Bytes(), &r); err != nil {
		tb.Fatalf("decode report: %v\n%s", err, stdout.String())
	}
	return r, stderr.String()
}

func needSeeds(tb testing.TB) {
	tb.Helper()
	if _, err := os.Stat(seedsDir); err != nil {
		tb.Skipf("seed fixtures absent (%v): this test needs ../shared beside the repository", err)
	}
}

// bySeed maps the seed number ("000") to its article's ID.
func bySeed(tb testing.TB, r Report) map[string]ArticleJSON {
	tb.Helper()
	out := make(map[string]ArticleJSON)
	for _, a := range r.Articles {
		out[filepath.Base(a.Input)[:3]] = a
	}
	if len(out) != 4 || len(r.Articles) != 4 {
		tb.Fatalf("articles=%d, want the 4 seeds", len(r.Articles))
	}
	return out
}

func TestRunSeeds(t *testing.T) {
	needSeeds(t)
	r, _ := MustRunJSON(t, 0, seedsDir)
	s := bySeed(t, r)

	t.Run("titles", func(t *testing.T) {
		want := map[string]string{
			"000": "Top US, Chinese diplomats meet on ASEAN summit sidelines",
			"001": "ASEAN talks: Blinken to meet China’s Wang Yi on sidelines",
			"002": "",
			"003": "Top US, Chinese diplomats meet at ASEAN talks as tensions risk flaring",
		}
		for k, w := range want {
			if got := s[k].Title; got != w {
				t.Errorf("title of %s=%q, want %q", k, got, w)
			}
		}
	})

	t.Run("dates", func(t *testing.T) {
		want := map[string]string{"000": "2023-07-13", "001": "", "002": "2023-07-14", "003": "2023-07-13"}
		for k, w := range want {
			got := ""
			if p := s[k].Published; p != nil {
				got = p.Format("2006-01-02")
			}
			if got != w {
				t.Errorf("date of %s=%q, want %q", k, got, w)
			}
		}
	})

	t.Run("chrome removed", func(t *testing.T) {
		// Menu lines, captions, image credits, "Top Story" and "More
		// stories" items, taglines, desk lines and tags named in the seeds'
		// README; none may be part of a body.
		chrome := map[string][]string{
			"000": {"Skip to content", "Skip to main menu", "Live TV", "Latest audio", "In focus", "War in Ukraine",
				"10 hours ago", "p.dw.com", "shakes hands with", "LEAH MILLIS", "pose in front of respective flags",
				"picture alliance", "msh/sdi", "Top Story", "More stories", "Angolan twins", "Hun Sen", "Go to homepage",
				"Page 1 of 2", "Megan Rapinoe"},
			"002": {"A child holds Chinese and US national flags", "EPA-EFE", "RELATED STORIES", "Watch more News"},
			"003": {"News Factory Provides", "News • Factory", "sct-dsa", "Tags eppersons", "2023-07-13 19:50"},
		}
		for k, lines := range chrome {
			for _, c := range lines {
				if strings.Contains(s[k].Body, c) {
					t.Errorf("body of %s holds chrome %q", k, c)
				}
			}
		}
		// And the article text is all there: first and last paragraphs.
		keep := map[string][]string{
			"000": {"US Secretary of State Antony Blinken held talks", "off Taiwan during the summit", "expected to release a strategy document"},
			"001": {"China’s Wang Yi, Russia’s Sergey Lavrov", "expected to release a strategy document"},
			"002": {"described by his department as", "released a strategy document"},
			"003": {"The top US and Chinese diplomats met Thursday", "Thailand's foreign minister said on Wednesday"},
		}
		for k, lines := range keep {
			for _, c := range lines {
				if !strings.Contains(s[k].Body, c) {
					t.Errorf("body of %s lost article text %q:\n%s", k, c, s[k].Body)
				}
			}
		}
		if !slices.Contains(s["000"].Credits, "AFP") || !slices.Contains(s["000"].Credits, "Reuters") {
			t.Errorf("credits of 000=%v, want AFP and Reuters", s["000"].Credits)
		}
		if len(s["003"].Credits) != 0 {
			t.Errorf("credits of 003=%v, want none (desk initials only)", s["003"].Credits)
		}
	})

	t.Run("families", func(t *testing.T) {
		in := exactlyOnce(t, "family", len(r.Articles), func(yield func(id string, members []string)) {
			for _, f := range r.Families {
				yield(f.ID, f.Members)
			}
		})
		f0 := in[s["000"].ID]
		if in[s["001"].ID] != f0 || in[s["002"].ID] != f0 {
			t.Errorf("000, 001, 002 in families %s, %s, %s; want one", f0, in[s["001"].ID], in[s["002"].ID])
		}
		if in[s["003"].ID] == f0 {
			t.Errorf("003 is in the family of 000")
		}
		for _, f := range r.Families {
			if f.ID == f0 {
				if f.Original == s["002"].ID {
					t.Errorf("002 is the original, but it is dated a day after 000")
				}
				if f.Original != s["000"].ID {
					t.Errorf("original=%s, want 000 (%s): earliest dated", f.Original, s["000"].ID)
				}
			}
		}
		for _, x := range r.Relations {
			if x.Kind != "same_story" && (x.A == s["003"].ID || x.B == s["003"].ID) {
				t.Errorf("003 has copy relation %+v", x)
			}
		}
	})

	t.Run("stories", func(t *testing.T) {
		in := exactlyOnce(t, "story", len(r.Articles), func(yield func(id string, members []string)) {
			for _, st := range r.Stories {
				yield(st.ID, st.Members)
			}
		})
		if len(r.Stories) != 1 {
			t.Fatalf("stories=%d, want 1 holding all four (%v)", len(r.Stories), in)
		}
	})
}

// exactlyOnce checks that each of n articles is in exactly one group and
// returns the group of each article.
func exactlyOnce(tb testing.TB, what string, n int, groups func(func(id string, members []string))) map[string]string {
	tb.Helper()
	in := make(map[string]string)
	groups(func(id string, members []string) {
		for _, m := range members {
			if g, ok := in[m]; ok {
				tb.Errorf("article %s in %s %s and %s", m, what, g, id)
			}
			in[m] = id
		}
	})
	if len(in) != n {
		tb.Errorf("%d articles in a %s, want %d", len(in), what, n)
	}
	return in
}

func TestRunBadInputs(t *testing.T) {
	needSeeds(t)
	dir := t.TempDir()
	write := func(name string, data []byte) {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("empty.txt", nil)
	bin := make([]byte, 4096)
	rand.Read(bin)
	bin[10] = 0
	write("binary.txt", bin)
	write("greek.txt", []byte("\xc7 \xe1\xf3\xf4\xf5\xed\xef\xec\xdf\xe1 \xe5\xdf\xf0\xe5 \xf3\xde\xec\xe5\xf1\xe1.\n")) // Windows-1253: not UTF-8, and not Windows-1252 text
	big := bytes.Repeat([]byte("All work and no play makes a very long article indeed. "), 50<<20/55+1)
	write("huge.txt", big)
	for _, seed := range []string{"000_320cbc5214dc942b.txt", "002_f8696d654fff3052.txt"} {
		data, err := os.ReadFile(filepath.Join(seedsDir, seed))
		if err != nil {
			t.Fatal(err)
		}
		write(seed, data)
	}

	r, stderr := MustRunJSON(t, 1, dir)
	for _, want := range []string{"empty.txt: empty input", "binary.txt: binary data", "greek.txt: invalid UTF-8 at byte 0", "huge.txt: 52428805 bytes, over the 8 MiB limit: too large for one article", "4 of 6 inputs could not be read"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if len(r.Articles) != 2 {
		t.Fatalf("articles=%d, want the 2 good ones", len(r.Articles))
	}
	if len(r.Families) != 1 || len(r.Families[0].Members) != 2 {
		t.Errorf("families=%+v, want the two seeds in one", r.Families)
	}
}

// Every usage error is one line saying what is wrong (and where help is),
// exit 2; help and version exit 0.
func TestRunUsage(t *testing.T) {
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{nil, 2, "Usage:"},
		{[]string{"run"}, 2, "newsdedup run: no input"},
		{[]string{"run", "x", "--format", "xml"}, 2, "newsdedup run: --format xml: want text or json"},
		{[]string{"stats", "--db", "x", "--format", "yaml"}, 2, "newsdedup stats: --format yaml: want text or json"},
		{[]string{"diff", "--db", "x", "a"}, 2, "newsdedup diff: want two article IDs, got 1 argument"},
		{[]string{"ingest", "x"}, 2, "newsdedup ingest: --db DIR, --db postgres://... or --queue nats://... is required"},
		{[]string{"run", "--bogus", "x"}, 2, "newsdedup run: flag provided but not defined: -bogus"},
		{[]string{"serve", "--db", "x", "extra"}, 2, "newsdedup serve: takes no arguments"},
		{[]string{"eval"}, 2, "newsdedup eval: name a FILE.jsonl or a --dataset"},
		{[]string{"bench", "--articles", "0"}, 2, "newsdedup bench: --articles 0"},
		{[]string{"stories", "--db", "x", "--since", "yesterday"}, 2, "newsdedup stories: --since"},
		{[]string{"completion", "zsh"}, 2, "want 'completion bash'"},
		{[]string{"frobnicate"}, 2, `unknown command "frobnicate"`},
		{[]string{"help", "frobnicate"}, 2, `unknown command "frobnicate"`},
	} {
		var out, errb bytes.Buffer
		code := Main(context.Background(), tc.args, nil, &out, &errb)
		if code != tc.code || !strings.Contains(errb.String(), tc.want) {
			t.Errorf("Main(%q)=%d, stderr %q; want %d and %q", tc.args, code, errb.String(), tc.code, tc.want)
		}
		if tc.code == 2 && len(tc.args) > 0 && strings.Count(errb.String(), tc.want) != 1 {
			t.Errorf("Main(%q) said it %d times: %q", tc.args, strings.Count(errb.String(), tc.want), errb.String())
		}
		if strings.Contains(errb.String(), "newsdedup: newsdedup:") {
			t.Errorf("Main(%q): doubled prefix in %q", tc.args, errb.String())
		}
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"help"}, "newsdedup run"},
		{[]string{"help", "run"}, "Usage: newsdedup run"},
		{[]string{"run", "-h"}, "Example:"},
		{[]string{"ingest", "--help"}, "(created if absent)"},
		{[]string{"version"}, "newsdedup " + Version},
		{[]string{"completion", "bash"}, "complete -o filenames -F _newsdedup newsdedup"},
	} {
		var out, errb bytes.Buffer
		if code := Main(context.Background(), tc.args, nil, &out, &errb); code != 0 || !strings.Contains(out.String(), tc.want) {
			t.Errorf("Main(%q)=%d, stdout %q; want 0 and %q", tc.args, code, out.String(), tc.want)
		}
	}
}

// Flags may come after paths, and "--" ends them.
func TestFlagsAfterPaths(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.txt"), []byte("Budget passes\n\nThe council approved the budget on Tuesday after a long debate about schools.\n\nThe mayor welcomed the vote."), 0o644)
	var rep Report
	if err := json.Unmarshal([]byte(run(t, 0, "run", dir, "--format", "json")), &rep); err != nil || len(rep.Articles) != 1 {
		t.Errorf("run DIR --format json: %v %+v", err, rep)
	}
	db := t.TempDir()
	if out := run(t, 0, "ingest", dir, "--db", db); !strings.Contains(out, "stored 1 new article ") {
		t.Errorf("ingest DIR --db X: %q", out)
	}
	var out, errb bytes.Buffer
	if code := Main(context.Background(), []string{"run", "--", "--format"}, nil, &out, &errb); code != 1 || !strings.Contains(errb.String(), "--format") {
		t.Errorf("run -- --format: exit %d, %q; want the path --format read (and not found)", code, errb.String())
	}
}

// TestRunLang: every article of a run's JSON has its language.
func TestRunLang(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "zh.txt"), []byte("东盟外长会在雅加达开幕\n\n2023年7月13日\n\n第56届东盟外长会议13日在印度尼西亚首都雅加达开幕，各国外长就地区合作和国际形势交换意见。\n\n会议期间，双方就中美关系和共同关心的问题进行了沟通。"), 0o644)
	os.WriteFile(filepath.Join(dir, "de.txt"), []byte("Gemeinderat beschließt den Haushalt nach langer Debatte\n\n13. Juli 2023\n\nDer Gemeinderat hat am Dienstag nach einer langen Debatte über die Schulen den Haushalt für das kommende Jahr beschlossen.\n\nDer Bürgermeister begrüßte die Abstimmung und sprach von einem guten Tag für die Stadt."), 0o644)
	var rep Report
	if err := json.Unmarshal([]byte(run(t, 0, "run", dir, "--format", "json")), &rep); err != nil || len(rep.Articles) != 2 {
		t.Fatalf("run --format json: %v %+v", err, rep)
	}
	for _, a := range rep.Articles {
		want := strings.TrimSuffix(filepath.Base(a.Input), ".txt")
		if a.Lang != want || a.Published == nil || a.Published.Format("2006-01-02") != "2023-07-13" || a.Title == "" {
			t.Errorf("%s: lang %q published %v title %q, want %s, 2023-07-13 and a title", a.Input, a.Lang, a.Published, a.Title, want)
		}
	}
}

// The independent report (003) joins the seeds' story by similarity, and
// its same_story relation says why: the terms it shares with the story,
// strongest first, in the JSON and in the text report.
func TestSameStoryEvidence(t *testing.T) {
	needSeeds(t)
	r, _ := MustRunJSON(t, 0, seedsDir)
	var found bool
	for _, rel := range r.Relations {
		if rel.Kind != "same_story" {
			continue
		}
		found = true
		if rel.Evidence == nil || len(rel.Evidence.Terms) == 0 {
			t.Fatalf("same_story relation %s-%s has no terms", rel.A, rel.B)
		}
		terms := map[string]bool{}
		for k, st := range rel.Evidence.Terms {
			terms[st.Term] = true
			if st.Weight <= 0 || (k > 0 && st.Weight > rel.Evidence.Terms[k-1].Weight) {
				t.Errorf("terms not by weight, strongest first: %+v", rel.Evidence.Terms)
			}
		}
		if !terms["asean"] && !terms["blinken"] && !terms["wang"] {
			t.Errorf("shared terms %+v name none of the event's (asean, blinken, wang)", rel.Evidence.Terms)
		}
		names := map[string]bool{}
		for _, e := range rel.Evidence.Entities {
			names[e.Term] = true
			if e.Weight <= 0 || e.Weight > 1 {
				t.Errorf("entity %q has weight %v, want a share in (0, 1]", e.Term, e.Weight)
			}
		}
		if !names["jakarta"] && !names["asean"] {
			t.Errorf("shared names %+v name neither jakarta nor asean", rel.Evidence.Entities)
		}
	}
	if !found {
		t.Fatal("no same_story relation: the seeds' independent report should join by similarity")
	}
	if out := run(t, 0, "run", seedsDir); !strings.Contains(out, "same story as") || !strings.Contains(out, "shared: ") || !strings.Contains(out, "names and facts: ") {
		t.Errorf("the text report does not say why the report joined:\n%s", out)
	}
}
