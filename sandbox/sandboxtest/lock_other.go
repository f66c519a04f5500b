//go:build !unix

package sandboxtest

import "testing"

// Exclusive does nothing where flock is not available; run the tests that
// use the engine with -p 1 there.
func Exclusive(t testing.TB) { t.Helper() }
