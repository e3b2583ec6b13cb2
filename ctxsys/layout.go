package ctxsys

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// Store key layout shared by every strategy (see Manager).
const (
	StatePrefix         = "ctx/"
	RecoveryPointPrefix = "rp/"
)

// StateKey is the store key of the state of id.
func StateKey(id string) string { return StatePrefix + id }

// RecoveryPointsPrefix is the store key prefix of the recovery points of id.
func RecoveryPointsPrefix(id string) string { return RecoveryPointPrefix + id + "/" }

// RecoveryPointKey is the store key of recovery point seq of id; seq is
// zero-padded so keys sort in sequence order.
func RecoveryPointKey(id string, seq uint64) string {
	return fmt.Sprintf("%s%s/%020d", RecoveryPointPrefix, id, seq)
}

// ParseRecoveryPointKey splits a recovery point key into id and seq.
func ParseRecoveryPointKey(key string) (id string, seq uint64, err error) {
	rest, ok := strings.CutPrefix(key, RecoveryPointPrefix)
	i := strings.LastIndexByte(rest, '/')
	if !ok || i < 0 {
		return "", 0, fmt.Errorf("%w: not a recovery point key: %q", ErrInvalid, key)
	}
	seq, err = strconv.ParseUint(rest[i+1:], 10, 64)
	if err != nil {
		return "", 0, fmt.Errorf("%w: recovery point key %q: %v", ErrInvalid, key, err)
	}
	return rest[:i], seq, nil
}

// EncodeState is the stored form of a State.
func EncodeState(s State) ([]byte, error) { return json.Marshal(s) }

// DecodeState reads the stored form of a State.
func DecodeState(b []byte) (State, error) {
	var s State
	err := json.Unmarshal(b, &s)
	return s, err
}

// EncodeRecoveryPoint is the stored form of a RecoveryPoint.
func EncodeRecoveryPoint(rp RecoveryPoint) ([]byte, error) { return json.Marshal(rp) }

// DecodeRecoveryPoint reads the stored form of a RecoveryPoint.
func DecodeRecoveryPoint(b []byte) (RecoveryPoint, error) {
	var rp RecoveryPoint
	err := json.Unmarshal(b, &rp)
	return rp, err
}
