package augmented_test

import (
	"testing"

	"maker"
)

func TestOpen(t *testing.T) {
	h := maker.Open()
	_ = h
}
