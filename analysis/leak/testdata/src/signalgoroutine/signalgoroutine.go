// Package signalgoroutine: a signal registration handed to the goroutine
// that receives from its channel lasts as long as that goroutine. One that
// runs until the process ends needs no Stop; one that can return must stop
// the registration when it does.
package signalgoroutine

import (
	"os"
	"os/signal"
	"syscall"
)

type Server struct {
	quit chan struct{}
}

func (s *Server) reload() {}

// The goroutine never returns: the registration lasts for the process.
func (s *Server) trapForever() {
	c := make(chan os.Signal, 1)
	signal.Notify(c, syscall.SIGHUP)
	go func() {
		for range c {
			s.reload()
		}
	}()
}

// The goroutine returns on quit and the registration outlives it: signals
// keep being swallowed into a channel nobody reads.
func (s *Server) handleSignals() {
	c := make(chan os.Signal, 1)
	signal.Notify(c, syscall.SIGHUP) // want `signal registration c from signal.Notify is never stopped: the goroutine started at line 35 uses it after handleSignals returns; stop it when that goroutine is done`
	go func() {
		for {
			select {
			case <-c:
				s.reload()
			case <-s.quit:
				return
			}
		}
	}()
}

// The goroutine stops the registration when it returns.
func (s *Server) handleSignalsStopping() {
	c := make(chan os.Signal, 1)
	signal.Notify(c, syscall.SIGHUP)
	go func() {
		defer signal.Stop(c)
		for {
			select {
			case <-c:
				s.reload()
			case <-s.quit:
				return
			}
		}
	}()
}
