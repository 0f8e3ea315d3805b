package resource

// The curated standard-library part of the table. Kinds are shared values so
// that checks can compare them by identity.
var (
	File       = &Kind{Name: "file", Methods: []string{"Close"}, Fix: ".Close()"}
	Body       = &Kind{Name: "response body", Methods: []string{"Close"}, Body: true, Fix: ".Body.Close()"}
	Rows       = &Kind{Name: "rows", Methods: []string{"Close"}, Fix: ".Close()"}
	Stmt       = &Kind{Name: "statement", Methods: []string{"Close"}, Fix: ".Close()"}
	SQLConn    = &Kind{Name: "database connection", Methods: []string{"Close"}, Fix: ".Close()"}
	Tx         = &Kind{Name: "transaction", Methods: []string{"Commit", "Rollback"}, Fix: ".Rollback()"}
	DB         = &Kind{Name: "database handle", Methods: []string{"Close"}, Fix: ".Close()"}
	NetConn    = &Kind{Name: "connection", Methods: []string{"Close"}, Fix: ".Close()"}
	Listener   = &Kind{Name: "listener", Methods: []string{"Close"}, Fix: ".Close()"}
	Ticker     = &Kind{Name: "ticker", Methods: []string{"Stop"}, Fix: ".Stop()", CollectedSince: "go1.23"}
	TickChan   = &Kind{Name: "tick channel", Unstoppable: true, CollectedSince: "go1.23"}
	Cancel     = &Kind{Name: "cancel function", Func: true, Fix: "()"}
	StopFunc   = &Kind{Name: "stop function", Func: true, Fix: "()"}
	TestServer = &Kind{Name: "test server", Methods: []string{"Close"}, Fix: ".Close()"}
	Signal     = &Kind{Name: "signal registration", ReleaseFunc: "os/signal.Stop", FixCall: "signal.Stop(%s)"}
	Process    = &Kind{Name: "started command", Methods: []string{"Wait"}, FieldRelease: &FieldRelease{Field: "Process", Method: "Wait"}}
	Client     = &Kind{Name: "client", Methods: []string{"Close"}, Fix: ".Close()"}
)

func newStdTable() *Table {
	t := &Table{funcs: map[funcKey]funcEntry{}}
	ty := func(k *Kind, ptr bool, pkg string, names ...string) {
		for _, n := range names {
			t.types = append(t.types, typeEntry{TypeSpec{Pkg: pkg, Name: n, Pointer: ptr}, k})
		}
	}
	ty(File, true, "os", "File")
	ty(Body, true, "net/http", "Response")
	ty(Rows, true, "database/sql", "Rows")
	ty(Stmt, true, "database/sql", "Stmt")
	ty(SQLConn, true, "database/sql", "Conn")
	ty(Tx, true, "database/sql", "Tx")
	ty(DB, true, "database/sql", "DB")
	ty(NetConn, false, "net", "Conn", "PacketConn")
	ty(NetConn, true, "net", "TCPConn", "UDPConn", "UnixConn", "IPConn")
	ty(NetConn, true, "crypto/tls", "Conn")
	ty(Listener, false, "net", "Listener")
	ty(Listener, true, "net", "TCPListener", "UnixListener")
	ty(Ticker, true, "time", "Ticker")
	ty(TestServer, true, "net/http/httptest", "Server")
	ty(Client, true, "net/rpc", "Client")
	ty(Client, true, "net/smtp", "Client")
	ty(File, true, "os", "Root")
	ty(File, true, "archive/zip", "ReadCloser")

	fn := func(key string, acqs ...Acquisition) {
		t.funcs[funcKey(key)] = funcEntry{acqs: acqs}
	}
	none := func(keys ...string) {
		for _, k := range keys {
			t.funcs[funcKey(k)] = funcEntry{none: true}
		}
	}
	res := func(k *Kind, i int) Acquisition { return Acquisition{Kind: k, Result: i, Arg: -1} }
	arg := func(k *Kind, i int) Acquisition { return Acquisition{Kind: k, Result: -1, Arg: i} }

	for _, f := range []string{"WithCancel", "WithTimeout", "WithDeadline", "WithCancelCause", "WithTimeoutCause", "WithDeadlineCause"} {
		fn("context."+f, res(Cancel, 1))
	}
	fn("os/signal.NotifyContext", res(StopFunc, 1))
	fn("iter.Pull", res(StopFunc, 1))
	fn("iter.Pull2", res(StopFunc, 1))
	fn("os/signal.Notify", arg(Signal, 0))
	fn("os/exec.Cmd.Start", arg(Process, 0))
	fn("time.NewTicker", res(Ticker, 0))
	fn("time.Tick", res(TickChan, 0))

	// Values whose Close is a no-op or that the callee keeps owning.
	none(
		"io.NopCloser",
		"io/ioutil.NopCloser",
		"net/http/httptest.ResponseRecorder.Result",
		"net/http.ResponseController.Hijack",
		"compress/gzip.NewReader",
		"compress/zlib.NewReader",
		"compress/flate.NewReader",
		"compress/lzw.NewReader",
		"compress/bzip2.NewReader",
		"os.NewFile",
		"context.AfterFunc",
		"time.NewTimer", "time.AfterFunc",
		"net/http.NewRequest", "net/http.NewRequestWithContext",
		"net/http/httptest.NewRequest", "net/http/httptest.NewRequestWithContext",
		"net/http/httptest.NewRecorder",
		"strings.NewReader", "bytes.NewReader", "bytes.NewBuffer", "bytes.NewBufferString",
		"bufio.NewReader", "bufio.NewWriter", "bufio.NewScanner", "bufio.NewReadWriter",
		"os/exec.Command", "os/exec.CommandContext",
		"runtime/trace.StartRegion", "runtime/trace.NewTask",
		"sync.NewCond",
		"log/slog.New", "log.New",
		// wrappers: the result is the argument's resource (see stdWrappers)
		"crypto/tls.Client", "crypto/tls.Server", "crypto/tls.NewListener",
		// views over a reader the caller owns: the response body reads
		// from it and holds nothing of its own
		"net/http.ReadResponse",
		// accessors returning a value the receiver owns
		"crypto/tls.Conn.NetConn",
		// in-memory conns: no descriptor, no goroutine; their Close only
		// wakes the other end
		"net.Pipe",
	)
	return t
}

// ownershipTakers lists standard-library functions that take ownership of
// (or release) an argument: passing a resource to them ends the caller's
// obligation. Keys are as KeyOf; values are argument indexes (receiver is 0
// for methods).
var ownershipTakers = map[string][]int{
	"crypto/tls.Client":                    {0},
	"crypto/tls.Server":                    {0},
	"net/http.Serve":                       {0},
	"net/http.ServeTLS":                    {0},
	"net/http.Server.Serve":                {1},
	"net/http.Server.ServeTLS":             {1},
	"net/http/httputil.NewServerConn":      {0},
	"net/http/httputil.NewClientConn":      {0},
	"net/http/httputil.NewProxyClientConn": {0},
	"net/textproto.NewConn":                {0},
	"net/smtp.NewClient":                   {0},
	"net/rpc.NewClient":                    {0},
	"net/rpc.ServeConn":                    {0},
	"net/rpc.Server.ServeConn":             {1},
	"net/rpc/jsonrpc.NewClient":            {0},
	"net/rpc/jsonrpc.ServeConn":            {0},
	"net/rpc.NewClientWithCodec":           {0},
	"net/rpc/jsonrpc.NewClientCodec":       {0},
	"net/rpc/jsonrpc.NewServerCodec":       {0},
	"net/rpc.ServeCodec":                   {0},
	"database/sql.OpenDB":                  {0},
	"os/signal.Stop":                       {0},
	"runtime.SetFinalizer":                 {0},
	"runtime.AddCleanup":                   {0},
	"testing.common.Cleanup":               {1},
	"testing.T.Cleanup":                    {1},
	"testing.B.Cleanup":                    {1},
	"testing.F.Cleanup":                    {1},
	"testing.TB.Cleanup":                   {1},
	"runtime/trace.Start":                  {0},
	"runtime/pprof.StartCPUProfile":        {0},
	"context.AfterFunc":                    {1},
	"time.AfterFunc":                       {1},
	"sync.OnceFunc":                        {0},
	"net/http.Server.RegisterOnShutdown":   {1},
	"os/exec.Cmd.Wait":                     {0},
	"net/http.MaxBytesReader":              {1},
}

// TakesOwnership reports whether the curated table says that the standard
// library function fn takes ownership of (or releases) argument i.
func TakesOwnership(key string, i int) bool {
	for _, j := range ownershipTakers[key] {
		if j == i {
			return true
		}
	}
	return false
}

// NeverClosed reports whether the channel that the standard-library
// function with table key key returns is never closed (time.Tick,
// time.After): ranging over it never ends.
func NeverClosed(key string) bool {
	switch key {
	case "time.Tick", "time.After":
		return true
	}
	return false
}
