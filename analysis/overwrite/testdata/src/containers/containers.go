// Package containers holds map and slice entries holding resources that are
// deleted, replaced or cleared without release.
package containers

import (
	"io"
	"net"
	"os"
)

type Hub struct {
	conns map[string]net.Conn
	files []*os.File
	byID  map[int]*os.File
}

func (h *Hub) add(addr string) error {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return err
	}
	h.conns[addr] = c
	return nil
}

// Looked up, used, deleted without closing.
func (h *Hub) remove(addr string) {
	c := h.conns[addr]
	c.Write([]byte("bye"))
	delete(h.conns, addr) // want `delete removes h.conns\[addr\] while it may still hold a connection that is not released first`
}

// Known present, deleted.
func (h *Hub) forget(addr string) {
	if _, ok := h.conns[addr]; ok {
		delete(h.conns, addr) // want `delete removes h.conns\[addr\]`
	}
}

// Known non-nil, replaced.
func (h *Hub) redial(addr string) error {
	if h.conns[addr] != nil {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			return err
		}
		h.conns[addr] = c // want `h.conns\[addr\] is replaced while it may still hold a connection`
	}
	return nil
}

// Stored twice under the same key.
func (h *Hub) twice(addr string) {
	c1, err := net.Dial("tcp", addr)
	if err != nil {
		return
	}
	h.conns[addr] = c1
	c2, err := net.Dial("tcp", addr)
	if err != nil {
		return
	}
	h.conns[addr] = c2 // want `h.conns\[addr\] is replaced`
}

// Ranged over and deleted without closing.
func (h *Hub) drain() {
	for k := range h.conns {
		delete(h.conns, k) // want `delete removes h.conns\[k\]`
	}
}

// Reload: a fresh map replaces one full of open connections.
func (h *Hub) reload(addrs []string) {
	h.conns = make(map[string]net.Conn) // want `h.conns is cleared while it may still hold connections that are not released first`
	for _, a := range addrs {
		h.add(a)
	}
}

// Set to nil.
func (h *Hub) reset() {
	h.conns = nil // want `h.conns is cleared`
}

// clear() on a map of connections.
func (h *Hub) wipe() {
	clear(h.conns) // want `h.conns is cleared`
}

func (h *Hub) open(name string) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	h.files = append(h.files, f)
	return nil
}

// Resliced to empty.
func (h *Hub) truncate() {
	h.files = h.files[:0] // want `h.files is cleared while it may still hold files`
}

// Slice element overwritten after use.
func (h *Hub) reopen(i int, name string) error {
	h.files[i].Sync()
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	h.files[i] = f // want `h.files\[i\] is replaced while it may still hold a file`
	return nil
}

// Integer-keyed map, constant key stored twice in a loop.
func (h *Hub) loop(name string) {
	for i := 0; i < 2; i++ {
		f, err := os.Open(name)
		if err != nil {
			continue
		}
		h.byID[0] = f // want `h.byID\[0\] is replaced`
	}
}

// Package-level registry.
var registry = map[string]*os.File{}

func register(name string) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	registry[name] = f
	return nil
}

func unregister(name string) {
	if f, ok := registry[name]; ok && f != nil {
		delete(registry, name) // want `delete removes registry\[name\]`
	}
}

// Accepted connections kept by their address: the map owns them (writing
// a greeting to one does not hand it over), so a restart that makes a new
// map, or a stop that drops it, loses them.
type Server struct {
	conns map[string]net.Conn
}

func (s *Server) serve(l net.Listener) {
	s.conns = make(map[string]net.Conn) // want `s.conns is cleared`
	for {
		c, err := l.Accept()
		if err != nil {
			return
		}
		if _, err := c.Write([]byte("hello")); err != nil {
			c.Close()
			continue
		}
		s.conns[c.RemoteAddr().String()] = c
	}
}

func (s *Server) stop() {
	s.conns = nil // want `s.conns is cleared`
}

// Handed to a helper that only writes to it: still the map's.
type Hub2 struct {
	conns map[string]net.Conn
}

func greet(w io.Writer) { w.Write([]byte("hello")) }

func (h *Hub2) add(l net.Listener) {
	c, err := l.Accept()
	if err != nil {
		return
	}
	greet(c)
	h.conns["x"] = c
}

func (h *Hub2) reset() {
	h.conns = nil // want `h.conns is cleared`
}

// A slice element stored twice: the first file is lost.
func (h *Hub) twiceSlice(name string) {
	f1, err := os.Open(name)
	if err != nil {
		return
	}
	h.files[0] = f1
	f2, err := os.Open(name)
	if err != nil {
		return
	}
	h.files[0] = f2 // want `h.files\[0\] is replaced while it may still hold a file`
}
