package silent

import (
	"bufio"
	"io"
	"log"
	"os"
	"os/exec"
)

// bufferedWriter hands the file back inside its cleanup func.
func bufferedWriter(dest string) (io.Writer, func()) {
	f, err := os.Create(dest)
	if err != nil {
		log.Fatal(err)
	}
	bw := bufio.NewWriter(f)
	return bw, func() {
		bw.Flush()
		f.Close()
	}
}

func writeProfile(dest string) {
	w, flush := bufferedWriter(dest)
	defer flush()
	io.WriteString(w, "profile")
}

func startTrace(dest string) func() {
	w, flush := bufferedWriter(dest)
	io.WriteString(w, "trace")
	return flush
}

func traced() {
	defer startTrace("trace.out")()
}

func openWithCleanup(dest string) (*os.File, func(), error) {
	f, err := os.Create(dest)
	if err != nil {
		return nil, nil, err
	}
	return f, func() { f.Close() }, nil
}

func usesCleanup(dest string) error {
	f, cleanup, err := openWithCleanup(dest)
	if err != nil {
		return err
	}
	defer cleanup()
	_, err = f.WriteString("x")
	return err
}

// The command is waited for by a goroutine.
func waitInGoroutine() error {
	cmd := exec.Command("true")
	if err := cmd.Start(); err != nil {
		return err
	}
	done := make(chan error, 1)
	go func() {
		done <- cmd.Wait()
	}()
	return <-done
}
