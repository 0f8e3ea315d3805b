package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/lifecycle-lsp/lifecycle-lsp/server"
	"github.com/lifecycle-lsp/lifecycle-lsp/server/cache"
)

// runServe serves LSP on stdin/stdout until the client sends exit (or
// closes the connection). Logs go to stderr; stdout carries only protocol.
func runServe(args []string) int {
	stopProfile := func() {}
	var maxMessage int64
	resultCache := "on"
	for _, a := range args {
		switch {
		case a == "--stdio" || a == "-stdio" || a == "serve":
		case strings.HasPrefix(a, "-max-message-bytes=") || strings.HasPrefix(a, "--max-message-bytes="):
			n, err := strconv.ParseInt(a[strings.Index(a, "=")+1:], 10, 64)
			if err != nil || n <= 0 {
				fmt.Fprintf(os.Stderr, "lifecycle-lsp: %s: want a positive number of bytes\n", a)
				return 2
			}
			maxMessage = n
		case strings.HasPrefix(a, "-cpuprofile=") || strings.HasPrefix(a, "--cpuprofile="):
			stop, err := startCPUProfile(a[strings.Index(a, "=")+1:])
			if err != nil {
				fmt.Fprintf(os.Stderr, "lifecycle-lsp: %v\n", err)
				return 2
			}
			stopProfile = stop
		case strings.HasPrefix(a, "-cache=") || strings.HasPrefix(a, "--cache="):
			resultCache = a[strings.Index(a, "=")+1:]
		case strings.HasPrefix(a, "-memprofile=") || strings.HasPrefix(a, "--memprofile="):
			path := a[strings.Index(a, "=")+1:]
			stopCPU := stopProfile
			stopProfile = func() {
				stopCPU()
				if err := writeHeapProfile(path); err != nil {
					fmt.Fprintf(os.Stderr, "lifecycle-lsp: %v\n", err)
				}
			}
		default:
			fmt.Fprintf(os.Stderr, "lifecycle-lsp: unknown server flag %q\n", a)
			return 2
		}
	}
	var openStore cache.OpenStore
	if resultCache != "off" {
		openStore = func() (cache.Store, string, error) {
			c, err := openCache(resultCache)
			if err != nil {
				return nil, "", err
			}
			return c, c.Salt(), nil
		}
	}
	rwc := stdio{in: os.Stdin, out: os.Stdout}
	srv := server.New(rwc, server.Options{
		ResultCache: openStore,
		Log:         os.Stderr,
		Exit: func(code int) {
			stopProfile()
			os.Exit(code)
		},
		Version:         build().Version,
		MaxMessageBytes: maxMessage,
	})
	code := srv.Run(context.Background())
	stopProfile()
	return code
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
