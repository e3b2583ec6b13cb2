package consistency

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/anishathalye/porcupine"

	"lockbench/consistency/internal/linearize"
	"lockbench/internal/safefile"
	"lockbench/results"
)

type linCheck struct {
	opt     Options
	hist    *history
	final   *quiescent
	workers int
	notes   *notes
}

// run checks every partition and returns the verdict and the file name of
// the visualisation of an illegal partition ("" if none was written).
func (l *linCheck) run(ctx context.Context, outDir, runName string) (string, string) {
	parts := l.partitions()
	in := make([]linearize.Partition, len(parts))
	for i, p := range parts {
		in[i] = linearize.Partition{Name: p.name, Model: l.model(p), Ops: p.ops}
	}
	res := linearize.Check(ctx, in, linearize.Options{
		TimeLimit:     l.opt.TimeLimit,
		WindowOps:     l.opt.WindowOps,
		Budget:        l.opt.TimeBudget,
		PorcupineOnly: l.opt.porcupineOnly,
	})
	return l.summarise(parts, res, outDir, runName)
}

func (l *linCheck) summarise(parts []*partition, res []linearize.Result, outDir, runName string) (string, string) {
	why := map[string][]string{}
	illegal := -1
	var illegalNames []string
	for i, r := range res {
		switch r.Verdict {
		case porcupine.Illegal:
			illegalNames = append(illegalNames, parts[i].name)
			if illegal < 0 {
				illegal = i
			}
		case porcupine.Unknown:
			why[r.Why] = append(why[r.Why], parts[i].name)
		}
	}
	for _, reason := range sortedIDs(why) {
		l.notes.add("linearizability unknown for %d partition(s) (%s): %s", len(why[reason]), reason, listSome(why[reason]))
	}
	if illegal < 0 {
		if len(why) > 0 || l.hist.capped() {
			return results.LinUnknown, ""
		}
		return results.LinOK, ""
	}
	l.notes.add("not linearizable: %d partition(s) illegal: %s", len(illegalNames), listSome(illegalNames))
	if outDir == "" {
		return results.LinIllegal, ""
	}
	return results.LinIllegal, l.visualize(parts[illegal].name, res[illegal], outDir, runName)
}

// visualize writes porcupine's visualisation of an illegal partition as
// "<runName>-lin-<partition>.html" in outDir and returns its name ("" if
// it could not be written; a note says why). Porcupine renders into a
// buffer and the file goes through safefile, so a symlink planted at the
// predictable name cannot redirect it.
func (l *linCheck) visualize(partName string, r linearize.Result, outDir, runName string) string {
	stem := runName
	if stem == "" {
		stem = "run"
	}
	name := fmt.Sprintf("%s-lin-%s.html", sanitize(stem), sanitize(partName))
	var page bytes.Buffer
	err := r.Visualize(&page)
	if err == nil {
		err = safefile.WriteFile(filepath.Join(outDir, name), page.Bytes())
	}
	if err != nil {
		l.notes.add("visualisation of %s not written: %v", partName, err)
		return ""
	}
	l.notes.add("%s shows %d operations of partition %s around the violation", name, r.Shown, partName)
	return name
}

func listSome(names []string) string {
	const most = 8
	if len(names) <= most {
		return strings.Join(names, ", ")
	}
	return strings.Join(names[:most], ", ") + fmt.Sprintf(", … (%d more)", len(names)-most)
}

func sanitize(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
			return r
		}
		return '_'
	}, s)
}
