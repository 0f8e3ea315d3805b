// Package fieldsok holds field assignments that release or hand over the
// old value, or whose old value is nil.
package fieldsok

import (
	"bufio"
	"context"
	"crypto/tls"
	"net"
	"os"
	"sync"
)

type Client struct {
	addr string
	conn net.Conn
	name string
	r    *bufio.Reader
}

// A constructor: the first assignment to a field of a value it made.
func New(addr string) (*Client, error) {
	c := &Client{addr: addr}
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	c.conn = conn
	c.r = bufio.NewReader(conn)
	return c, nil
}

// Unknown previous state: only called from the constructor-like Start.
func (c *Client) connect() error {
	conn, err := net.Dial("tcp", c.addr)
	if err != nil {
		return err
	}
	c.conn = conn
	return nil
}

func Start(addr string) (*Client, error) {
	c := &Client{addr: addr}
	if err := c.connect(); err != nil {
		return nil, err
	}
	return c, nil
}

// Closed first, guarded.
func (c *Client) reconnect() error {
	if c.conn != nil {
		c.conn.Close()
	}
	conn, err := net.Dial("tcp", c.addr)
	if err != nil {
		return err
	}
	c.conn = conn
	return nil
}

// Closed first, unconditionally.
func (c *Client) redial() error {
	c.conn.Close()
	var err error
	c.conn, err = net.Dial("tcp", c.addr)
	return err
}

// Only dialled when nil.
func (c *Client) ensure() error {
	if c.conn == nil {
		conn, err := net.Dial("tcp", c.addr)
		if err != nil {
			return err
		}
		c.conn = conn
	}
	return nil
}

// Swapped out and closed after.
func (c *Client) replace(n net.Conn) {
	old := c.conn
	c.conn = n
	if old != nil {
		old.Close()
	}
}

// Handed to the caller.
func (c *Client) Detach() net.Conn {
	conn := c.conn
	c.conn = nil
	return conn
}

// Closed then cleared.
func (c *Client) Close() error {
	err := c.conn.Close()
	c.conn = nil
	return err
}

// Deferred close of the old value, taken when the defer runs.
func (c *Client) rotate() error {
	defer c.conn.Close()
	conn, err := net.Dial("tcp", c.addr)
	if err != nil {
		return err
	}
	c.conn = conn
	return nil
}

// Wrapped: the new value owns the old one.
func (c *Client) upgrade(cfg *tls.Config) {
	c.conn = tls.Client(c.conn, cfg)
}

// Released by a method of the package.
func (c *Client) shutdown() {
	if c.conn != nil {
		c.conn.Close()
	}
}

func (c *Client) restart() error {
	c.shutdown()
	conn, err := net.Dial("tcp", c.addr)
	if err != nil {
		return err
	}
	c.conn = conn
	return nil
}

// A loop that closes before redialling.
func (c *Client) loop() {
	for i := 0; i < 3; i++ {
		conn, err := net.Dial("tcp", c.addr)
		if err != nil {
			continue
		}
		c.conn = conn
		c.conn.Write([]byte("x"))
		c.conn.Close()
	}
}

// Not a resource field.
func (c *Client) rename(n string) {
	c.name = n
	c.name = ""
}

// A field that only ever holds borrowed values (nothing of the package
// stores an acquisition into it).
type View struct{ f *os.File }

func (v *View) set(f *os.File) { v.f = f }
func (v *View) clear()         { v.f = nil }

// Released under another name on this path.
func (c *Client) drop(conn net.Conn) {
	conn.Close()
	c.conn = nil
}

// The stored acquisition failed: the field holds nil on that path.
func (c *Client) tryDial() error {
	var err error
	c.conn, err = net.Dial("tcp", c.addr)
	if err != nil {
		c.conn = nil
		return err
	}
	return nil
}

// A new value per loop iteration.
func dialAll(addrs []string) []*Client {
	var out []*Client
	for _, a := range addrs {
		c := &Client{addr: a}
		conn, err := net.Dial("tcp", a)
		if err != nil {
			continue
		}
		c.conn = conn
		out = append(out, c)
	}
	return out
}

// Each accepted connection is also handed to a goroutine that closes it:
// the field only keeps the latest one for inspection.
type Acceptor struct {
	ln   net.Listener
	last net.Conn
}

func (a *Acceptor) loop() {
	for {
		c, err := a.ln.Accept()
		if err != nil {
			return
		}
		a.last = c
		go serve(c)
	}
}

func serve(c net.Conn) {
	defer c.Close()
	c.Write([]byte("hi"))
}

// A flag keeps the callee from storing when the caller's slot is set.
type Identity struct{ conn net.Conn }

var identity *Identity

func (id *Identity) config(makeConn bool) {
	if makeConn {
		c, err := net.Dial("tcp", "a:1")
		if err != nil {
			return
		}
		id.conn = c
	}
}

func (id *Identity) manage() {
	if id.conn != nil {
		id.conn.Close()
	}
	id.config(true)
}

func (id *Identity) remote() {
	if id.conn == nil {
		return
	}
	id.config(false)
}

// Released in a closure run by sync.Once or called in place.
type Once struct {
	once sync.Once
	conn net.Conn
}

func (o *Once) open() {
	c, err := net.Dial("tcp", "a:1")
	if err != nil {
		return
	}
	o.conn = c
}

func (o *Once) Close() {
	o.once.Do(func() { o.conn.Close() })
	o.conn = nil
}

func (o *Once) reset() {
	func() {
		if o.conn != nil {
			o.conn.Close()
		}
	}()
	o.conn = nil
}

// Closed with the mutex held and an early return when empty.
func (o *Once) shut() error {
	if o.conn == nil {
		return nil
	}
	err := o.conn.Close()
	o.conn = nil
	return err
}

// A store whose Close is promoted from an embedded interface.
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

// Closed through the promoted Close right before the overwrite.
func (s *Store) reopen(name string) error {
	s.db.Close()
	var err error
	s.db, err = OpenLowlevel(name)
	return err
}

// Fields set together: where ctx is nil, cancel and icon were never set.
type Queue struct {
	ctx    context.Context
	cancel context.CancelFunc
	icon   *os.File
}

func (q *Queue) init() {
	if q.ctx == nil {
		q.ctx, q.cancel = context.WithCancel(context.Background())
	}
}

func (q *Queue) setup(name string) {
	if q.ctx != nil {
		return
	}
	q.icon, _ = os.Create(name)
	q.ctx, q.cancel = context.WithCancel(context.Background())
}

func (q *Queue) Close() {
	if q.cancel != nil {
		q.cancel()
	}
	if q.icon != nil {
		q.icon.Close()
	}
}

// Set up twice: the second call returns at the guard.
func (q *Queue) run(name string) {
	q.setup(name)
	q.setup(name)
	q.init()
	q.init()
}

// A session opens its streams either as three pipes or as one terminal that
// has no separate stderr: the nil store is part of the same opening as the
// terminal's stores, whose old values are unknown too.
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

func (s *Session) launch(terminal bool, name string) error {
	if !terminal {
		return s.pipes()
	}
	in, err := os.Create(name)
	if err != nil {
		return err
	}
	s.stdin = in
	s.stdout = os.NewFile(in.Fd(), name)
	s.stderr = nil // not available for a terminal
	return nil
}

func (s *Session) Close() {
	for _, f := range []*os.File{s.stdin, s.stdout, s.stderr} {
		if f != nil {
			f.Close()
		}
	}
}
