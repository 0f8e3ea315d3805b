// Package fields holds fields and package variables overwritten while they
// still hold a resource.
package fields

import (
	"context"
	"extdep"
	"net"
	"os"
)

type Client struct {
	addr string
	conn net.Conn
}

// reconnect dials and stores; run calls it again while c.conn holds the
// previous connection.
func (c *Client) reconnect() error {
	conn, err := net.Dial("tcp", c.addr)
	if err != nil {
		return err
	}
	c.conn = conn // want `c.conn is overwritten while it may still hold a connection that is not released first`
	return nil
}

func (c *Client) run() {
	for {
		if err := c.reconnect(); err != nil {
			continue
		}
		buf := make([]byte, 10)
		c.conn.Read(buf)
	}
}

// A reconnect loop in one function.
func (c *Client) loop() {
	for i := 0; i < 3; i++ {
		var err error
		c.conn, err = net.Dial("tcp", c.addr) // want `c.conn is overwritten while it may still hold a connection`
		if err != nil {
			continue
		}
	}
}

// Redial after a failed write without closing.
func (c *Client) send(b []byte) error {
	if _, err := c.conn.Write(b); err != nil {
		conn, err := net.Dial("tcp", c.addr)
		if err != nil {
			return err
		}
		c.conn = conn // want `c.conn is overwritten while it may still hold a connection`
	}
	return nil
}

// Set to nil without closing.
func (c *Client) reset() {
	c.conn = nil // want `c.conn is set to nil while it may still hold a connection`
}

// Closed on one branch only.
func (c *Client) maybeClose(really bool) {
	if really {
		c.conn.Close()
	}
	c.conn = nil // want `c.conn is set to nil`
}

// Checked non-nil but not closed.
func (c *Client) swap() error {
	if c.conn != nil {
		conn, err := net.Dial("tcp", c.addr)
		if err != nil {
			return err
		}
		c.conn = conn // want `c.conn is overwritten`
	}
	return nil
}

type Server struct {
	cfgPath string
	cfg     *os.File
	cancel  context.CancelFunc
}

// Config reload: load is called on every SIGHUP.
func (s *Server) load() error {
	f, err := os.Open(s.cfgPath)
	if err != nil {
		return err
	}
	s.cfg = f // want `s.cfg is overwritten while it may still hold a file`
	return nil
}

func (s *Server) watch(reload <-chan struct{}) {
	for range reload {
		if err := s.load(); err != nil {
			return
		}
	}
}

// A context per reload whose predecessor is never cancelled.
func (s *Server) restart(parent context.Context) context.Context {
	for i := 0; i < 2; i++ {
		ctx, cancel := context.WithCancel(parent)
		s.cancel = cancel // want `s.cancel is overwritten while it may still hold a cancel function`
		_ = ctx
	}
	return parent
}

// Package variable: dialled twice.
var shared net.Conn

func connectTwice() error {
	var err error
	shared, err = net.Dial("tcp", "a:1")
	if err != nil {
		return err
	}
	shared, err = net.Dial("tcp", "b:1") // want `shared is overwritten while it may still hold a connection`
	return err
}

// A field of a value the function made, overwritten after a first dial.
type Pool struct{ conn net.Conn }

func NewPool() (*Pool, error) {
	p := &Pool{}
	c, err := net.Dial("tcp", "a:1")
	if err != nil {
		return nil, err
	}
	p.conn = c
	c2, err := net.Dial("tcp", "b:1")
	if err != nil {
		return nil, err // want `p is dropped on this error return while it holds a connection in p.conn`
	}
	p.conn = c2 // want `p.conn is overwritten`
	return p, nil
}

// Nested field.
type Outer struct{ inner struct{ conn net.Conn } }

func (o *Outer) open() {
	c, err := net.Dial("tcp", "a:1")
	if err != nil {
		return
	}
	o.inner.conn = c
}

func (o *Outer) drop() {
	o.inner.conn = nil // want `o.inner.conn is set to nil`
}

// A call of another package given the value read from the slot does not
// release it.
var cache *extdep.Cache

func startCache() { cache = extdep.NewCache() }

func dropCache() {
	extdep.Touch(cache)
	cache = nil // want `cache is set to nil while it may still hold a stopper`
}

// A callee of another package that gets the old value as an io.Writer
// cannot release it.
func (c *Client) flushAndDrop() {
	extdep.Flush(c.conn)
	c.conn = nil // want `c.conn is set to nil`
}

// A store whose Close is promoted from an embedded interface, reopened
// without closing the old one.
type Backend interface {
	Close() error
	Get(k string) string
}

type Lowlevel struct {
	Backend
	name string
}

type fileBackend struct{ f *os.File }

func (b *fileBackend) Close() error      { return b.f.Close() }
func (b *fileBackend) Get(string) string { return "" }

func OpenLowlevel(name string) (*Lowlevel, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	return &Lowlevel{Backend: &fileBackend{f}, name: name}, nil
}

type Store struct{ db *Lowlevel }

func (s *Store) open(name string) error {
	db, err := OpenLowlevel(name)
	if err != nil {
		return err
	}
	s.db = db
	return nil
}

func (s *Store) reopen(name string) error {
	s.db.Get("x")
	var err error
	s.db, err = OpenLowlevel(name) // want `s.db is overwritten while it may still hold`
	return err
}

// The guard field is reset to nil: its being nil says nothing of the slot
// filled with it.
type Queue struct {
	ctx    context.Context
	cancel context.CancelFunc
}

func (q *Queue) restart() {
	q.ctx, q.cancel = context.WithCancel(context.Background())
	q.ctx = nil
	if q.ctx == nil {
		q.ctx, q.cancel = context.WithCancel(context.Background()) // want `q.cancel is overwritten while it may still hold a cancel function`
	}
}

// The slot is also filled without its companion.
type Pair struct {
	ctx    context.Context
	cancel context.CancelFunc
}

func (p *Pair) restart() {
	_, p.cancel = context.WithCancel(context.Background())
	if p.ctx == nil {
		p.ctx, p.cancel = context.WithCancel(context.Background()) // want `p.cancel is overwritten while it may still hold a cancel function`
	}
}

// Streams opened as pipes or as a terminal (no stderr), as a session does.
type Session struct {
	stdin  *os.File
	stdout *os.File
	stderr *os.File
}

func (s *Session) pipes() error {
	var err error
	if _, s.stdin, err = os.Pipe(); err != nil {
		return err
	}
	if s.stdout, _, err = os.Pipe(); err != nil {
		return err
	}
	if s.stderr, _, err = os.Pipe(); err != nil {
		return err
	}
	return nil
}

// The nil store goes with stores of values that are not fresh: the
// function does not open the session, it rewires it.
func (s *Session) attach(in, out *os.File) {
	s.stdin = in
	s.stdout = out
	s.stderr = nil // want `s.stderr is set to nil while it may still hold a file`
}

// Opened as a terminal while the pipes opened before are held.
func (s *Session) terminal(name string) error {
	in, err := os.Create(name)
	if err != nil {
		return err
	}
	s.stdin = in // want `s.stdin is overwritten`

	s.stderr = nil // want `s.stderr is set to nil`
	return nil
}

func (s *Session) relaunch(name string) {
	if err := s.pipes(); err != nil {
		return
	}
	s.terminal(name)
}
