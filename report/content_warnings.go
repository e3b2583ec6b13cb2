package report

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"lockbench/analysis"
)

// warningText places a warning: strategy, concurrency and repetition when
// it concerns one, then its message.
func warningText(w analysis.Warning) string {
	var where []string
	if w.Strategy != "" {
		where = append(where, w.Strategy)
	}
	if w.Concurrency > 0 {
		where = append(where, "N="+strconv.Itoa(w.Concurrency))
	}
	if w.Repetition >= 0 && w.Concurrency > 0 {
		where = append(where, "repetition "+strconv.Itoa(w.Repetition))
	}
	if len(where) == 0 {
		return w.Message
	}
	return strings.Join(where, ", ") + ": " + w.Message
}

func warningTexts(ws []analysis.Warning) []string {
	out := make([]string, 0, len(ws))
	for _, w := range ws {
		out = append(out, warningText(w))
	}
	return out
}

// footnotes numbers distinct warning texts in order of first use.
type footnotes struct {
	texts []string
}

func (f *footnotes) ref(text string) int {
	if i := slices.Index(f.texts, text); i >= 0 {
		return i + 1
	}
	f.texts = append(f.texts, text)
	return len(f.texts)
}

func (f *footnotes) items() []string {
	out := make([]string, len(f.texts))
	for i, t := range f.texts {
		out[i] = fmt.Sprintf("[%d] %s", i+1, t)
	}
	return out
}

// cellWarningTexts are the warnings of one row: the row already names
// strategy and concurrency, so rows with the same caveat share a footnote.
// Warnings of one kind that differ only in their figures (a Little's law
// ratio per repetition) become one text listing the figures and the
// repetitions they belong to.
func cellWarningTexts(ws []analysis.Warning) []string {
	type cluster struct {
		kind     string
		reps     []int
		messages []string
	}
	var clusters []*cluster
	for _, w := range ws {
		var home *cluster
		for _, c := range clusters {
			if c.kind == w.Kind {
				if _, ok := mergeMessages([]string{c.messages[0], w.Message}); ok {
					home = c
					break
				}
			}
		}
		if home == nil {
			home = &cluster{kind: w.Kind}
			clusters = append(clusters, home)
		}
		if w.Repetition >= 0 {
			home.reps = append(home.reps, w.Repetition)
		}
		home.messages = append(home.messages, w.Message)
	}
	out := make([]string, 0, len(clusters))
	for _, c := range clusters {
		text, _ := mergeMessages(c.messages)
		if len(c.reps) > 0 {
			text = repetitionsText(c.reps) + ": " + text
		}
		out = append(out, text)
	}
	return out
}

// mergeMessages folds messages that differ only in a few words (numbers,
// usually) into one: the shared beginning and end once, the differing
// middles listed in order. ok is false when they share too little.
func mergeMessages(messages []string) (string, bool) {
	if len(messages) == 1 || !slices.ContainsFunc(messages, func(m string) bool { return m != messages[0] }) {
		return messages[0], true
	}
	words := make([][]string, len(messages))
	shortest := math.MaxInt
	for i, m := range messages {
		words[i] = strings.Fields(m)
		shortest = min(shortest, len(words[i]))
	}
	prefix := 0
	for prefix < shortest && allEqual(words, func(w []string) string { return w[prefix] }) {
		prefix++
	}
	suffix := 0
	for suffix < shortest-prefix && allEqual(words, func(w []string) string { return w[len(w)-1-suffix] }) {
		suffix++
	}
	// Merge only messages that are mostly the same words and differ in
	// one place: messages that differ in two places further apart (a
	// figure and the window it is compared with) would list the words
	// between them once per message.
	if 2*(prefix+suffix) < shortest {
		return "", false
	}
	var middles []string
	for _, w := range words {
		middle := w[prefix : len(w)-suffix]
		if len(middle) > maxMergedWords {
			return "", false
		}
		middles = append(middles, strings.Join(middle, " "))
	}
	// Punctuation every middle shares stays outside the list:
	// "(p99 90ms, 130ms)", not "(p99 90ms), 130ms)".
	lead, trail := commonAffixes(middles)
	for i, m := range middles {
		middles[i] = m[len(lead) : len(m)-len(trail)]
	}
	list := lead + strings.Join(middles, ", ") + trail
	parts := slices.Concat(words[0][:prefix], []string{list}, words[0][len(words[0])-suffix:])
	return strings.Join(slices.DeleteFunc(parts, func(p string) bool { return p == "" }), " "), true
}

// maxMergedWords is the most words a merged message may differ by: a
// figure with its unit and sign ("1.2ms is +21%").
const maxMergedWords = 3

// commonAffixes are the brackets and separators every one of ms starts
// with and ends with (signs, points and units belong to the figures).
func commonAffixes(ms []string) (lead, trail string) {
	punct := func(b byte) bool { return strings.IndexByte("()[]{},;:", b) >= 0 }
	shortest := slices.MinFunc(ms, func(a, b string) int { return len(a) - len(b) })
	l := 0
	for l < len(shortest) && punct(shortest[l]) && allSame(ms, func(m string) byte { return m[l] }) {
		l++
	}
	t := 0
	for t < len(shortest)-l && punct(shortest[len(shortest)-1-t]) && allSame(ms, func(m string) byte { return m[len(m)-1-t] }) {
		t++
	}
	return shortest[:l], shortest[len(shortest)-t:]
}

func allSame(ms []string, at func(string) byte) bool {
	for _, m := range ms[1:] {
		if at(m) != at(ms[0]) {
			return false
		}
	}
	return true
}

func allEqual(words [][]string, at func([]string) string) bool {
	first := at(words[0])
	for _, w := range words[1:] {
		if at(w) != first {
			return false
		}
	}
	return true
}

// repetitionsText names repetitions: "repetition 2", "repetitions 1, 3",
// "repetitions 1–5".
func repetitionsText(reps []int) string {
	reps = slices.Compact(slices.Sorted(slices.Values(reps)))
	if len(reps) == 1 {
		return "repetition " + strconv.Itoa(reps[0])
	}
	if len(reps) > 2 && reps[len(reps)-1]-reps[0] == len(reps)-1 {
		return fmt.Sprintf("repetitions %d–%d", reps[0], reps[len(reps)-1])
	}
	parts := make([]string, len(reps))
	for i, r := range reps {
		parts[i] = strconv.Itoa(r)
	}
	return "repetitions " + strings.Join(parts, ", ")
}
