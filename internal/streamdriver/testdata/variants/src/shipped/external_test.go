package shipped_test

import (
	"testing"

	"user"
)

func TestConfig(t *testing.T) {
	f, err := user.Config() // leaks: the facts of user [shipped.test] say Config returns an open file
	if err != nil {
		t.Fatal(err)
	}
	_ = f.Name()
}
