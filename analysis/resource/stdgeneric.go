package resource

// The generic Close/Stop rule is too eager for the standard library: many
// std constructors return values whose Close only flushes buffered data
// (compress, archive, encoding writers), is a no-op (embed.FS files), or is
// not a release at all (reflect.Value.Close closes a channel). For standard
// library callees the generic rule therefore applies only to the functions
// listed here, which return values holding an operating-system resource.
var stdGenericOwned = map[string]bool{
	"debug/elf.Open":                   true,
	"debug/pe.Open":                    true,
	"debug/macho.Open":                 true,
	"debug/macho.OpenFat":              true,
	"debug/plan9obj.Open":              true,
	"log/syslog.New":                   true,
	"log/syslog.Dial":                  true,
	"net/textproto.Dial":               true,
	"net/http.Transport.NewClientConn": true,
}

// StdGenericOwned reports whether the generic Close/Stop rule applies to the
// standard-library function with table key key.
func StdGenericOwned(key string) bool { return stdGenericOwned[key] }

// stdWrappers are standard-library functions whose result wraps an argument
// and releases it when released: the result is the same resource, not a new
// one (closing either releases the underlying connection).
var stdWrappers = map[string]int{
	"crypto/tls.Client":      0,
	"crypto/tls.Server":      0,
	"crypto/tls.NewListener": 0,
}

// WrappedArg returns the index of the argument that the standard-library
// function with table key key wraps in its result.
func WrappedArg(key string) (int, bool) {
	i, ok := stdWrappers[key]
	return i, ok
}

// stdReleaseMethods are standard-library methods other than a kind's own
// release methods that release what their receiver holds.
var stdReleaseMethods = map[string]bool{
	"net/http.Server.Close":          true,
	"net/http.Server.Shutdown":       true,
	"net/http/httptest.Server.Close": true,
	"net/rpc.Client.Close":           true,
	"os/exec.Cmd.Wait":               true,
}

// StdReleaseMethod reports whether the standard-library method with table
// key key releases what its receiver holds.
func StdReleaseMethod(key string) bool { return stdReleaseMethods[key] }

// stdNeverFails are standard-library functions whose error result is
// always nil, with the Go version since which that holds: crypto/rand.Read
// crashes the program instead of failing (Go 1.24), and the in-memory
// writers document that their error is always nil.
var stdNeverFails = map[string]string{
	"crypto/rand.Read":              "go1.24",
	"bytes.Buffer.Write":            "go1",
	"bytes.Buffer.WriteString":      "go1",
	"bytes.Buffer.WriteByte":        "go1",
	"bytes.Buffer.WriteRune":        "go1",
	"strings.Builder.Write":         "go1",
	"strings.Builder.WriteString":   "go1",
	"strings.Builder.WriteByte":     "go1",
	"strings.Builder.WriteRune":     "go1",
	"hash/maphash.Hash.Write":       "go1",
	"hash/maphash.Hash.WriteString": "go1",
	"hash/maphash.Hash.WriteByte":   "go1",
}

// StdNeverFails returns the Go version since which the standard-library
// function with table key key always returns a nil error, or "".
func StdNeverFails(key string) string { return stdNeverFails[key] }
