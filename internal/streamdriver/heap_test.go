package streamdriver

import "testing"

func TestHeapLimit(t *testing.T) {
	const base, ceiling = 1000 << 20, 2000 << 20
	for _, tc := range []struct {
		name       string
		live, want int64
	}{
		{"small live heap keeps the base limit", 100 << 20, base},
		{"live heap at half the base keeps it", base / 2, base},
		{"larger live heap gets twice it", 800 << 20, 1600 << 20},
		{"the limit stops at the ceiling", 1200 << 20, ceiling},
	} {
		if got := heapLimit(tc.live, base, ceiling); got != tc.want {
			t.Errorf("%s: heapLimit(%d MiB) = %d MiB, want %d MiB", tc.name, tc.live>>20, got>>20, tc.want>>20)
		}
	}
}
