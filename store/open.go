package store

import "fmt"

// Open parses spec (see ParseSpec) and opens the store it describes:
//
//	memory                                   the Memory store
//	sim:latency=1ms,dist=exp,errors=0.01,…   a Sim store (SimConfig)
//	file:dir=PATH,fsync=false                a File store (FileConfig)
//	bolt:path=FILE                           a Bolt store (BoltConfig)
//
// Errors of the spec wrap ErrSpec; the caller closes the store.
func Open(spec string) (Store, error) {
	s, err := ParseSpec(spec)
	if err != nil {
		return nil, err
	}
	return OpenSpec(s)
}

// OpenSpec opens the store a parsed spec describes.
func OpenSpec(s Spec) (Store, error) {
	switch s.Kind {
	case "memory":
		return NewMemory(), nil
	case "sim":
		return NewSim(s.Sim)
	case "file":
		return NewFile(s.File)
	case "bolt":
		return NewBolt(s.Bolt)
	}
	return nil, fmt.Errorf("%w %q: unknown store kind %q (want one of %s)", ErrSpec, s.String(), s.Kind, kindNames())
}
