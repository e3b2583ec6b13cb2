package workload

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"time"
	"unicode"

	"lockbench/target"
)

// nameRE: lower-case words joined by hyphens; no leading hyphen, so a name
// never looks like a flag.
var nameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)

// maxWeight keeps the sum of weights finite and exact enough.
const maxWeight = 1e9

// validate checks a decoded spec with defaults applied, field by field in
// file order, and returns the first problem.
func validate(s *Spec) *fieldError {
	checks := []func(*Spec) *fieldError{
		validateName,
		validateDescription,
		validateMix,
		validateKeys,
		validateDistribution,
		validateConcurrency,
		validateLimits,
		validateArrival,
		validateTrackers,
		validateStore,
		validateConfig,
		validatePreload, // after config: it compares with config.max_contexts
	}
	for _, check := range checks {
		if err := check(s); err != nil {
			return err
		}
	}
	return nil
}

func errorf(path fieldPath, format string, args ...any) *fieldError {
	return &fieldError{path: path, message: fmt.Sprintf(format, args...)}
}

func field(name string) fieldPath { return fieldPath{{key: name}} }

func validateName(s *Spec) *fieldError {
	switch {
	case s.Name == "":
		return errorf(field("name"), "required")
	case len(s.Name) > MaxNameLength:
		return errorf(field("name"), "longer than %d characters", MaxNameLength)
	case !nameRE.MatchString(s.Name):
		return errorf(field("name"), "must be lower-case letters, digits and hyphens, got %q", s.Name)
	}
	return nil
}

func validateDescription(s *Spec) *fieldError {
	return validateLine(field("description"), s.Description)
}

// validateLine accepts one printable line: descriptions are shown in
// tables and lists.
func validateLine(path fieldPath, text string) *fieldError {
	if len(text) > MaxTextLength {
		return errorf(path, "longer than %d characters", MaxTextLength)
	}
	for _, r := range text {
		if r == unicode.ReplacementChar || !unicode.IsPrint(r) && r != ' ' {
			return errorf(path, "must be one line of printable text, got %q", text)
		}
	}
	return nil
}

func validateMix(s *Spec) *fieldError {
	if len(s.Mix) == 0 {
		return errorf(field("mix"), "required: weights over operation names, e.g. {manager.update: 90, manager.get: 10}")
	}
	names := make([]string, 0, len(s.Mix))
	for name := range s.Mix {
		names = append(names, name)
	}
	slices.Sort(names)
	t, err := target.Lookup(s.Target)
	if err != nil {
		return errorf(field("target"), "unknown target %q%s", s.TargetName(), suggestOrList(s.TargetName(), target.Names()))
	}
	total := 0.0
	for _, name := range names {
		path := field("mix").key(name)
		if _, err := t.Op(name); err != nil {
			return errorf(path, "unknown %s", unknownOp(t, name))
		}
		w := s.Mix[name]
		if math.IsNaN(w) || w < 0 || w > maxWeight {
			return errorf(path, "weight must be between 0 and %g, got %v", float64(maxWeight), w)
		}
		total += w
	}
	if total <= 0 {
		return errorf(field("mix"), "weights sum to 0: at least one operation needs a positive weight")
	}
	return nil
}

func validateKeys(s *Spec) *fieldError {
	if s.Keys < 1 || s.Keys > MaxKeys {
		return errorf(field("keys"), "must be between 1 and %d, got %d", MaxKeys, s.Keys)
	}
	return nil
}

// validatePreload runs after the config checks, since preloaded contexts
// count against config.max_contexts.
func validatePreload(s *Spec) *fieldError {
	switch {
	case s.Preload < 0 || s.Preload > s.Keys:
		return errorf(field("preload"), "must be between 0 and keys (%d), got %d", s.Keys, s.Preload)
	case s.Preload > s.Config.MaxContexts:
		return errorf(field("preload"), "%d exceeds config.max_contexts (%d)", s.Preload, s.Config.MaxContexts)
	}
	// An operation that needs an existing context, with nothing preloaded
	// and nothing created, only ever measures the not-found path: almost
	// certainly a forgotten preload.
	hasCreate := false
	for _, op := range s.opSpecs() {
		hasCreate = hasCreate || op.Creates
	}
	if s.Preload == 0 && !hasCreate {
		for _, op := range s.opSpecs() {
			if op.NeedsExisting {
				return errorf(field("preload"), "is 0 and the mix creates nothing, so %s would only ever find nothing; set preload", op.Name)
			}
		}
	}
	return nil
}

func validateDistribution(s *Spec) *fieldError {
	switch s.Distribution {
	case Uniform, Zipf, Hotspot, Sequential, Unique:
	default:
		return errorf(field("distribution"), "must be one of uniform, zipf, hotspot, sequential, unique; got %q%s",
			s.Distribution, suggest(s.Distribution, []string{Uniform, Zipf, Hotspot, Sequential, Unique}))
	}
	// Parameters of another distribution are an error, not silently
	// ignored: "zipf_s: 1.2" without "distribution: zipf" is a mistake.
	if s.Distribution == Zipf {
		if !(s.ZipfS > 1 && s.ZipfS <= MaxZipfS) {
			return errorf(field("zipf_s"), "must be > 1 and <= %d, got %v", MaxZipfS, s.ZipfS)
		}
	} else if s.ZipfS != 0 {
		return errorf(field("zipf_s"), "only for distribution zipf (distribution is %s)", s.Distribution)
	}
	if s.Distribution == Hotspot {
		if !(s.HotFraction > 0 && s.HotFraction <= 1) {
			return errorf(field("hot_fraction"), "must be in (0, 1], got %v", s.HotFraction)
		}
		if !(s.HotProbability > 0 && s.HotProbability <= 1) {
			return errorf(field("hot_probability"), "must be in (0, 1], got %v", s.HotProbability)
		}
	} else {
		if s.HotFraction != 0 {
			return errorf(field("hot_fraction"), "only for distribution hotspot (distribution is %s)", s.Distribution)
		}
		if s.HotProbability != 0 {
			return errorf(field("hot_probability"), "only for distribution hotspot (distribution is %s)", s.Distribution)
		}
	}
	// unique never repeats a key, so an operation on an existing key would
	// only ever find none. Creates and key-less operations are fine.
	if s.Distribution == Unique {
		for _, op := range s.opSpecs() {
			if op.Keyed && !op.Creates {
				return errorf(field("mix").key(op.Name), "needs an existing key, but distribution unique never repeats a key; use creates and key-less operations only")
			}
		}
	}
	return nil
}

func validateConcurrency(s *Spec) *fieldError {
	switch {
	case len(s.Concurrency) == 0:
		return errorf(field("concurrency"), "needs at least one worker count")
	case len(s.Concurrency) > MaxSweep:
		return errorf(field("concurrency"), "more than %d levels", MaxSweep)
	}
	for i, n := range s.Concurrency {
		path := field("concurrency").index(i)
		switch {
		case n < 1:
			return errorf(path, "must be >= 1, got %d", n)
		case n > MaxConcurrency:
			return errorf(path, "must be <= %d, got %d", MaxConcurrency, n)
		case slices.Contains(s.Concurrency[:i], n):
			return errorf(path, "%d appears twice", n)
		}
	}
	return nil
}

func validateDuration(path fieldPath, d, limit time.Duration) *fieldError {
	if d < 0 || d > limit {
		return errorf(path, "must be between 0s and %v, got %v", limit, d)
	}
	return nil
}

func validateLimits(s *Spec) *fieldError {
	if err := validateDuration(field("duration"), s.Duration, MaxDuration); err != nil {
		return err
	}
	if s.Ops < 0 || s.Ops > MaxOps {
		return errorf(field("ops"), "must be between 0 and %d, got %d", int64(MaxOps), s.Ops)
	}
	if s.Duration == 0 && s.Ops == 0 {
		return errorf(field("duration"), "must be > 0 unless ops is set (both are 0)")
	}
	if err := validateDuration(field("warmup"), s.Warmup, MaxDuration); err != nil {
		return err
	}
	if s.Count < 1 || s.Count > MaxCount {
		return errorf(field("count"), "must be between 1 and %d, got %d", MaxCount, s.Count)
	}
	return nil
}

func validateArrival(s *Spec) *fieldError {
	switch s.Arrival {
	case Closed:
		if s.Rate != 0 {
			return errorf(field("rate"), "%v without an open loop: rate applies only with arrival open", s.Rate)
		}
	case Open:
		if !(s.Rate >= MinRate && s.Rate <= MaxRate) {
			return errorf(field("rate"), "arrival open needs a total rate between %v and %v ops/s, got %v", MinRate, float64(MaxRate), s.Rate)
		}
	default:
		return errorf(field("arrival"), "must be closed or open, got %q", s.Arrival)
	}
	if s.Interarrival != Poisson && s.Interarrival != Uniform {
		return errorf(field("interarrival"), "must be poisson or uniform, got %q", s.Interarrival)
	}
	if err := validateDuration(field("think_time"), s.ThinkTime, MaxThinkTime); err != nil {
		return err
	}
	if s.Arrival == Open && s.ThinkTime != 0 {
		return errorf(field("think_time"), "applies only with arrival closed (an open loop's schedule sets the pace)")
	}
	return nil
}

func validateTrackers(s *Spec) *fieldError {
	if s.Trackers != PerClient && s.Trackers != Shared {
		return errorf(field("trackers"), "must be per-client or shared, got %q%s", s.Trackers, suggest(s.Trackers, []string{PerClient, Shared}))
	}
	return nil
}

// validateStore catches only a Spec built in code without a store: a
// store spec that does not parse never becomes a store.Spec.
func validateStore(s *Spec) *fieldError {
	if s.Store.Kind() == "" {
		return errorf(field("store"), "required (e.g. %s)", DefaultStore)
	}
	return nil
}

func validateConfig(s *Spec) *fieldError {
	c := s.Config
	config := field("config")
	switch {
	case c.MaxContexts < 1 || c.MaxContexts > MaxMaxContexts:
		return errorf(config.key("max_contexts"), "must be between 1 and %d, got %d", MaxMaxContexts, c.MaxContexts)
	case c.MaxRecoveryPoints < 1 || c.MaxRecoveryPoints > MaxRecoveryPoints:
		return errorf(config.key("max_recovery_points"), "must be between 1 and %d, got %d", MaxRecoveryPoints, c.MaxRecoveryPoints)
	case c.TTL <= 0:
		return errorf(config.key("ttl"), "must be > 0, got %v", c.TTL)
	case c.SyncInterval <= 0:
		return errorf(config.key("sync_interval"), "must be > 0, got %v", c.SyncInterval)
	}
	return nil
}
