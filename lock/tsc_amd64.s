//go:build linux && !lock_nanotime

#include "textflag.h"

// func rdtsc() int64
// RDTSC without a fence: it may be reordered by a few instructions, noise
// far below the hold times measured; RDTSCP or a fence costs twice as much.
TEXT ·rdtsc(SB), NOSPLIT, $0-8
	RDTSC
	SHLQ $32, DX
	ORQ  DX, AX
	MOVQ AX, ret+0(FP)
	RET
