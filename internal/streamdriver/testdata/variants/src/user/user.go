// Package user imports shipped: shipped's tests compile it again.
package user

import (
	"os"

	"shipped"
)

// Config opens the configuration file.
func Config() (*os.File, error) { return shipped.Open("config") }
