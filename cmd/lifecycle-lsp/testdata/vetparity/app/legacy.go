package main

import "os"

// legacySize leaks its file, in a file the configuration excludes: not
// reported.
func legacySize(path string) int64 {
	f, err := os.Open(path)
	if err != nil {
		return 0
	}
	st, err := f.Stat()
	if err != nil {
		return 0
	}
	return st.Size()
}

var _ = legacySize
