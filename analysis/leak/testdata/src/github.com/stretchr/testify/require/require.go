// Package require is a minimal stand-in for testify's require package: its
// assertions end the test with FailNow when they fail.
package require

import "github.com/stretchr/testify/assert"

// TestingT is the part of *testing.T the assertions use.
type TestingT interface {
	Errorf(format string, args ...any)
	FailNow()
}

// NoError ends the test when err is not nil.
func NoError(t TestingT, err error, msgAndArgs ...any) {
	if err != nil {
		t.Errorf("unexpected error: %v", err)
		t.FailNow()
	}
}

// Equal ends the test when a and b differ.
func Equal(t TestingT, a, b any, msgAndArgs ...any) {
	if a != b {
		t.Errorf("%v != %v", a, b)
		t.FailNow()
	}
}

// Error ends the test when err is nil.
func Error(t TestingT, err error, msgAndArgs ...any) {
	if assert.Error(t, err, msgAndArgs...) {
		return
	}
	t.FailNow()
}

// ErrorLogged only reports a nil err; the test goes on.
func ErrorLogged(t TestingT, err error, msgAndArgs ...any) {
	assert.Error(t, err, msgAndArgs...)
}
