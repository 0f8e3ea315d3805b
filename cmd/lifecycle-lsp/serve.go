package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/lifecycle-lsp/lifecycle-lsp/server"
)

// runServe serves LSP on stdin/stdout until the client sends exit (or
// closes the connection). Logs go to stderr; stdout carries only protocol.
func runServe(args []string) int {
	for _, a := range args {
		switch a {
		case "--stdio", "-stdio", "serve":
		default:
			fmt.Fprintf(os.Stderr, "lifecycle-lsp: unknown server flag %q\n", a)
			return 2
		}
	}
	rwc := stdio{in: os.Stdin, out: os.Stdout}
	srv := server.New(rwc, server.Options{
		Log:     os.Stderr,
		Exit:    os.Exit,
		Version: version,
	})
	return srv.Run(context.Background())
}

// stdio joins standard input and output into one connection.
type stdio struct {
	in  io.ReadCloser
	out io.WriteCloser
}

func (s stdio) Read(p []byte) (int, error)  { return s.in.Read(p) }
func (s stdio) Write(p []byte) (int, error) { return s.out.Write(p) }
func (s stdio) Close() error {
	err := s.in.Close()
	if err2 := s.out.Close(); err == nil {
		err = err2
	}
	return err
}
