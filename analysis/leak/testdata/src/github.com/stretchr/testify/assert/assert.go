// Package assert is a minimal stand-in for testify's assert package: its
// assertions report a failure and return false, without ending the test.
package assert

// TestingT is the part of *testing.T the assertions use.
type TestingT interface {
	Errorf(format string, args ...any)
}

// Fail reports a failure; it always returns false.
func Fail(t TestingT, msg string, msgAndArgs ...any) bool {
	t.Errorf("%s", msg)
	return false
}

// Error reports a failure when err is nil and returns whether err is set.
func Error(t TestingT, err error, msgAndArgs ...any) bool {
	if err == nil {
		return Fail(t, "an error is expected", msgAndArgs...)
	}
	return true
}

// NoError reports a failure when err is set and returns whether it is nil.
func NoError(t TestingT, err error, msgAndArgs ...any) bool {
	if err != nil {
		return Fail(t, "unexpected error", msgAndArgs...)
	}
	return true
}
