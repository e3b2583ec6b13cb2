package workload

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors. Both mean bad input (the command exits 2).
var (
	// ErrInvalid: a workload or suite file that does not decode or does not
	// validate. Every such error is an *Error naming the source, and the
	// field when there is one.
	ErrInvalid = errors.New("workload: invalid spec")
	// ErrUnknown: a workload, suite or operation name that does not exist.
	ErrUnknown = errors.New("workload: unknown")
)

// Error is a decoding or validation error of one spec. It matches
// ErrInvalid with errors.Is. Its text is one line:
//
//	workload: invalid spec same.yaml:9: concurrency[2]: must be >= 1, got 0
type Error struct {
	Source  string // the file (or embedded name) the spec came from
	Line    int    // 1-based line in Source; 0 when unknown (e.g. a default)
	Field   string // e.g. "concurrency[2]", "config.ttl", "mix.manager.get"; "" for the document
	Message string // what is wrong, with the offending value
	Err     error  // the underlying error (a YAML or file error), if any
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(ErrInvalid.Error())
	if e.Source != "" {
		b.WriteString(" ")
		b.WriteString(e.Source)
		if e.Line > 0 {
			fmt.Fprintf(&b, ":%d", e.Line)
		}
	}
	b.WriteString(": ")
	if e.Field != "" {
		b.WriteString(e.Field)
		b.WriteString(": ")
	}
	b.WriteString(e.Message)
	// One line, always: a message may quote text from the file.
	return strings.NewReplacer("\r", `\r`, "\n", `\n`).Replace(b.String())
}

// Unwrap makes errors.Is(err, ErrInvalid) hold, and errors.Is with the
// underlying error (e.g. fs.ErrNotExist).
func (e *Error) Unwrap() []error {
	if e.Err == nil {
		return []error{ErrInvalid}
	}
	return []error{ErrInvalid, e.Err}
}

// suggest returns ` (did you mean "x"?)` for the candidate closest to name
// when it is close enough to be a typo, and "" otherwise.
func suggest(name string, candidates []string) string {
	best, bestDistance := "", -1
	for _, c := range candidates {
		d := editDistance(strings.ToLower(name), c)
		if len(name) >= 3 && (strings.HasPrefix(c, name) || strings.HasPrefix(name, c)) {
			d = min(d, 1) // "zipfian" for "zipf", "manager.recovery" for "manager.recovery_point"
		}
		if bestDistance < 0 || d < bestDistance {
			best, bestDistance = c, d
		}
	}
	limit := max(2, len(name)/3)
	if bestDistance < 0 || bestDistance > limit || bestDistance == 0 && best == name {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

// editDistance is the Levenshtein distance of a and b, in bytes. Inputs are
// short names, so the quadratic table is fine; very long inputs are cut so a
// hostile file cannot make an error message expensive.
func editDistance(a, b string) int {
	const maxLen = 64
	if len(a) > maxLen {
		a = a[:maxLen]
	}
	if len(b) > maxLen {
		b = b[:maxLen]
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
