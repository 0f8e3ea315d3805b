// Package mapsok holds map and slice updates that release the old entry or
// whose entry is not known to exist.
package mapsok

import (
	"net"
	"os"
)

type Hub struct {
	conns map[string]net.Conn
	files []*os.File
	names map[string]string
}

func (h *Hub) add(addr string) error {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return err
	}
	h.conns[addr] = c
	return nil
}

// Closed, then deleted.
func (h *Hub) remove(addr string) {
	if c, ok := h.conns[addr]; ok {
		c.Close()
		delete(h.conns, addr)
	}
}

// Deleted, then closed.
func (h *Hub) take(addr string) {
	c := h.conns[addr]
	delete(h.conns, addr)
	if c != nil {
		c.Close()
	}
}

// Handed to the caller.
func (h *Hub) detach(addr string) net.Conn {
	c := h.conns[addr]
	delete(h.conns, addr)
	return c
}

// Blind delete: nothing says the entry is there (its owner may have
// closed it and unregisters itself).
func (h *Hub) unregister(addr string) {
	delete(h.conns, addr)
}

// Only added when absent.
func (h *Hub) ensure(addr string) error {
	if _, ok := h.conns[addr]; !ok {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			return err
		}
		h.conns[addr] = c
	}
	return nil
}

// Every entry closed before the map is dropped.
func (h *Hub) Close() {
	for _, c := range h.conns {
		c.Close()
	}
	h.conns = nil
}

// Closed and deleted in one range loop.
func (h *Hub) drain() {
	for k, c := range h.conns {
		c.Close()
		delete(h.conns, k)
	}
}

func (h *Hub) open(name string) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	h.files = append(h.files, f)
	return nil
}

// Slice closed then truncated.
func (h *Hub) closeFiles() {
	for _, f := range h.files {
		f.Close()
	}
	h.files = h.files[:0]
}

// Filtered in place: the kept entries stay owned.
func (h *Hub) prune(keep func(*os.File) bool) {
	out := h.files[:0]
	for _, f := range h.files {
		if keep(f) {
			out = append(out, f)
		} else {
			f.Close()
		}
	}
	h.files = out
}

// Not a resource map.
func (h *Hub) rename(k, v string) {
	h.names[k] = v
	delete(h.names, k)
	h.names = nil
}

// A fresh map each loop iteration of a constructor.
func build(addrs []string) []*Hub {
	var out []*Hub
	for _, a := range addrs {
		h := &Hub{conns: map[string]net.Conn{}}
		c, err := net.Dial("tcp", a)
		if err != nil {
			continue
		}
		h.conns[a] = c
		out = append(out, h)
	}
	return out
}

// Different keys in a loop.
func (h *Hub) addAll(addrs []string) {
	for _, a := range addrs {
		c, err := net.Dial("tcp", a)
		if err != nil {
			continue
		}
		h.conns[a] = c
	}
}

// The old entry is closed through a guard on a lookup.
func (h *Hub) redial(addr string) error {
	if h.conns[addr] != nil {
		h.conns[addr].Close()
	}
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return err
	}
	h.conns[addr] = c
	return nil
}

// A map of raw connections keyed by the transports that own them: each
// connection is handed to its transport before it is stored, so the map
// only borrows it, and closing the transports closes the connections.
type Transport struct{ c net.Conn }

func NewTransport(c net.Conn) (*Transport, error) {
	if _, err := c.Write([]byte("hello")); err != nil {
		c.Close()
		return nil, err
	}
	return &Transport{c: c}, nil
}

func (t *Transport) Close() error { return t.c.Close() }

type Server struct {
	conns map[*Transport]net.Conn
}

func (s *Server) serve(l net.Listener) {
	s.conns = make(map[*Transport]net.Conn)
	for {
		c, err := l.Accept()
		if err != nil {
			return
		}
		t, err := NewTransport(c)
		if err != nil {
			return
		}
		s.conns[t] = c
	}
}

func (s *Server) stop() {
	for t := range s.conns {
		t.Close()
	}
	s.conns = nil
}

// A map that owns some entries and borrows others: an entry handed to its
// transport is a copy, and replacing it loses nothing.
type Mixed struct {
	conns      map[string]net.Conn
	transports []*Transport
}

func (m *Mixed) own(addr string) {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return
	}
	m.conns[addr] = c
}

func (m *Mixed) borrow(l net.Listener) {
	for {
		c, err := l.Accept()
		if err != nil {
			return
		}
		t, err := NewTransport(c)
		if err != nil {
			return
		}
		m.transports = append(m.transports, t)
		m.conns["last"] = c
	}
}
