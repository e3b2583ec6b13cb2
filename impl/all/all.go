// Package all registers the built-in lock strategies with lockbench/impl:
// import it for its side effects.
//
//	import _ "lockbench/impl/all"
package all

import (
	_ "lockbench/impl/naive"      // registers "naive"
	_ "lockbench/impl/refactored" // registers "refactored"
	_ "lockbench/impl/sharded"    // registers "sharded"
)
