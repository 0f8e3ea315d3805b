package fieldsok

import (
	"sync"

	"extdep"
)

var (
	cacheMu sync.Mutex
	cache   *extdep.Cache
)

func startCache() { cache = extdep.NewCache() }

// Stopped by a method of another package, then cleared under a lock.
func stopCache() {
	cacheMu.Lock()
	has := cache != nil
	cacheMu.Unlock()
	if has {
		cache.Stop()
		cacheMu.Lock()
		cache = nil
		cacheMu.Unlock()
	}
}
