package server

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"go.lsp.dev/jsonrpc2"
)

// stream is a jsonrpc2.Stream with LSP's header framing that survives bad
// input: a message whose body is not valid JSON-RPC is answered with a
// JSON-RPC error (parse error or invalid request) and reading continues
// with the next message, where jsonrpc2's own stream would close the
// connection. A bad frame (a Content-Length that is missing, malformed,
// too short, too long or above the limit) is answered once; the stream
// then resynchronises on the next Content-Length header.
type stream struct {
	conn  io.ReadWriteCloser
	in    *bufio.Reader
	wmu   sync.Mutex
	logf  func(format string, args ...any)
	limit int64
	// pending holds bytes read past the end of a bad frame, to be read
	// again before the connection.
	pending []byte
	// resync is set after a bad frame: everything up to the next
	// Content-Length header is skipped silently.
	resync bool
}

// DefaultMaxMessageBytes is the default limit on the body of one message.
const DefaultMaxMessageBytes = 256 << 20

// maxHeaderLine bounds the bytes kept of one header line.
const maxHeaderLine = 4096

func newStream(conn io.ReadWriteCloser, limit int64, logf func(string, ...any)) *stream {
	if limit <= 0 {
		limit = DefaultMaxMessageBytes
	}
	return &stream{conn: conn, in: bufio.NewReader(conn), logf: logf, limit: limit}
}

// Read implements jsonrpc2.Stream.
func (s *stream) Read(ctx context.Context) (jsonrpc2.Message, int64, error) {
	for {
		if err := ctx.Err(); err != nil {
			return nil, 0, err
		}
		data, n, err := s.readFrame()
		if err != nil {
			return nil, n, err
		}
		if data == nil {
			continue // bad frame, already reported
		}
		if !json.Valid(data) {
			// The body may be cut short by a wrong Content-Length,
			// or run into the next header: look for it from the
			// start of the body. (The decoder below would accept a
			// valid prefix and drop the rest.)
			s.unread(data)
			s.resync = true
			s.logf("malformed JSON-RPC message: the body is not valid JSON")
			s.writeError(-32700, "parse error: the message body is not valid JSON", idOf(data))
			continue
		}
		msg, err := jsonrpc2.DecodeMessage(data)
		if err == nil {
			return msg, n, nil
		}
		code, text := int64(-32600), "invalid request"
		s.logf("malformed JSON-RPC message (%s): %v", text, err)
		s.writeError(code, fmt.Sprintf("%s: %v", text, err), idOf(data))
	}
}

// unread puts data back in front of the unread input.
func (s *stream) unread(data []byte) {
	if len(data) == 0 {
		return
	}
	s.pending = append(bytes.Clone(data), s.pending...)
}

// readByte returns the next input byte.
func (s *stream) readByte() (byte, error) {
	if len(s.pending) > 0 {
		b := s.pending[0]
		s.pending = s.pending[1:]
		return b, nil
	}
	return s.in.ReadByte()
}

// readLine reads one line, without its line break, keeping only the last
// maxHeaderLine bytes of a longer one (the end is where a header follows
// junk).
func (s *stream) readLine() (line []byte, n int64, err error) {
	for {
		b, err := s.readByte()
		if err != nil {
			return line, n, err
		}
		n++
		if b == '\n' {
			return bytes.TrimSuffix(line, []byte("\r")), n, nil
		}
		line = append(line, b)
		if len(line) > 2*maxHeaderLine {
			line = append(line[:0], line[len(line)-maxHeaderLine:]...)
		}
	}
}

// contentLength finds a Content-Length header in a line: the last
// occurrence whose value is a decimal number ending the line. at is its
// offset in the line (0 for a well-formed header line).
func contentLength(line []byte) (length int64, at int, ok bool) {
	// ASCII case folding only: offsets in lower must be offsets in line.
	lower := make([]byte, len(line))
	for i, b := range line {
		if 'A' <= b && b <= 'Z' {
			b += 'a' - 'A'
		}
		lower[i] = b
	}
	for end := len(lower); ; {
		i := bytes.LastIndex(lower[:end], []byte("content-length:"))
		if i < 0 {
			return 0, 0, false
		}
		v := strings.TrimSpace(string(line[i+len("content-length:"):]))
		if l, err := strconv.ParseInt(v, 10, 64); err == nil && l >= 0 && v[0] != '+' {
			return l, i, true
		}
		end = i
	}
}

// readFrame reads one header block and body. It returns a nil body (and
// no error) after reporting a bad frame.
func (s *stream) readFrame() ([]byte, int64, error) {
	var total int64
	length := int64(-1)
	bad := ""
	sawHeader := false
	for {
		line, n, err := s.readLine()
		total += n
		if err != nil {
			return nil, total, fmt.Errorf("reading message header: %w", err)
		}
		if len(bytes.TrimSpace(line)) == 0 {
			if !sawHeader {
				continue // blank lines between messages or in skipped junk
			}
			break
		}
		if l, at, ok := contentLength(line); ok {
			if at > 0 && !s.resync {
				s.logf("junk before a message header: %q", truncate(line[:at]))
			}
			s.resync = false
			sawHeader = true
			length = l
			continue
		}
		if s.resync {
			continue
		}
		sawHeader = true
		name, _, ok := bytes.Cut(line, []byte(":"))
		switch {
		case !ok:
			bad = fmt.Sprintf("invalid header line %q", truncate(line))
		case strings.EqualFold(strings.TrimSpace(string(name)), "Content-Length"):
			bad = fmt.Sprintf("invalid Content-Length header %q", truncate(line))
		}
	}
	switch {
	case length < 0:
		if bad == "" {
			bad = "missing Content-Length header"
		}
	case length == 0:
		bad = "Content-Length is 0"
	case length > s.limit:
		bad = fmt.Sprintf("Content-Length %d exceeds the limit of %d bytes", length, s.limit)
	}
	if length <= 0 || length > s.limit {
		s.badFrame(bad, nil)
		return nil, total, nil
	}
	data, err := s.readBody(length)
	total += int64(len(data))
	if err != nil {
		return nil, total, fmt.Errorf("reading message body: %w", err)
	}
	if i := embeddedHeader(data); i >= 0 {
		// The declared length runs into the next message.
		s.unread(data[i:])
		data = bytes.TrimSpace(data[:i])
		if !json.Valid(data) {
			s.badFrame(fmt.Sprintf("Content-Length %d is longer than the message", length), idOf(data))
			return nil, total, nil
		}
	}
	if int64(len(data)) < length {
		s.logf("Content-Length %d is longer than the message (%d bytes)", length, len(data))
	}
	if bad != "" {
		// The next header may start inside what was read as the body.
		s.unread(data)
		s.badFrame(bad, idOf(data))
		return nil, total, nil
	}
	return data, total, nil
}

// readBody reads up to length bytes, growing the buffer as data arrives
// (a lying Content-Length reserves nothing). It stops early when what
// arrived already holds the start of the next message, or is a complete
// JSON value followed by nothing: a longer declared length is then wrong
// and waiting for the rest would hang the session.
func (s *stream) readBody(length int64) ([]byte, error) {
	var data []byte
	chunk := make([]byte, 32<<10)
	for int64(len(data)) < length {
		if len(s.pending) > 0 {
			n := min(int64(len(s.pending)), length-int64(len(data)))
			data = append(data, s.pending[:n]...)
			s.pending = s.pending[n:]
			continue
		}
		want := min(int64(len(chunk)), length-int64(len(data)))
		if b := int64(s.in.Buffered()); b > 0 {
			want = min(want, b)
		}
		n, err := s.in.Read(chunk[:want])
		data = append(data, chunk[:n]...)
		if err != nil {
			if embeddedHeader(data) >= 0 {
				// The input ended inside a body that holds the next
				// header (junk that looked like a header, or headers
				// nested in junk): the frames in it come next.
				return data, nil
			}
			return data, err
		}
		if int64(len(data)) < length && s.in.Buffered() == 0 && len(s.pending) == 0 {
			if embeddedHeader(data) >= 0 {
				return data, nil
			}
			if t := bytes.TrimSpace(data); len(t) > 0 && t[len(t)-1] == '}' && json.Valid(t) {
				return data, nil
			}
		}
	}
	return data, nil
}

// headerPattern matches a Content-Length header line; a JSON text cannot
// hold one (raw line breaks are not allowed in JSON strings).
var headerPattern = regexp.MustCompile(`(?i)content-length:[ \t]*[0-9]+\r?\n`)

// embeddedHeader returns the offset of a Content-Length header inside a
// body, or -1.
func embeddedHeader(data []byte) int {
	if loc := headerPattern.FindIndex(data); loc != nil {
		return loc[0]
	}
	return -1
}

// badFrame reports a framing error once and skips input up to the next
// header.
func (s *stream) badFrame(why string, id json.RawMessage) {
	s.logf("malformed message frame: %s; skipping to the next Content-Length header", why)
	s.writeError(-32700, "parse error: "+why, id)
	s.resync = true
}

func truncate(b []byte) string {
	if len(b) > 80 {
		return string(b[:80]) + "…"
	}
	return string(b)
}

// idOf extracts the id of a request that failed to decode, if any.
func idOf(data []byte) json.RawMessage {
	var probe struct {
		ID json.RawMessage `json:"id"`
	}
	if json.Unmarshal(data, &probe) != nil || len(probe.ID) == 0 {
		return nil
	}
	switch probe.ID[0] {
	case '"', '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		return probe.ID
	}
	return nil
}

func (s *stream) writeError(code int64, message string, id json.RawMessage) {
	if id == nil {
		id = json.RawMessage("null")
	}
	body, _ := json.Marshal(struct {
		JSONRPC string          `json:"jsonrpc"`
		ID      json.RawMessage `json:"id"`
		Error   struct {
			Code    int64  `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}{JSONRPC: "2.0", ID: id, Error: struct {
		Code    int64  `json:"code"`
		Message string `json:"message"`
	}{code, message}})
	s.writeRaw(body)
}

func (s *stream) writeRaw(body []byte) (int64, error) {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	n, err := fmt.Fprintf(s.conn, "Content-Length: %d\r\n\r\n%s", len(body), body)
	if err != nil {
		return int64(n), fmt.Errorf("writing message: %w", err)
	}
	return int64(n), nil
}

// Write implements jsonrpc2.Stream.
func (s *stream) Write(ctx context.Context, msg jsonrpc2.Message) (int64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	body, err := json.Marshal(msg)
	if err != nil {
		return 0, fmt.Errorf("marshaling message: %w", err)
	}
	return s.writeRaw(body)
}

// Close implements jsonrpc2.Stream.
func (s *stream) Close() error { return s.conn.Close() }
