package report

import (
	"bytes"
	"strings"
	"testing"
)

// TestWorkloadDescriptionIntroducesItsSection: a workload's description,
// kept in the results' meta, opens its section of the report as a
// sentence — it is where a caveat no window removes is explained.
func TestWorkloadDescriptionIntroducesItsSection(t *testing.T) {
	f := benchstatRuns()
	f.Meta.Workloads = map[string]string{"w": "naive queues ~6 s per operation at 10,000 workers; no window affordable holds that"}
	var buf bytes.Buffer
	if err := WriteMarkdown(&buf, NewModel(f, Options{})); err != nil {
		t.Fatal(err)
	}
	want := "Naive queues ~6 s per operation at 10,000 workers; no window affordable holds that. concurrency 4"
	if !strings.Contains(buf.String(), want) {
		t.Errorf("report.md has no %q", want)
	}
	f.Meta.Workloads = nil
	buf.Reset()
	if err := WriteMarkdown(&buf, NewModel(f, Options{})); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), "Naive queues") {
		t.Error("a description shown without one in the file")
	}
}
