// Command app uses package svc, which passes on the resources of package
// store.
package main

import (
	"fmt"
	"io"
	"os"

	"example.com/vetparity/svc"
)

func main() {
	if err := printConfig(os.Args[1]); err != nil {
		fmt.Println(err)
	}
	n, err := count(os.Args[1])
	fmt.Println(n, err)
}

// count leaks what svc.Config returns, which is what store.Open returns.
func count(path string) (int, error) {
	r, err := svc.Config(path) // finding: leak, until store.Open keeps its file
	if err != nil {
		return 0, err
	}
	b, err := io.ReadAll(r)
	return len(b), err
}

// printConfig releases what svc.Config returns: nothing leaks.
func printConfig(path string) error {
	r, err := svc.Config(path)
	if err != nil {
		return err
	}
	defer r.Close()
	_, err = io.Copy(os.Stdout, r)
	return err
}
