package perrequest

import (
	"context"
	"database/sql"
	"net"
	"net/http"
	"sync"
	"time"

	"custom/store"
	"google.golang.org/grpc"
)

var dsn = "postgres://localhost/app"

// ---- Reported (no fix: the arguments depend on the request or the loop) ----

func dsnFromRequest(w http.ResponseWriter, r *http.Request) {
	db, err := sql.Open("postgres", r.URL.Query().Get("dsn")) // want `database handle \(sql.Open\) built in an HTTP handler`
	if err != nil {
		return
	}
	defer db.Close()
	db.PingContext(r.Context())
}

type server struct{ addr string }

func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	conn, err := grpc.NewClient(s.addr) // want `gRPC client connection \(grpc.NewClient\) built in an HTTP handler`
	if err != nil {
		return
	}
	defer conn.Close()
}

func (s *server) dial(w http.ResponseWriter, r *http.Request) {
	conn, err := grpc.DialContext(r.Context(), s.addr) // want `grpc.DialContext`
	if err != nil {
		return
	}
	conn.Close()
}

func register(mux *http.ServeMux, timeout time.Duration) {
	mux.HandleFunc("/x", func(w http.ResponseWriter, r *http.Request) {
		c := &http.Client{Transport: &http.Transport{ResponseHeaderTimeout: timeout}} // want `HTTP client with its own Transport built in an HTTP handler`
		c.Get("http://example.com")
	})
}

func perTenant(w http.ResponseWriter, r *http.Request) {
	tenant := r.Header.Get("X-Tenant")
	tr := &http.Transport{ // want `HTTP transport \(http.Transport literal\) built in an HTTP handler`
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, network, tenant+addr)
		},
	}
	defer tr.CloseIdleConnections()
}

func cloned(w http.ResponseWriter, r *http.Request) {
	tr := http.DefaultTransport.(*http.Transport).Clone() // want `Transport.Clone`
	tr.MaxIdleConns = len(r.URL.Path)
	_ = tr
}

func inGoroutine(w http.ResponseWriter, r *http.Request) {
	addr := r.FormValue("addr")
	go func() {
		conn, err := grpc.Dial(addr) // want `grpc.Dial\) built in an HTTP handler`
		if err == nil {
			conn.Close()
		}
	}()
}

func perItem(urls []string) {
	for _, u := range urls {
		c := &http.Client{Transport: &http.Transport{}, Timeout: time.Second} // want `HTTP client with its own Transport built in a loop`
		c.Get(u)
	}
}

func perShardQuery(dsns []string) {
	for _, d := range dsns {
		db, err := sql.Open("postgres", d) // want `database handle \(sql.Open\) built in a loop`
		if err != nil {
			continue
		}
		db.Ping()
		db.Close()
	}
}

func retryLoop(addrs []string) {
	for i := 0; i < len(addrs); i++ {
		store.NewClient(addrs[i]).Close() // want `client \(custom/store.NewClient\) built in a loop`
	}
}

func factory(w http.ResponseWriter, r *http.Request) {
	var f store.Factory
	c, err := f.Open(r.URL.Path) // want `client \(custom/store.Factory.Open\)`
	if err == nil {
		c.Close()
	}
}

// ---- Must stay silent ----

// Built once at start-up.
var shared = &http.Client{Transport: &http.Transport{}}

func startup() (*sql.DB, error) {
	return sql.Open("postgres", dsn)
}

// A cheap client that shares a transport.
func cheapClient(w http.ResponseWriter, r *http.Request) {
	c := &http.Client{Transport: shared.Transport, Timeout: time.Second}
	c.Get("http://example.com")
	c2 := &http.Client{Timeout: time.Second}
	c2.Get("http://example.com")
}

// Lazy initialization into a package-level variable.
var (
	lazyDB  *sql.DB
	lazyMu  sync.Mutex
	lazyOne sync.Once
)

func lazyGlobal(w http.ResponseWriter, r *http.Request) {
	lazyMu.Lock()
	defer lazyMu.Unlock()
	if lazyDB == nil {
		lazyDB, _ = sql.Open("postgres", dsn)
	}
}

func onceDo(w http.ResponseWriter, r *http.Request) {
	lazyOne.Do(func() {
		db, _ := sql.Open("postgres", dsn)
		lazyDB = db
	})
}

var onceValues = sync.OnceValues(func() (*sql.DB, error) { return sql.Open("postgres", dsn) })

// A cache keyed by tenant: stored in a field map.
type pool struct {
	mu  sync.Mutex
	dbs map[string]*sql.DB
}

func (p *pool) handle(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	defer p.mu.Unlock()
	t := r.Header.Get("X-Tenant")
	if p.dbs[t] == nil {
		db, err := sql.Open("postgres", t)
		if err != nil {
			return
		}
		p.dbs[t] = db
	}
}

// One client per shard at start-up: the loop keeps every one.
func openShards(dsns []string) ([]*sql.DB, error) {
	var out []*sql.DB
	for _, d := range dsns {
		db, err := sql.Open("postgres", d)
		if err != nil {
			return nil, err
		}
		out = append(out, db)
	}
	return out, nil
}

type shard struct{ db *sql.DB }

func shardMap(dsns []string) map[string]shard {
	m := map[string]shard{}
	for _, d := range dsns {
		db, _ := sql.Open("postgres", d)
		m[d] = shard{db: db}
	}
	return m
}

// A retry loop that returns the first handle that works.
func firstWorking(dsns []string) *sql.DB {
	for _, d := range dsns {
		db, err := sql.Open("postgres", d)
		if err == nil && db.Ping() == nil {
			return db
		}
	}
	return nil
}

// The loop ranges over a slice built outside; the literal is stored into
// the struct that outlives the loop.
type svc struct{ clients []*http.Client }

func (s *svc) init(n int) {
	for i := 0; i < n; i++ {
		s.clients = append(s.clients, &http.Client{Transport: &http.Transport{}})
	}
}

// A handler-shaped function with three parameters is not a handler.
func notHandler(w http.ResponseWriter, r *http.Request, extra int) {
	db, _ := sql.Open("postgres", dsn)
	db.Close()
}

// Not configured: NewClient of another package is not heavyweight here.
func newRequest(w http.ResponseWriter, r *http.Request) {
	req, _ := http.NewRequest("GET", "http://example.com", nil)
	_ = req
}

// Suppressed with a reason.
func suppressed(w http.ResponseWriter, r *http.Request) {
	//lifecycle:ignore perrequest a one-off admin endpoint, called once a day
	db, _ := sql.Open("postgres", r.FormValue("dsn"))
	db.Close()
}
