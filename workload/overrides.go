package workload

import (
	"slices"
	"time"

	"lockbench/store"
)

// Overrides changes some fields of a spec: a suite entry's settings, or a
// command line's flags. A nil pointer (nil Concurrency) leaves the field
// as it is.
type Overrides struct {
	Concurrency []int          `yaml:"concurrency"`
	Duration    *time.Duration `yaml:"duration"`
	Ops         *int64         `yaml:"ops"`
	Warmup      *time.Duration `yaml:"warmup"`
	Count       *int           `yaml:"count"`
	Store       *store.Spec    `yaml:"store"`
	Arrival     *string        `yaml:"arrival"`
	Rate        *float64       `yaml:"rate"`
	Seed        *int64         `yaml:"seed"`
}

// Override returns a validated copy of s with o applied; s is unchanged.
// Two limits replace each other: a Duration without Ops clears the spec's
// Ops, and Ops without Duration clears its Duration (as --duration and
// --ops do on the command line). Switching Arrival clears the other
// mode's setting: to closed clears Rate, to open clears ThinkTime. Errors
// name source (e.g. "suite default, run 3") and the field, and match
// ErrInvalid.
func (s *Spec) Override(o Overrides, source string) (*Spec, error) {
	c := s.Clone()
	if o.Concurrency != nil {
		c.Concurrency = slices.Clone(o.Concurrency)
	}
	if o.Duration != nil {
		c.Duration = *o.Duration
		if o.Ops == nil {
			c.Ops = 0
		}
	}
	if o.Ops != nil {
		c.Ops = *o.Ops
		if o.Duration == nil {
			c.Duration = 0
		}
	}
	if o.Warmup != nil {
		c.Warmup = *o.Warmup
	}
	if o.Count != nil {
		c.Count = *o.Count
	}
	if o.Store != nil {
		c.Store = *o.Store
	}
	if o.Arrival != nil && *o.Arrival != c.Arrival {
		c.Arrival = *o.Arrival
		switch c.Arrival {
		case Closed:
			c.Rate = 0
		case Open:
			c.ThinkTime = 0
		}
	}
	if o.Rate != nil {
		c.Rate = *o.Rate
	}
	if o.Seed != nil {
		c.Seed = *o.Seed
	}
	if err := c.validateAs(source); err != nil {
		return nil, err
	}
	return c, nil
}

// Validate checks a spec built or changed in code (Parse and Override
// already validate what they return). Errors match ErrInvalid and name the
// workload and the field. No defaults are applied: a zero field is checked
// as zero.
func (s *Spec) Validate() error {
	source := "workload " + s.Name
	if s.Name == "" {
		source = "workload"
	}
	return s.validateAs(source)
}

// validateAs validates and names source in the error.
func (s *Spec) validateAs(source string) error {
	if err := validate(s); err != nil {
		return err.at(source, nil)
	}
	return nil
}

// merge returns o with every field that o leaves unset taken from base.
func (o Overrides) merge(base Overrides) Overrides {
	if o.Concurrency == nil {
		o.Concurrency = base.Concurrency
	}
	if o.Duration == nil && o.Ops == nil {
		o.Duration, o.Ops = base.Duration, base.Ops
	}
	if o.Warmup == nil {
		o.Warmup = base.Warmup
	}
	if o.Count == nil {
		o.Count = base.Count
	}
	if o.Store == nil {
		o.Store = base.Store
	}
	if o.Arrival == nil && o.Rate == nil {
		o.Arrival, o.Rate = base.Arrival, base.Rate
	}
	if o.Seed == nil {
		o.Seed = base.Seed
	}
	return o
}
