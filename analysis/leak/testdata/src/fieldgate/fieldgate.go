// Package fieldgate: a constructor that acquires only when a field of its
// configuration is set (if cfg.Dialer != nil { … }) returns a value
// holding nothing to a caller that leaves the field nil.
package fieldgate

import "net"

type Config struct {
	Dialer *net.Dialer
	Addr   string
	Name   string
}

type logger struct {
	conn net.Conn
	name string
}

func (l *logger) Close() error {
	if l.conn != nil {
		return l.conn.Close()
	}
	return nil
}

func newLogger(cfg Config) *logger {
	l := &logger{name: cfg.Name}
	if cfg.Dialer != nil {
		if c, err := cfg.Dialer.Dial("tcp", cfg.Addr); err == nil {
			l.conn = c
		}
	}
	return l
}

// upload clears the dialer: the logger holds nothing.
func upload(conf Config) string {
	conf.Dialer = nil
	lg := newLogger(conf)
	return lg.name
}

// A literal without a dialer: the same.
func uploadLiteral(name string) string {
	lg := newLogger(Config{Name: name})
	return lg.name
}

// The caller's configuration may hold a dialer.
func run(conf Config) string {
	lg := newLogger(conf) // want `closer lg from fieldgate.newLogger is never closed`
	return lg.name
}

func runDialer(d *net.Dialer) string {
	lg := newLogger(Config{Dialer: d, Name: "dial"}) // want `closer lg from fieldgate.newLogger is never closed`
	return lg.name
}

// The dialer is cleared, then set again on one path.
func runReset(conf Config, d *net.Dialer) string {
	conf.Dialer = nil
	if d != nil {
		conf.Dialer = d
	}
	lg := newLogger(conf) // want `closer lg from fieldgate.newLogger is never closed`
	return lg.name
}

// openLogger sets the field itself before it tests it: the gate says
// nothing about its caller's value.
func openLogger(cfg Config, d *net.Dialer) *logger {
	cfg.Dialer = d
	l := &logger{name: cfg.Name}
	if cfg.Dialer != nil {
		if c, err := cfg.Dialer.Dial("tcp", cfg.Addr); err == nil {
			l.conn = c
		}
	}
	return l
}

func runOpen(d *net.Dialer) string {
	lg := openLogger(Config{Name: "open"}, d) // want `closer lg from fieldgate.openLogger is never closed`
	return lg.name
}
