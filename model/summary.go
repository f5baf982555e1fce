package model

// SeverityCounts counts findings per severity.
type SeverityCounts struct {
	Critical int `json:"critical"`
	High     int `json:"high"`
	Medium   int `json:"medium"`
	Low      int `json:"low"`
	Info     int `json:"info"`
}

// Add counts one finding of severity s.
func (c *SeverityCounts) Add(s Severity) {
	switch s {
	case SeverityCritical:
		c.Critical++
	case SeverityHigh:
		c.High++
	case SeverityMedium:
		c.Medium++
	case SeverityLow:
		c.Low++
	default:
		c.Info++
	}
}

// Get returns the count of severity s.
func (c SeverityCounts) Get(s Severity) int {
	switch s {
	case SeverityCritical:
		return c.Critical
	case SeverityHigh:
		return c.High
	case SeverityMedium:
		return c.Medium
	case SeverityLow:
		return c.Low
	}
	return c.Info
}

// Total is the number of findings counted.
func (c SeverityCounts) Total() int { return c.Critical + c.High + c.Medium + c.Low + c.Info }

// AtLeast counts the findings of severity s or worse.
func (c SeverityCounts) AtLeast(s Severity) int {
	n := 0
	for _, sev := range Severities {
		if sev.Rank() >= s.Rank() {
			n += c.Get(sev)
		}
	}
	return n
}

// Summary is the tally of a scan.
type Summary struct {
	// Files is the number of input files read; Resources the number of
	// resources in the loaded units.
	Files     int `json:"files"`
	Resources int `json:"resources"`
	// Findings counts the findings that are not suppressed.
	Findings SeverityCounts `json:"findings"`
	// Suppressed counts suppressed findings, Baselined those hidden by a
	// baseline.
	Suppressed int `json:"suppressed,omitempty"`
	Baselined  int `json:"baselined,omitempty"`
	// Hidden counts the findings of severities the user chose not to be
	// shown (--severity, --minimum-severity).
	Hidden int `json:"hidden,omitempty"`
	// Empty are the directories named to scan in which nothing was read
	// (no Terraform, plan, template or inventory).
	Empty []string `json:"empty,omitempty"`
	// Undecided counts the resources with values the loaders could not
	// decide (their Meta.Unknown): rules stayed silent on those values,
	// and --show-unknown lists them.
	Undecided int `json:"undecided"`
}

// Summarize tallies findings; suppressed findings are counted apart.
func Summarize(findings []Finding, files, resources int) Summary {
	s := Summary{Files: files, Resources: resources}
	for _, f := range findings {
		if f.Suppression != nil {
			s.Suppressed++
			continue
		}
		s.Findings.Add(f.Severity)
	}
	return s
}
