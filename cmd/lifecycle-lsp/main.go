// Command lifecycle-lsp finds resource-lifecycle bugs in Go code and fixes
// them. With no arguments (or --stdio) it serves the Language Server Protocol
// on standard input and output; "check" runs the checks from the command
// line like go vet; "version" prints the version.
package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/lifecycle-lsp/lifecycle-lsp/internal/buildinfo"
)

// version may be set at build time with -ldflags "-X main.version=…";
// otherwise the go command's build info (module version, VCS revision)
// tells which build this is.
var version = ""

// build describes the running binary.
func build() buildinfo.Info { return buildinfo.Read(version) }

func main() {
	os.Exit(run(os.Args[1:]))
}

func run(args []string) int {
	if len(args) == 0 || args[0] == "--stdio" || args[0] == "-stdio" || args[0] == "serve" || strings.Contains(args[0], "cpuprofile=") || strings.Contains(args[0], "memprofile=") || strings.HasPrefix(strings.TrimLeft(args[0], "-"), "cache=") || strings.Contains(args[0], "max-message-bytes=") {
		return runServe(args)
	}
	switch args[0] {
	case "check":
		return runCheck(args[1:], os.Stdout, os.Stderr)
	case "version", "-version", "--version":
		fmt.Println("lifecycle-lsp", build())
		return 0
	case "help", "-h", "-help", "--help":
		usage(os.Stdout)
		return 0
	}
	if isVetTool(args) {
		return runVetTool(args)
	}
	fmt.Fprintf(os.Stderr, "lifecycle-lsp: unknown command %q\n", args[0])
	usage(os.Stderr)
	return 2
}
