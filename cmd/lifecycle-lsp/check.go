package main

import (
	"fmt"
	"io"
)

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: lifecycle-lsp [--stdio] | lifecycle-lsp check [flags] PATTERNS | lifecycle-lsp version")
}

func runCheck(args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "lifecycle-lsp check: not built yet")
	return 2
}

func isVetTool(args []string) bool { return false }

func runVetTool(args []string) int { return 2 }
