package httpapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/newsdedup/newsdedup/httpapi"
)

// chromium finds the browser: $CHROMIUM, else chromium on the PATH. In CI
// (where .ci/run installs it) a missing browser fails the test; elsewhere
// the test skips, saying so.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{os.Getenv("CHROMIUM"), "chromium", "chromium-browser"} {
		if name == "" {
			continue
		}
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("chromium not found: .ci/run installs Debian's chromium package")
	}
	t.Skip("chromium not found: install Debian's chromium (apt-get install chromium) to run the browser test")
	return ""
}

// artifactDir is where screenshots go: $NEWSDEDUP_ARTIFACTS, else
// artifacts/screenshots at the repository's root.
func artifactDir(t *testing.T) string {
	dir := os.Getenv("NEWSDEDUP_ARTIFACTS")
	if dir == "" {
		dir, _ = filepath.Abs("../artifacts/screenshots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestBrowser drives headless Chromium through the web page over a server
// holding the seeds, checks what a reader sees, and saves screenshots at
// 1280 and 390 pixels wide.
func TestBrowser(t *testing.T) {
	exe := chromium(t)
	srv := MustOpenServer(t, "")
	postSeeds(t, srv)
	evil, _ := json.Marshal(map[string]string{"id": "evil", "title": `<img src=x onerror="window.pwned=1">Harbour strike`,
		"text": `<script>window.pwned=2</script> Dock workers at the northern grain terminal walked out on Saturday, halting exports for the third day in a row.`})
	if code := do(t, "POST", srv.URL()+"/v1/articles", "", evil, nil); code != http.StatusCreated {
		t.Fatalf("POST evil: %d", code)
	}
	var story httpapi.PlacementJSON
	do(t, "GET", srv.URL()+"/v1/articles/000", "", nil, &story)
	dir := artifactDir(t)
	fmt.Printf("browser test: screenshots in %s\n", dir)
	t.Logf("screenshots in %s", dir)

	// Chromium may still write to its profile as it exits: remove it
	// ourselves, after the browser is gone, instead of with t.TempDir.
	profile, err := os.MkdirTemp("", "newsdedup-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		for range 10 {
			if os.RemoveAll(profile) == nil {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
	}()
	opts := append([]chromedp.ExecAllocatorOption{},
		chromedp.ExecPath(exe),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.UserDataDir(profile),
		// Chromium's first start on a loaded 2-core machine took over the
		// default 20 s once ("websocket url timeout reached").
		chromedp.WSURLReadTimeout(90*time.Second),
	)
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancel = context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()

	shot := func(name string) chromedp.Action {
		return chromedp.ActionFunc(func(ctx context.Context) error {
			var png []byte
			if err := chromedp.FullScreenshot(&png, 100).Do(ctx); err != nil {
				return err
			}
			return os.WriteFile(filepath.Join(dir, name), png, 0o644)
		})
	}
	run := func(what string, actions ...chromedp.Action) {
		t.Helper()
		if err := chromedp.Run(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	storyURL := srv.URL() + "/stories/" + story.Story.ID
	familyURL := srv.URL() + "/families/f-000?b=002"

	for _, width := range []int64{1280, 390} {
		var overflow bool
		run(fmt.Sprintf("stories page at %d", width),
			chromedp.EmulateViewport(width, 900),
			chromedp.Navigate(srv.URL()+"/"),
			chromedp.WaitVisible("ol.stories", chromedp.ByQuery),
			chromedp.Evaluate(`document.documentElement.scrollWidth > window.innerWidth`, &overflow),
			shot(fmt.Sprintf("stories-%d.png", width)))
		if overflow {
			t.Errorf("stories page at %d px scrolls sideways", width)
		}

		var titles []string
		var marks int
		run(fmt.Sprintf("story page at %d", width),
			chromedp.Navigate(storyURL),
			chromedp.WaitVisible("ol.chrono", chromedp.ByQuery),
			chromedp.Evaluate(`[...document.querySelectorAll("ol.chrono li > a")].map(a => a.textContent.trim())`, &titles),
			chromedp.Evaluate(`document.querySelectorAll("svg circle.mark").length`, &marks),
			chromedp.Evaluate(`document.documentElement.scrollWidth > window.innerWidth`, &overflow),
			shot(fmt.Sprintf("story-%d.png", width)))
		if len(titles) != 4 || marks != 4 {
			t.Errorf("story page at %d lists %d articles %q and draws %d marks, want 4", width, len(titles), titles, marks)
		}
		for _, want := range []string{"Top US, Chinese diplomats meet on ASEAN summit sidelines", "ASEAN talks: Blinken to meet China’s Wang Yi on sidelines",
			"Top US, Chinese diplomats meet at ASEAN talks as tensions risk flaring", "(untitled)"} {
			if !strings.Contains(strings.Join(titles, "\n"), want) {
				t.Errorf("story page at %d lacks %q", width, want)
			}
		}
		if overflow {
			t.Errorf("story page at %d px scrolls sideways", width)
		}

		var added, ins, del []string
		run(fmt.Sprintf("family diff at %d", width),
			chromedp.Navigate(familyURL),
			chromedp.WaitVisible("table.diff", chromedp.ByQuery),
			chromedp.Evaluate(`[...document.querySelectorAll("tr.added td[data-side=right] ins")].map(e => e.textContent)`, &added),
			chromedp.Evaluate(`[...document.querySelectorAll("tr.changed ins")].map(e => e.textContent.trim())`, &ins),
			chromedp.Evaluate(`[...document.querySelectorAll("tr.changed del")].map(e => e.textContent.trim())`, &del),
			chromedp.Evaluate(`document.documentElement.scrollWidth > window.innerWidth`, &overflow),
			shot(fmt.Sprintf("diff-%d.png", width)))
		all := strings.Join(added, "\n")
		for _, want := range []string{"ongoing efforts to maintain open channels of communication", "maintaining peace and stability", "Beijing and Moscow look to deepen ties"} {
			if !strings.Contains(all, want) {
				t.Errorf("diff at %d: no added passage highlights %q", width, want)
			}
		}
		if !strings.Contains(strings.Join(ins, "|"), "released") || !strings.Contains(strings.Join(del, "|"), "is expected to release") {
			t.Errorf("diff at %d: \"is expected to release\" → \"released\" not highlighted (ins %q, del %q)", width, ins, del)
		}
		if overflow {
			t.Errorf("diff at %d px scrolls sideways", width)
		}
	}

	// Keyboard: search from the stories page, then switch the diff to
	// changes only with the space bar.
	var found int
	var location string
	run("search by keyboard",
		chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(srv.URL()+"/"),
		chromedp.Focus("#q", chromedp.ByQuery),
		chromedp.SendKeys("#q", "Blinken"+kb.Enter, chromedp.ByQuery),
		chromedp.WaitVisible("form.search a[href='/']", chromedp.ByQuery), // the Clear link, shown once the search page loaded
		chromedp.Location(&location),
		chromedp.Evaluate(`document.querySelectorAll("ol.stories article").length`, &found))
	if found != 1 || !strings.Contains(location, "q=Blinken") {
		t.Errorf("keyboard search: %d stories at %s, want 1", found, location)
	}
	var keptShown int
	run("changes only",
		chromedp.Navigate(familyURL),
		chromedp.WaitVisible("#only-changes", chromedp.ByID),
		chromedp.Focus("#only-changes", chromedp.ByID),
		chromedp.KeyEvent(" "),
		chromedp.Poll(`document.querySelector("table.diff").classList.contains("only-changes")`, nil, chromedp.WithPollingTimeout(5*time.Second)),
		chromedp.Evaluate(`[...document.querySelectorAll("tr.kept")].filter(r => r.offsetParent !== null).length`, &keptShown))
	if keptShown != 0 {
		t.Errorf("after the switch, %d kept passages still shown", keptShown)
	}

	// Article text is shown as text: no handler from it runs.
	var pwned bool
	var h1 string
	run("hostile article",
		chromedp.Navigate(srv.URL()+"/articles/evil"),
		chromedp.WaitVisible("h1", chromedp.ByQuery),
		chromedp.Sleep(200*time.Millisecond),
		chromedp.Text("h1", &h1, chromedp.ByQuery),
		chromedp.Evaluate(`window.pwned !== undefined`, &pwned))
	if pwned || !strings.Contains(h1, `<img src=x onerror="window.pwned=1">`) {
		t.Errorf("hostile article: script ran=%v, heading %q", pwned, h1)
	}
}
