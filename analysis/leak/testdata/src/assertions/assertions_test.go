// Package assertions: after a helper that stops the test unless the
// acquisition's error is set, the acquisition failed and holds nothing.
package assertions

import (
	"errors"
	"net"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var errRefused = errors.New("refused")

func requireError(t testing.TB, err error) {
	t.Helper()
	if err == nil {
		t.Fatalf("want an error")
	}
}

func requireTrue(t testing.TB, ok bool) {
	t.Helper()
	if !ok {
		t.Fatalf("want true")
	}
}

func requireNoError(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
}

// checkError only logs: the test goes on with a nil err.
func checkError(t testing.TB, err error) {
	t.Helper()
	if err == nil {
		t.Errorf("want an error")
	}
}

// requireErrorOf stops when the other argument is nil.
func requireErrorOf(t testing.TB, err, other error) {
	if other == nil {
		t.Fatalf("nothing to compare with")
	}
}

func TestRequireError(t *testing.T) {
	_, err := net.Dial("tcp", "localhost:1")
	requireError(t, err)
}

func TestRequireErrorKept(t *testing.T) {
	c, err := net.Dial("tcp", "localhost:1")
	requireError(t, err)
	t.Log(c)
}

func TestRequireTrueNotNil(t *testing.T) {
	_, err := net.Dial("tcp", "localhost:1")
	requireTrue(t, err != nil)
}

func TestRequireTrueIs(t *testing.T) {
	_, err := net.Dial("tcp", "localhost:1")
	requireTrue(t, errors.Is(err, errRefused))
}

func TestTestifyRequireError(t *testing.T) {
	_, err := os.Open("missing")
	require.Error(t, err)
}

// The true bugs of the same shapes are still reported.

func TestRequireNoError(t *testing.T) {
	_, err := net.Dial("tcp", "localhost:1") // want `connection returned by net.Dial is discarded`
	requireNoError(t, err)
}

func TestRequireTrueIsNil(t *testing.T) {
	_, err := net.Dial("tcp", "localhost:1") // want `connection returned by net.Dial is discarded`
	requireTrue(t, err == nil)
}

func TestCheckErrorGoesOn(t *testing.T) {
	_, err := net.Dial("tcp", "localhost:1") // want `connection returned by net.Dial is discarded`
	checkError(t, err)
}

func TestRequireErrorOfOther(t *testing.T) {
	_, err := net.Dial("tcp", "localhost:1") // want `connection returned by net.Dial is discarded`
	requireErrorOf(t, err, errRefused)
}

func TestTestifyAssertError(t *testing.T) {
	_, err := os.Open("missing") // want `file returned by os.Open is discarded`
	assert.Error(t, err)
}

func TestTestifyErrorLogged(t *testing.T) {
	_, err := os.Open("missing") // want `file returned by os.Open is discarded`
	require.ErrorLogged(t, err)
}

func TestTestifyNoError(t *testing.T) {
	_, err := os.Open("missing") // want `file returned by os.Open is discarded`
	require.NoError(t, err)
}

// A helper that stops on an error of an earlier call says nothing of this one.
func TestRequireErrorOfEarlierCall(t *testing.T) {
	_, err := os.Stat("x")
	requireError(t, err)
	_, err2 := net.Dial("tcp", "localhost:1") // want `connection returned by net.Dial is discarded`
	t.Log(err2)
}
