package workload

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"strings"

	"lockbench/workloads"
)

// Parse decodes one workload spec strictly (unknown fields are errors),
// applies the defaults and validates it. source names the data in errors
// (a file name). The store spec is parsed as it is decoded: a bad one is
// an error naming the file, line and field, which also matches
// store.ErrSpec. Every error matches ErrInvalid.
func Parse(data []byte, source string) (*Spec, error) {
	spec := defaultSpec()
	root, err := decodeStrict(data, source, spec)
	if err != nil {
		return nil, err
	}
	// The default duration applies only when neither limit is given:
	// "ops: N" alone means "until N operations are done".
	if !has(root, "duration") && spec.Ops == 0 {
		spec.Duration = DefaultDuration
	}
	spec.applyDistributionDefaults()
	if ferr := validate(spec); ferr != nil {
		return nil, ferr.at(source, root)
	}
	return spec, nil
}

// Load returns an embedded workload by name ("same-context-update") or
// reads and parses a user's file. nameOrPath is a path when it contains a
// slash or ends in .yaml or .yml. An unknown name matches ErrUnknown; a
// bad or unreadable file matches ErrInvalid.
func Load(nameOrPath string) (*Spec, error) {
	if IsPath(nameOrPath) {
		data, err := readFile(nameOrPath)
		if err != nil {
			return nil, err
		}
		return Parse(data, nameOrPath)
	}
	if !slices.Contains(Names(), nameOrPath) {
		return nil, unknownName("workload", nameOrPath, Names())
	}
	file := nameOrPath + ".yaml"
	data, err := fs.ReadFile(workloads.FS, file)
	if err != nil {
		return nil, fmt.Errorf("workload: embedded %s: %w", file, err)
	}
	return Parse(data, "workloads/"+file)
}

// IsPath reports whether Load treats s as a file path rather than a name.
func IsPath(s string) bool {
	return strings.ContainsRune(s, '/') || strings.ContainsRune(s, os.PathSeparator) ||
		strings.HasSuffix(s, ".yaml") || strings.HasSuffix(s, ".yml")
}

// readFile reads a user's spec file, refusing to read more than a spec can
// sensibly be (a path to /dev/zero must not hang the command).
func readFile(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		msg := err.Error()
		if pathErr := (*fs.PathError)(nil); errors.As(err, &pathErr) {
			msg = pathErr.Err.Error() // the path is already the source
		}
		return nil, &Error{Source: name, Message: "cannot read: " + msg, Err: err}
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxFileSize+1))
	if err != nil {
		return nil, &Error{Source: name, Message: "cannot read: " + err.Error(), Err: err}
	}
	return data, nil
}

// suitesFile is the embedded file of suites; every other .yaml file in
// lockbench/workloads is a workload named after its file.
const suitesFile = "suites.yaml"

// Names returns the names of the embedded workloads, sorted.
func Names() []string {
	entries, err := fs.ReadDir(workloads.FS, ".")
	if err != nil {
		panic("workload: embedded workloads: " + err.Error()) // cannot happen with embed.FS
	}
	var names []string
	for _, e := range entries {
		if name, ok := strings.CutSuffix(e.Name(), ".yaml"); ok && e.Name() != suitesFile {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	return names
}

// Builtin returns the embedded workloads, sorted by name. The embedded
// files are checked by this package's tests, so a failure to parse one is
// a build defect and panics.
func Builtin() []*Spec {
	var specs []*Spec
	for _, name := range Names() {
		spec, err := Load(name)
		if err != nil {
			panic(err)
		}
		specs = append(specs, spec)
	}
	return specs
}

// unknownName is the error of a name that is not in known.
func unknownName(kind, name string, known []string) error {
	hint := suggest(name, known)
	if hint == "" {
		hint = " (known: " + strings.Join(known, ", ") + ")"
	}
	return fmt.Errorf("%w %s %q%s", ErrUnknown, kind, name, hint)
}
