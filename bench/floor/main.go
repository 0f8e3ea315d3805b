// Command floor loads and type-checks packages with go/packages exactly as
// "lifecycle-lsp check" does (full syntax and types for every package and
// its dependencies, test variants included) and does nothing else. Its run
// time is the floor that check's run time is compared with.
package main

import (
	"flag"
	"fmt"
	"os"

	"golang.org/x/tools/go/packages"
)

func main() {
	tests := flag.Bool("test", true, "also load test variants, as check does")
	flag.Parse()
	cfg := &packages.Config{Mode: packages.LoadAllSyntax | packages.NeedModule, Tests: *tests}
	pkgs, err := packages.Load(cfg, flag.Args()...)
	if err != nil {
		fmt.Fprintln(os.Stderr, "floor:", err)
		os.Exit(2)
	}
	n := 0
	packages.Visit(pkgs, nil, func(*packages.Package) { n++ })
	fmt.Printf("loaded %d root packages, %d in all\n", len(pkgs), n)
}
