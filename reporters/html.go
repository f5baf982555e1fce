package reporters

import (
	"html/template"
	"io"
	"sort"
	"strconv"

	"github.com/vpclint/vpclint/internal/safetext"
	"github.com/vpclint/vpclint/model"
)

// writeHTML writes one self-contained page: the counts, the findings table
// (sortable, filterable by severity and rule), and per VPC the diagram of
// its private connectivity, each element coloured by its worst finding; a
// click on an element lists its findings. Styles and script are inline,
// and the page's Content-Security-Policy forbids loading anything: it
// opens offline, from a CI artifact, as it is.
func writeHTML(w io.Writer, r *Report) error {
	return htmlPage.Execute(w, newHTMLData(r))
}

type htmlData struct {
	Tool       Tool
	Counts     model.SeverityCounts
	Suppressed int
	Baselined  int
	Files      int
	Resources  int
	Undecided  string
	Findings   []htmlFinding
	Severities []string
	Rules      []string
	Errors     []string
	VPCs       []htmlVPC
	// Elements are what the script shows for a clicked diagram element,
	// by its key: its kind, name and findings (row ids of the table).
	Elements map[string]htmlElement
}

type htmlFinding struct {
	Row      string
	Severity string
	Rank     int
	Rule     string
	RuleURL  string
	Title    string
	Resource string
	Location string
	Message  string
}

type htmlVPC struct {
	Title string
	Root  string
	Key   string
	// SVG is the diagram, escaped by vpcSVG.
	SVG template.HTML
}

type htmlElement struct {
	Kind     string   `json:"kind"`
	Label    string   `json:"label"`
	Findings []string `json:"findings"`
}

func newHTMLData(r *Report) *htmlData {
	urls := r.ruleURLs()
	d := &htmlData{Tool: r.Tool, Counts: r.Summary.Findings, Suppressed: r.Summary.Suppressed, Baselined: r.Summary.Baselined,
		Files: r.Summary.Files, Resources: r.Summary.Resources, Undecided: undecidedLine(r), Elements: map[string]htmlElement{}}
	for _, s := range model.Severities {
		d.Severities = append(d.Severities, string(s))
	}
	rules := map[string]bool{}
	for i := range r.Findings {
		f := &r.Findings[i]
		if f.Suppression != nil {
			continue
		}
		msg := f.Message
		if f.Resource.Ambiguous && f.Resource.Root != "" {
			msg += " (in " + f.Resource.Root + ")"
		}
		d.Findings = append(d.Findings, htmlFinding{
			Row: rowID(i), Severity: string(f.Severity), Rank: f.Severity.Rank(), Rule: safetext.Line(f.RuleID), RuleURL: urls(f.RuleID),
			Title: safetext.Line(f.Title), Resource: safetext.Line(resourceName(f)), Location: safetext.Line(locationText(f)), Message: safetext.Line(msg),
		})
		rules[f.RuleID] = true
	}
	// Most severe first, then as the scan sorted them (file, line).
	sort.SliceStable(d.Findings, func(i, j int) bool { return d.Findings[i].Rank > d.Findings[j].Rank })
	for id := range rules {
		d.Rules = append(d.Rules, safetext.Line(id))
	}
	sort.Strings(d.Rules)
	for _, e := range r.Errors {
		d.Errors = append(d.Errors, safetext.Line(e.Error()))
	}
	for _, vd := range diagrams(r) {
		vpc := htmlVPC{Title: safetext.Line(vd.Title()), Root: safetext.Line(vd.Map.Root), Key: vd.Elements[0].Key,
			// vpcSVG escapes every text from the input, and its
			// attributes hold only numbers, vpclint's class names and
			// keys.
			SVG: template.HTML(vpcSVG(vd))} //nolint:gosec // see above
		d.VPCs = append(d.VPCs, vpc)
		for _, e := range vd.Elements {
			he := htmlElement{Kind: e.Kind, Label: safetext.Line(e.Label()), Findings: []string{}}
			for _, fi := range e.Findings {
				he.Findings = append(he.Findings, rowID(fi))
			}
			d.Elements[e.Key] = he
		}
	}
	return d
}

func rowID(i int) string { return "f" + strconv.Itoa(i) }

// locationText is a finding's file:line, or its ARN for a live resource.
func locationText(f *model.Finding) string {
	if f.Location.File == "" {
		if f.Resource.ARN != "" {
			return f.Resource.ARN
		}
		return "—"
	}
	return f.Location.File + ":" + strconv.Itoa(f.Location.StartLine)
}

var htmlPage = template.Must(template.New("report").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>vpclint report</title>
<style>
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#111827;margin:0;background:#fff}
header,main{padding:0 24px}header{border-bottom:1px solid #e5e7eb;padding-top:8px}
h1{font-size:20px}h2{font-size:17px;margin-top:28px}h3{font-size:15px;margin:0 0 6px}
table{border-collapse:collapse;width:100%}th,td{text-align:left;vertical-align:top;padding:4px 8px;border-bottom:1px solid #e5e7eb}
th{background:#f3f4f6;cursor:pointer;user-select:none;white-space:nowrap}th[aria-sort=ascending]::after{content:" ▲"}th[aria-sort=descending]::after{content:" ▼"}
td code{font-size:12px;word-break:break-all}td.loc{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px;word-break:break-all}
.counts td,.counts th{text-align:right;cursor:default}.counts{width:auto}
.sev{display:inline-block;border-radius:3px;padding:0 6px;font-size:12px;font-weight:600;color:#fff}
.sev-critical{background:#7f1d1d}.sev-high{background:#dc2626}.sev-medium{background:#ea580c}.sev-low{background:#a16207}.sev-info{background:#2563eb}.sev-ok{background:#059669}
.filters{margin:8px 0;display:flex;gap:16px;flex-wrap:wrap;align-items:center}
tr.hit{outline:2px solid #2563eb}
.vpc{display:flex;gap:16px;align-items:flex-start;flex-wrap:wrap}.diagram{overflow-x:auto;max-width:100%}
.panel{flex:1;min-width:260px;border:1px solid #e5e7eb;border-radius:6px;padding:10px;background:#f9fafb}
.panel ul{padding-left:18px;margin:6px 0}.legend{display:flex;gap:10px;flex-wrap:wrap;font-size:12px;margin:4px 0 8px}
.muted{color:#6b7280}
</style>
</head>
<body>
<header>
<h1>vpclint report</h1>
<p class="muted">{{.Tool.Name}} {{.Tool.Version}} · {{.Files}} files · {{.Resources}} resources{{if .Undecided}} · {{.Undecided}}{{end}}</p>
<table class="counts"><thead><tr><th>critical</th><th>high</th><th>medium</th><th>low</th><th>info</th><th>suppressed</th><th>baselined</th></tr></thead>
<tbody><tr><td>{{.Counts.Critical}}</td><td>{{.Counts.High}}</td><td>{{.Counts.Medium}}</td><td>{{.Counts.Low}}</td><td>{{.Counts.Info}}</td><td>{{.Suppressed}}</td><td>{{.Baselined}}</td></tr></tbody></table>
</header>
<main>
<h2 id="findings-title">Findings</h2>
{{if .Findings}}<div class="filters">
<label>Severity <select id="filter-severity"><option value="">all</option>{{range .Severities}}<option value="{{.}}">{{.}}</option>{{end}}</select></label>
<label>Rule <select id="filter-rule"><option value="">all</option>{{range .Rules}}<option value="{{.}}">{{.}}</option>{{end}}</select></label>
<span id="shown" class="muted"></span>
</div>
<table id="findings" aria-describedby="findings-title"><thead><tr><th data-key="rank" aria-sort="descending">Severity</th><th>Rule</th><th>Resource</th><th>Location</th><th>Message</th></tr></thead>
<tbody>
{{range .Findings}}<tr id="{{.Row}}" data-severity="{{.Severity}}" data-rank="{{.Rank}}" data-rule="{{.Rule}}"><td><span class="sev sev-{{.Severity}}">{{.Severity}}</span></td><td>{{if .RuleURL}}<a href="{{.RuleURL}}" title="{{.Title}}">{{.Rule}}</a>{{else}}<span title="{{.Title}}">{{.Rule}}</span>{{end}}</td><td><code>{{.Resource}}</code></td><td class="loc">{{.Location}}</td><td>{{.Message}}</td></tr>
{{end}}</tbody></table>
{{else}}<p>No findings.</p>{{end}}
{{if .VPCs}}<h2>Private connectivity by VPC</h2>
<p class="muted">Subnets by availability zone, the network ACL of each, the network interfaces of interface endpoints, the security groups on them and gateway endpoints on their route tables. Each element is coloured by its worst finding; click one to see its findings.</p>
<div class="legend">{{range .Severities}}<span><span class="sev sev-{{.}}">{{.}}</span></span>{{end}}<span><span class="sev sev-ok">no finding</span></span><span class="muted">dashed: not a resource of the scan</span></div>
{{range .VPCs}}<section class="vpc-section" id="vpc-{{.Key}}">
<h3>{{.Title}} <span class="muted">in {{.Root}}</span></h3>
<div class="vpc"><div class="diagram">{{.SVG}}</div>
<aside class="panel" aria-live="polite"><p class="muted">Click an element of the diagram to see its findings.</p></aside></div>
</section>
{{end}}{{end}}
{{if .Errors}}<h2>Input problems</h2><ul>{{range .Errors}}<li>{{.}}</li>{{end}}</ul>{{end}}
</main>
<script>
"use strict";
(function () {
  const elements = {{.Elements}};
  const table = document.getElementById("findings");
  const rows = table ? Array.from(table.tBodies[0].rows) : [];
  const sev = document.getElementById("filter-severity");
  const rule = document.getElementById("filter-rule");
  const shown = document.getElementById("shown");
  function filter() {
    let n = 0;
    for (const r of rows) {
      const ok = (!sev.value || r.dataset.severity === sev.value) && (!rule.value || r.dataset.rule === rule.value);
      r.hidden = !ok;
      if (ok) n++;
    }
    shown.textContent = n + " of " + rows.length + " shown";
  }
  if (table) {
    sev.addEventListener("change", filter);
    rule.addEventListener("change", filter);
    filter();
    const heads = Array.from(table.tHead.rows[0].cells);
    heads.forEach(function (th, col) {
      th.addEventListener("click", function () {
        const asc = th.getAttribute("aria-sort") !== "ascending";
        heads.forEach(function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", asc ? "ascending" : "descending");
        const key = function (r) { return th.dataset.key === "rank" ? Number(r.dataset.rank) : r.cells[col].textContent; };
        const sorted = rows.slice().sort(function (a, b) {
          const x = key(a), y = key(b);
          const c = typeof x === "number" ? x - y : x.localeCompare(y);
          return asc ? c : -c;
        });
        for (const r of sorted) table.tBodies[0].appendChild(r);
      });
    });
  }
  function show(el) {
    const info = elements[el.dataset.el];
    const section = el.closest("section");
    if (!info || !section) return;
    section.querySelectorAll(".selected").forEach(function (s) { s.classList.remove("selected"); });
    // Every drawing of the element (an endpoint has one per subnet).
    section.querySelectorAll('[data-el="' + el.dataset.el + '"]').forEach(function (s) { s.classList.add("selected"); });
    const panel = section.querySelector(".panel");
    panel.replaceChildren();
    const h = document.createElement("h3");
    h.textContent = info.kind + " " + info.label;
    panel.appendChild(h);
    if (info.findings.length === 0) {
      const p = document.createElement("p");
      p.textContent = "No finding.";
      panel.appendChild(p);
      return;
    }
    const ul = document.createElement("ul");
    for (const id of info.findings) {
      const row = document.getElementById(id);
      if (!row) continue;
      const li = document.createElement("li");
      const badge = document.createElement("span");
      badge.className = "sev sev-" + row.dataset.severity;
      badge.textContent = row.dataset.severity;
      const a = document.createElement("a");
      a.href = "#" + id;
      a.textContent = row.dataset.rule;
      a.addEventListener("click", function () {
        if (sev) { sev.value = ""; rule.value = ""; filter(); }
        rows.forEach(function (r) { r.classList.remove("hit"); });
        row.classList.add("hit");
      });
      li.append(badge, " ", a, ": " + row.cells[4].textContent);
      ul.appendChild(li);
    }
    panel.appendChild(ul);
  }
  document.querySelectorAll(".vpc-map [data-el]").forEach(function (el) {
    el.addEventListener("click", function (ev) { ev.stopPropagation(); show(el); });
    el.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); ev.stopPropagation(); show(el); }
    });
  });
})();
</script>
</body>
</html>
`))
