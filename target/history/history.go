// Package history records the operations of any target — who called what,
// with which input and output, from when to when — and checks them for
// linearizability with a porcupine model. It is the easy way for a target
// of one's own to be a target.Checker:
//
//	if d.History { rec = history.New(d.Clients) }
//	… Client(w) returns rec.Client(w, func(ctx, op, key) (in, out any, err error) { … })
//	… Check returns rec.Check(model, in.OutDir, in.RunName) plus its own anomalies
//
// A Recorder keeps one buffer per client and takes no shared lock on the
// operation path, so recording does not become a lock under test. It keeps
// every operation of the run, warm-up included (the runner reports each
// one to an Observer), up to a bound (Cap, a million operations by
// default, shared equally between the clients): make one only when
// Deps.History asks for it (bench run --history), as examples/quota does,
// and keep the workload short. A history that outgrew its bound is not
// checked — one with operations missing proves nothing — and reads Unknown.
package history

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"time"

	"github.com/anishathalye/porcupine"

	"lockbench/internal/safefile"
	"lockbench/results"
	"lockbench/target"
)

// Verdicts, as results.Consistency.Linearizable spells them.
const (
	Ok      = results.LinOK
	Illegal = results.LinIllegal
	Unknown = results.LinUnknown
)

// DefaultTimeout bounds one porcupine check; a check that runs out of time
// is Unknown, never a hang.
const DefaultTimeout = 10 * time.Second

// DefaultCap bounds the operations a Recorder keeps, all clients together.
const DefaultCap = 1_000_000

// Recorder keeps a history.
type Recorder struct {
	clients  [][]porcupine.Operation // index w+1: client -1 is the preload
	overflow []bool                  // per client: it had more than its share of Cap
	// Timeout bounds Check (0: DefaultTimeout).
	Timeout time.Duration
	// Cap bounds the operations kept, all clients together (0:
	// DefaultCap); each client keeps at most its equal share, so that
	// recording takes no shared counter. Set it before the first Record.
	Cap int
}

// New returns a Recorder for clients 0 … clients-1, and -1 for operations
// the system makes itself (a preload).
func New(clients int) *Recorder {
	return &Recorder{clients: make([][]porcupine.Operation, clients+1), overflow: make([]bool, clients+1)}
}

// share is the most operations one client keeps.
func (r *Recorder) share() int {
	c := r.Cap
	if c <= 0 {
		c = DefaultCap
	}
	return max(c/len(r.clients), 1)
}

// Record notes one completed operation of client w, with call and return
// times on the run's clock. Each client's operations must be recorded from
// one goroutine at a time (client -1's too). Past the client's share of
// Cap, its operations are dropped and the history is marked incomplete.
func (r *Recorder) Record(w int, input, output any, call, ret int64) {
	if r.overflow[w+1] {
		return
	}
	if len(r.clients[w+1]) >= r.share() {
		r.overflow[w+1] = true
		r.clients[w+1] = nil // an incomplete history is never checked
		return
	}
	r.clients[w+1] = append(r.clients[w+1], porcupine.Operation{
		ClientId: w + 1, Input: input, Output: output, Call: call, Return: ret,
	})
}

// Complete reports whether every operation was kept (none outgrew Cap).
func (r *Recorder) Complete() bool {
	for _, o := range r.overflow {
		if o {
			return false
		}
	}
	return true
}

// Len returns the number of operations recorded.
func (r *Recorder) Len() int {
	n := 0
	for _, ops := range r.clients {
		n += len(ops)
	}
	return n
}

// Call executes one operation and returns what the model needs: its input
// and its output (an output should say whether the operation failed, when
// failures are part of the model).
type Call func(ctx context.Context, op target.Op, key string) (input, output any, err error)

// Client returns a target.Client for client w that runs call and records
// it: it is also a target.Observer, so the runner gives it the operation's
// times without extra clock reads.
func (r *Recorder) Client(w int, call Call) target.Client {
	return &client{r: r, w: w, call: call}
}

type client struct {
	r             *Recorder
	w             int
	call          Call
	input, output any
}

var _ target.Observer = (*client)(nil)

func (c *client) Do(ctx context.Context, op target.Op, key string) error {
	var err error
	c.input, c.output, err = c.call(ctx, op, key)
	return err
}

func (c *client) Observe(call, ret int64, _ error) {
	c.r.Record(c.w, c.input, c.output, call, ret)
	c.input, c.output = nil, nil
}

// Check checks the history against model and returns the verdict. When it
// is Illegal and outDir is not "", porcupine's visualisation is written to
// outDir/runName-linearizability.html and its name returned. An incomplete
// history (see Cap) is Unknown, unchecked.
func (r *Recorder) Check(model porcupine.Model, outDir, runName string) (verdict, file string, err error) {
	if !r.Complete() {
		return Unknown, "", nil
	}
	var ops []porcupine.Operation
	for _, c := range r.clients {
		ops = append(ops, c...)
	}
	timeout := r.Timeout
	if timeout == 0 {
		timeout = DefaultTimeout
	}
	res, info := porcupine.CheckOperationsVerbose(model, ops, timeout)
	switch res {
	case porcupine.Ok:
		return Ok, "", nil
	case porcupine.Unknown:
		return Unknown, "", nil
	}
	if outDir == "" {
		return Illegal, "", nil
	}
	var buf bytes.Buffer
	if err := porcupine.Visualize(model, info, &buf); err != nil {
		return Illegal, "", fmt.Errorf("history: visualize: %w", err)
	}
	file = runName + "-linearizability.html"
	if err := safefile.WriteFile(filepath.Join(outDir, file), buf.Bytes()); err != nil {
		return Illegal, "", fmt.Errorf("history: %w", err)
	}
	return Illegal, file, nil
}
