package store

// MaxQuoted is maxQuoted, for the tests of how a bad spec is quoted.
const MaxQuoted = maxQuoted
