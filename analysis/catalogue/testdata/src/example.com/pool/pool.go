package pool

// Conn is released by Release, not by Close.
type Conn struct{ n int }

// Release gives the connection back.
func (c *Conn) Release() { c.n = 0 }

// Pool hands out connections.
type Pool interface {
	Get() (*Conn, error)
}
