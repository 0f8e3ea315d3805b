package augmented_test

import (
	"testing"

	"maker"
)

func TestMake(t *testing.T) {
	h := maker.Make()
	_ = h
}
