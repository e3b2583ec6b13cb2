package store

// Injector is the optional capability of a store to switch its injected
// latency and failures off and on. The runner switches them off while it
// preloads a system and while the consistency checker reads the store at
// quiescence: that work is set-up and inspection, not what is measured, and
// paced by a 1 ms latency (naive serialising its preload) it would take
// longer than the measured phase itself.
type Injector interface {
	// SetInjection(false) makes every call run at once, never fail and
	// stay out of the store's figures; SetInjection(true) restores the
	// configured behaviour.
	SetInjection(on bool)
}

var _ Injector = (*Sim)(nil)

// SetInjection implements Injector.
func (s *Sim) SetInjection(on bool) { s.bypass.Store(!on) }
