package main

import (
	"fmt"
	"os"
)

// runServe serves LSP on stdin/stdout.
func runServe(args []string) int {
	fmt.Fprintln(os.Stderr, "lifecycle-lsp: the language server is not built yet")
	return 2
}
