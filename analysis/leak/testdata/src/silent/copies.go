package silent

import (
	"net"
	"net/http"

	"helpers"
)

// stripBody returns a copy of r without its body: the copy owns nothing.
func stripBody(r *http.Response) *http.Response {
	c := *r
	c.Body = nil
	c.Request = nil
	return &c
}

func compareHeaders(c *http.Client, url string) (bool, error) {
	resp, err := c.Get(url)
	if err != nil {
		return false, err
	}
	defer resp.Body.Close()
	stripped := stripBody(resp)
	return stripped.StatusCode == http.StatusOK, nil
}

type wrappedListener struct {
	net.Listener
	done chan struct{}
}

type localServer struct {
	ln *wrappedListener
}

func (w *wrappedListener) serve() *localServer {
	return &localServer{ln: w}
}

func (s *localServer) teardown() { s.ln.Close() }

// The listener is handed to a wrapper whose server tears it down.
func listenWrapped() error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	ls := (&wrappedListener{Listener: ln}).serve()
	defer ls.teardown()
	return nil
}

// An in-memory constructor with a Close method owns nothing.
func inMemory() int {
	m := helpers.NewMemFile([]byte("abc"))
	buf := make([]byte, 3)
	n, _ := m.Read(buf)
	return n
}
