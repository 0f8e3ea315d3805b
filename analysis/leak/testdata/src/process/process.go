// Package process: a started command is reaped by cmd.Wait() or by
// cmd.Process.Wait(); killing it alone does not reap it.
package process

import (
	"os/exec"
	"syscall"
)

func runWaitProcess() error {
	cmd := exec.Command("sleep", "1")
	if err := cmd.Start(); err != nil {
		return err
	}
	cmd.Process.Signal(syscall.SIGTERM)
	_, err := cmd.Process.Wait()
	return err
}

func runDeferredReap() error {
	cmd := exec.Command("sleep", "1")
	if err := cmd.Start(); err != nil {
		return err
	}
	defer func() {
		cmd.Process.Signal(syscall.SIGTERM)
		cmd.Process.Wait()
	}()
	return nil
}

// The true bug of the same shape: killed, never reaped.
func runKillOnly() error {
	cmd := exec.Command("sleep", "1")
	if err := cmd.Start(); err != nil { // want `started command cmd from \(\*exec.Cmd\).Start is never waited for`
		return err
	}
	return cmd.Process.Kill()
}
