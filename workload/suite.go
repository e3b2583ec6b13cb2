package workload

import (
	"fmt"
	"io/fs"
	"slices"
	"strings"

	"lockbench/workloads"
)

// Suite is a named list of runs: embedded workloads with overrides,
// typically a shorter or wider concurrency sweep. The runner interleaves
// strategies within each (workload, concurrency, repetition).
type Suite struct {
	Name        string
	Description string
	Runs        []SuiteEntry
}

// SuiteEntry is one workload of a suite and the overrides applied to it
// (the suite's defaults already merged in).
type SuiteEntry struct {
	Workload  string `yaml:"workload"`
	Overrides `yaml:",inline"`
}

// suitesDoc is the shape of suites.yaml.
type suitesDoc struct {
	Suites []struct {
		Name        string       `yaml:"name"`
		Description string       `yaml:"description"`
		Defaults    Overrides    `yaml:"defaults"` // merged into every run
		Runs        []SuiteEntry `yaml:"runs"`
	} `yaml:"suites"`
}

// Suites returns the embedded suites, sorted by name. The embedded file is
// checked by this package's tests, so a failure to parse it is a build
// defect and panics.
func Suites() []Suite {
	data, err := fs.ReadFile(workloads.FS, suitesFile)
	if err != nil {
		panic("workload: embedded " + suitesFile + ": " + err.Error())
	}
	suites, err := parseSuites(data, "workloads/"+suitesFile, Names())
	if err != nil {
		panic(err)
	}
	return suites
}

// LookupSuite returns the embedded suite called name; an unknown name
// matches ErrUnknown.
func LookupSuite(name string) (Suite, error) {
	suites := Suites()
	var names []string
	for _, s := range suites {
		if s.Name == name {
			return s, nil
		}
		names = append(names, s.Name)
	}
	return Suite{}, unknownName("suite", name, names)
}

// Specs loads the suite's workloads with their overrides applied, in the
// suite's order.
func (s Suite) Specs() ([]*Spec, error) {
	specs := make([]*Spec, 0, len(s.Runs))
	for i, entry := range s.Runs {
		base, err := Load(entry.Workload)
		if err != nil {
			return nil, fmt.Errorf("suite %s, runs[%d]: %w", s.Name, i, err)
		}
		spec, err := base.Override(entry.Overrides, fmt.Sprintf("suite %s, runs[%d] (%s)", s.Name, i, entry.Workload))
		if err != nil {
			return nil, err
		}
		specs = append(specs, spec)
	}
	return specs, nil
}

// parseSuites decodes a suites file strictly and checks names and workload
// references; the overrides themselves are checked when Specs applies them.
func parseSuites(data []byte, source string, workloadNames []string) ([]Suite, error) {
	var doc suitesDoc
	root, err := decodeStrict(data, source, &doc)
	if err != nil {
		return nil, err
	}
	fail := func(path fieldPath, format string, args ...any) error {
		return (&fieldError{path: path, message: fmt.Sprintf(format, args...)}).at(source, root)
	}
	if len(doc.Suites) == 0 {
		return nil, fail(field("suites"), "required: a list of suites")
	}
	var suites []Suite
	for i, raw := range doc.Suites {
		path := field("suites").index(i)
		switch {
		case !nameRE.MatchString(raw.Name) || len(raw.Name) > MaxNameLength:
			return nil, fail(path.key("name"), "must be lower-case letters, digits and hyphens, got %q", raw.Name)
		case slices.ContainsFunc(suites, func(s Suite) bool { return s.Name == raw.Name }):
			return nil, fail(path.key("name"), "suite %q defined twice", raw.Name)
		case len(raw.Runs) == 0:
			return nil, fail(path.key("runs"), "required: at least one workload")
		}
		if err := validateLine(path.key("description"), raw.Description); err != nil {
			return nil, err.at(source, root)
		}
		suite := Suite{Name: raw.Name, Description: raw.Description}
		for j, entry := range raw.Runs {
			if !slices.Contains(workloadNames, entry.Workload) {
				return nil, fail(path.key("runs").index(j).key("workload"), "unknown workload %q%s",
					entry.Workload, suggestOrList(entry.Workload, workloadNames))
			}
			entry.Overrides = entry.Overrides.merge(raw.Defaults)
			suite.Runs = append(suite.Runs, entry)
		}
		suites = append(suites, suite)
	}
	slices.SortFunc(suites, func(a, b Suite) int { return strings.Compare(a.Name, b.Name) })
	return suites, nil
}

func suggestOrList(name string, known []string) string {
	if hint := suggest(name, known); hint != "" {
		return hint
	}
	return " (known: " + strings.Join(known, ", ") + ")"
}
