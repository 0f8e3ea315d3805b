// Package shipped is tested by files that add nothing to its types.
package shipped

import "os"

// Open opens the named file.
func Open(name string) (*os.File, error) { return os.Open(name) }
