package main

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/vpclint/vpclint/internal/testenv"
)

// readmeScreenshot is the screenshot of the HTML report README.md shows;
// TestHTMLReportInBrowser -update rewrites it.
const readmeScreenshot = "docs/images/html-report.png"

// TestHTMLReportInBrowser opens the HTML report of examples/ in headless
// Chromium as a person would: the page loads without a console error or
// blocked load, the screenshot is not blank and shows the diagram's
// colours, the table filters and sorts, and a click on an element of the
// diagram lists its findings.
func TestHTMLReportInBrowser(t *testing.T) {
	browser := findBrowser(t)
	page := filepath.Join(t.TempDir(), "report.html")
	if err := os.WriteFile(page, examplesReports(t)["html"], 0o644); err != nil {
		t.Fatal(err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(browser),
		// The page is vpclint's own file, and tests often run as root,
		// where Chromium's sandbox cannot start.
		chromedp.NoSandbox,
		chromedp.WindowSize(1100, 900),
	)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	defer cancelAlloc()
	bctx, cancelBrowser := chromedp.NewContext(actx)
	defer cancelBrowser()
	if err := chromedp.Do(bctx); err != nil {
		t.Fatalf("Chromium (%s) does not start: %v", browser, err)
	}
	messages := chromedp.Console(bctx)

	step := func(what string, a chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(bctx, a); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	text := func(what, sel string) string {
		t.Helper()
		s, err := chromedp.Run(bctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		return s
	}
	setSeverity := func(v string) {
		t.Helper()
		step("filter by severity "+v, chromedp.SetValue(chromedp.ID("filter-severity"), v))
		if _, err := chromedp.Run(bctx, chromedp.Evaluate[bool](`document.getElementById("filter-severity").dispatchEvent(new Event("change"))`)); err != nil {
			t.Fatal(err)
		}
	}
	step("open the report", chromedp.Steps(
		chromedp.EmulateViewport(1100, 900),
		chromedp.Navigate("file://"+filepath.ToSlash(page)),
		chromedp.WaitVisible(chromedp.CSS(".vpc-map")),
	))
	// Filter by severity: only the critical finding stays.
	setSeverity("critical")
	shownCritical := text("count of shown findings", "#shown")
	setSeverity("")
	// Sort by rule, ascending.
	step("sort by rule", chromedp.Click(chromedp.CSS("#findings thead th:nth-child(2)")))
	firstRule := text("first row", "#findings tbody tr:first-child td:nth-child(2)")
	// A click on the ECR endpoint's network interface lists its findings;
	// an element without a finding says so.
	const tf = ".vpc-section:has(.el.high.chip)" // the Terraform VPC's
	step("click the ECR endpoint", chromedp.Click(chromedp.CSS(tf+" .el.high.chip")))
	panel := text("panel", tf+" .panel")
	shot, err := chromedp.Run(bctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	// README shows the map with the ECR endpoint's findings listed.
	mapShot, err := chromedp.Run(bctx, chromedp.Screenshot(chromedp.CSS(tf)))
	if err != nil {
		t.Fatalf("screenshot of the map: %v", err)
	}
	step("click a subnet", chromedp.Click(chromedp.CSS(tf+" .el.ok.subnet text")))
	panelEmpty := text("panel", tf+" .panel")

	// A console error of our own ends the messages to look at, and shows
	// that console errors are seen at all.
	const probe = "vpclint-test-probe"
	if _, err := chromedp.Run(bctx, chromedp.Evaluate[bool](`console.error("`+probe+`"), true`)); err != nil {
		t.Fatal(err)
	}
	for m, err := range messages {
		if err != nil {
			t.Fatalf("console: %v", err)
		}
		if strings.Contains(m.Text, probe) {
			break
		}
		if m.Type == chromedp.ConsoleError || m.Type == chromedp.ConsoleWarning || m.IsException() {
			t.Errorf("page problem: %s (%s)", m, m.Source)
		}
	}
	if !strings.HasPrefix(shownCritical, "1 of ") {
		t.Errorf("severity filter: %q, want 1 critical finding shown", shownCritical)
	}
	if firstRule != "EP001" {
		t.Errorf("sorted by rule, the first row is %q, want EP001", firstRule)
	}
	if !strings.Contains(panel, "EP010") || !strings.Contains(panel, "EP011") || !strings.Contains(panel, "aws_vpc_endpoint.ecr_api") {
		t.Errorf("clicking the ECR endpoint shows %q, want its findings EP010 and EP011", panel)
	}
	if !strings.Contains(panelEmpty, "No finding") {
		t.Errorf("clicking a subnet without finding shows %q", panelEmpty)
	}
	img, err := png.Decode(bytes.NewReader(shot))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	checkNotBlank(t, img)
	if img, err = png.Decode(bytes.NewReader(mapShot)); err != nil {
		t.Fatalf("screenshot of the map: %v", err)
	}
	checkNotBlank(t, img)
	if *update {
		var small bytes.Buffer
		enc := png.Encoder{CompressionLevel: png.BestCompression}
		if err := enc.Encode(&small, img); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(repoRoot, readmeScreenshot), small.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// findBrowser returns Chromium's path, skipping (or failing under
// VPCLINT_REQUIRE_BROWSER=1) when it is not installed.
func findBrowser(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	testenv.Missing(t, testenv.RequireBrowserVar, "Chromium is not on PATH (apt-get install chromium)")
	return ""
}

// checkNotBlank fails unless the screenshot shows a page: enough pixels
// that are not background, and the colours of the diagram (the red of the
// ECR endpoint's high finding, the green of elements without finding).
func checkNotBlank(t *testing.T, img image.Image) {
	t.Helper()
	b := img.Bounds()
	var ink, red, green, total int
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			r, g, bl = r>>8, g>>8, bl>>8
			total++
			if r < 230 || g < 230 || bl < 230 {
				ink++
			}
			if near(r, 0xdc) && near(g, 0x26) && near(bl, 0x26) {
				red++
			}
			if near(r, 0x05) && near(g, 0x96) && near(bl, 0x69) {
				green++
			}
		}
	}
	if ink*100 < total*2 {
		t.Errorf("screenshot looks blank: %d of %d pixels drawn", ink, total)
	}
	if red < 50 || green < 50 {
		t.Errorf("screenshot does not show the diagram's colours (%d red, %d green pixels)", red, green)
	}
}

func near(v, want uint32) bool { return v+24 >= want && v <= want+24 }
