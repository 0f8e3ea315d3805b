package cleanuphelper

import (
	"errors"
	"net"
	"testing"
)

// Stub keeps the listener it is given; its Stop closes it.
type Stub struct {
	Listener net.Listener
	Handler  func() error
}

func (s *Stub) Stop() { s.Listener.Close() }

// startStub keeps the listener in the stub it builds and registers the
// stub's release with the test itself: the listener is handed over.
func startStub(t *testing.T, lis net.Listener) *Stub {
	stub := &Stub{Listener: lis, Handler: func() error { return nil }}
	t.Cleanup(stub.Stop)
	return stub
}

// wrapStub only keeps the listener in the stub it returns: releasing
// the stub releases the listener, and the caller owes that.
func wrapStub(lis net.Listener) *Stub {
	return &Stub{Listener: lis}
}

func TestHandsListenerToStub(t *testing.T) {
	lis, err := net.Listen("tcp", "localhost:0")
	if err != nil {
		t.Fatal(err)
	}
	startStub(t, lis)
}

func TestDropsWrappingStub(t *testing.T) {
	lis, err := net.Listen("tcp", "localhost:0") // want `listener lis from net.Listen is never closed`
	if err != nil {
		t.Fatal(err)
	}
	wrapStub(lis)
}

func TestStopsWrappingStub(t *testing.T) {
	lis, err := net.Listen("tcp", "localhost:0")
	if err != nil {
		t.Fatal(err)
	}
	s := wrapStub(lis)
	defer s.Stop()
}

var errNotTCP = errors.New("not TCP")

// unwrapTCP returns a view of the conn it is given: the caller keeps it.
func unwrapTCP(c net.Conn) (*net.TCPConn, error) {
	if tc, ok := c.(*net.TCPConn); ok {
		return tc, nil
	}
	return nil, errNotTCP
}

func noDelay(c net.Conn) error {
	tc, err := unwrapTCP(c)
	if err != nil {
		return err
	}
	return tc.SetNoDelay(true)
}

func TestUnwrapsButNeverCloses(t *testing.T) {
	conn, err := net.Dial("tcp", "localhost:1") // want `connection conn from net.Dial is never closed`
	if err != nil {
		t.Fatal(err)
	}
	if err := noDelay(conn); err != nil {
		t.Fatal(err)
	}
}
