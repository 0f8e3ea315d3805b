package server

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"

	"go.lsp.dev/jsonrpc2"
)

// stream is a jsonrpc2.Stream with LSP's header framing that survives bad
// input: a message whose body is not valid JSON-RPC is answered with a
// JSON-RPC error (parse error or invalid request) and reading continues
// with the next message, where jsonrpc2's own stream would close the
// connection.
type stream struct {
	conn io.ReadWriteCloser
	in   *bufio.Reader
	wmu  sync.Mutex
	logf func(format string, args ...any)
}

func newStream(conn io.ReadWriteCloser, logf func(string, ...any)) *stream {
	return &stream{conn: conn, in: bufio.NewReader(conn), logf: logf}
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
			continue // bad header, already reported
		}
		msg, err := jsonrpc2.DecodeMessage(data)
		if err == nil {
			return msg, n, nil
		}
		code, text := int64(-32700), "parse error"
		if json.Valid(data) {
			code, text = -32600, "invalid request"
		}
		s.logf("malformed JSON-RPC message (%s): %v", text, err)
		s.writeError(code, fmt.Sprintf("%s: %v", text, err), idOf(data))
	}
}

// readFrame reads one header block and body. It returns a nil body (and
// no error) after reporting a recoverable framing error.
func (s *stream) readFrame() ([]byte, int64, error) {
	var total, length int64 = 0, -1
	bad := ""
	for {
		line, err := s.in.ReadString('\n')
		total += int64(len(line))
		if err != nil {
			return nil, total, fmt.Errorf("reading message header: %w", err)
		}
		line = strings.TrimSpace(line)
		if line == "" {
			if length < 0 && bad == "" && total <= 2 {
				continue // stray blank line between messages
			}
			break
		}
		name, value, ok := strings.Cut(line, ":")
		if !ok {
			bad = fmt.Sprintf("invalid header line %q", line)
			continue
		}
		if strings.EqualFold(strings.TrimSpace(name), "Content-Length") {
			l, err := strconv.ParseInt(strings.TrimSpace(value), 10, 32)
			if err != nil || l <= 0 {
				bad = fmt.Sprintf("invalid Content-Length %q", value)
				continue
			}
			length = l
		}
	}
	if length < 0 {
		if bad == "" {
			bad = "missing Content-Length header"
		}
		s.logf("malformed message header: %s", bad)
		s.writeError(-32700, "parse error: "+bad, nil)
		return nil, total, nil
	}
	data := make([]byte, length)
	if _, err := io.ReadFull(s.in, data); err != nil {
		return nil, total, fmt.Errorf("reading message body: %w", err)
	}
	return data, total + length, nil
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
