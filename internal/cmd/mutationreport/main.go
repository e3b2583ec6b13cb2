// Command mutationreport turns the JSON files written by gremlins
// (`gremlins unleash --output FILE`) into one table of mutation efficacy per
// package, after taking out the mutants listed as equivalent in
// mutation/equivalent.txt, and lists every surviving mutant that is not
// listed there, so that it can be killed by a test or justified.
//
// Usage (make mutate runs it):
//
//	mutationreport [-equivalent FILE] [-goal 85] PKGDIR=RESULT.json ...
//
// PKGDIR is the directory gremlins was pointed at (./analysis); file names in
// its JSON are relative to it. The exit status is 1 when a package's
// efficacy is below -goal, so CI can hold a package to it.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path"
	"sort"
	"strings"
)

// gremlinsResult is the part of gremlins' --output JSON that is read here.
type gremlinsResult struct {
	Files []struct {
		FileName  string `json:"file_name"`
		Mutations []struct {
			Type   string `json:"type"`
			Status string `json:"status"`
			Line   int    `json:"line"`
			Column int    `json:"column"`
		} `json:"mutations"`
	} `json:"files"`
}

// tally counts one package's mutants by outcome.
type tally struct {
	killed, lived, equivalent, notCovered, timedOut, notViable int
}

// efficacy is killed / (killed + lived), equivalent mutants taken out of
// lived; 100 when nothing was tested.
func (t tally) efficacy() float64 {
	if t.killed+t.lived == 0 {
		return 100
	}
	return 100 * float64(t.killed) / float64(t.killed+t.lived)
}

// coverage is the share of mutants that some test reached.
func (t tally) coverage() float64 {
	total := t.killed + t.lived + t.equivalent + t.notCovered // killed includes timed out
	if total == 0 {
		return 100
	}
	return 100 * float64(total-t.notCovered) / float64(total)
}

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "mutationreport:", err)
		os.Exit(1)
	}
}

func run(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("mutationreport", flag.ContinueOnError)
	equivFile := fs.String("equivalent", "mutation/equivalent.txt", "file listing equivalent mutants, one `path:line:column TYPE reason` a line")
	goal := fs.Float64("goal", 0, "fail when a package's efficacy (percent) is below this")
	if err := fs.Parse(args); err != nil {
		return err
	}
	equivalent, err := readEquivalent(*equivFile)
	if err != nil {
		return err
	}
	used := map[string]bool{}
	measured := map[string]bool{} // packages with results, for the stale list
	var failed []string
	fmt.Fprintln(out, "| package | killed | lived | equivalent | not covered | timed out | efficacy | mutant coverage |")
	fmt.Fprintln(out, "|---|---:|---:|---:|---:|---:|---:|---:|")
	var survivors []string
	for _, arg := range fs.Args() {
		dir, file, ok := strings.Cut(arg, "=")
		if !ok {
			return fmt.Errorf("argument %q: want PKGDIR=RESULT.json", arg)
		}
		res, err := readResult(file)
		if err != nil {
			return err
		}
		byPkg := map[string]*tally{}
		for _, f := range res.Files {
			name := path.Clean(path.Join(strings.TrimPrefix(dir, "./"), f.FileName))
			pkg := path.Dir(name)
			t := byPkg[pkg]
			if t == nil {
				t = &tally{}
				byPkg[pkg] = t
			}
			for _, m := range f.Mutations {
				id := fmt.Sprintf("%s:%d:%d %s", name, m.Line, m.Column, m.Type)
				switch m.Status {
				case "KILLED":
					t.killed++
				case "LIVED":
					if equivalent[id] {
						used[id] = true
						t.equivalent++
					} else {
						t.lived++
						survivors = append(survivors, id)
					}
				case "NOT COVERED":
					t.notCovered++
				case "TIMED OUT":
					// A mutant that makes the tests hang is caught: the
					// run fails. gremlins keeps the count apart.
					t.timedOut++
					t.killed++
				case "NOT VIABLE":
					t.notViable++
				}
			}
		}
		pkgs := make([]string, 0, len(byPkg))
		for p := range byPkg {
			pkgs = append(pkgs, p)
			measured[p] = true
		}
		sort.Strings(pkgs)
		for _, p := range pkgs {
			t := byPkg[p]
			fmt.Fprintf(out, "| %s | %d | %d | %d | %d | %d | %.1f%% | %.1f%% |\n", p, t.killed, t.lived, t.equivalent, t.notCovered, t.timedOut, t.efficacy(), t.coverage())
			if *goal > 0 && t.killed+t.lived > 0 && t.efficacy() < *goal {
				failed = append(failed, fmt.Sprintf("%s %.1f%%", p, t.efficacy()))
			}
		}
	}
	if len(survivors) > 0 {
		sort.Strings(survivors)
		fmt.Fprintf(out, "\nSurviving mutants (kill with a test, or list in the equivalent file with the reason):\n")
		for _, s := range survivors {
			fmt.Fprintln(out, "  "+s)
		}
	}
	var stale []string
	for id := range equivalent {
		// Only the measured packages' entries can be judged: another
		// package's are neither seen nor missed here.
		file, _, _ := strings.Cut(id, ":")
		if !used[id] && measured[path.Dir(file)] {
			stale = append(stale, id)
		}
	}
	if len(stale) > 0 && len(fs.Args()) > 0 {
		sort.Strings(stale)
		fmt.Fprintf(out, "\nListed as equivalent but not seen surviving in these results (killed, or moved):\n")
		for _, s := range stale {
			fmt.Fprintln(out, "  "+s)
		}
	}
	if len(failed) > 0 {
		return fmt.Errorf("efficacy below %.0f%%: %s", *goal, strings.Join(failed, ", "))
	}
	return nil
}

func readResult(file string) (*gremlinsResult, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var r gremlinsResult
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("%q: %w", file, err)
	}
	return &r, nil
}

// readEquivalent reads `path:line:column TYPE reason…` lines; blank lines and
// lines starting with # are comments. A missing file means no equivalents.
func readEquivalent(file string) (map[string]bool, error) {
	f, err := os.Open(file)
	if os.IsNotExist(err) {
		return map[string]bool{}, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	set := map[string]bool{}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Fields(line)
		if len(fields) < 3 {
			return nil, fmt.Errorf("%s:%d: want `path:line:column TYPE reason`, got %q", file, n, line)
		}
		set[fields[0]+" "+fields[1]] = true
	}
	return set, sc.Err()
}
