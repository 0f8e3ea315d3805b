package server

import (
	"context"
	"fmt"
	"sync"
	"time"

	"go.lsp.dev/protocol"
)

// progress is one window/workDoneProgress report.
type progress struct {
	s     *Server
	token *protocol.ProgressToken

	mu   sync.Mutex
	last int
	done bool
}

// beginProgress starts a progress report, or returns nil when the client
// does not support window/workDoneProgress.
func (s *Server) beginProgress(title, message string) *progress {
	s.mu.Lock()
	ok := s.caps.Window != nil && s.caps.Window.WorkDoneProgress
	s.mu.Unlock()
	if !ok {
		return nil
	}
	s.mu.Lock()
	s.progressN++
	tok := protocol.NewProgressToken(fmt.Sprintf("lifecycle-%d", s.progressN))
	s.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s.client.WorkDoneProgressCreate(ctx, &protocol.WorkDoneProgressCreateParams{Token: *tok}); err != nil {
		s.logStderr("window/workDoneProgress/create: %v", err)
		return nil
	}
	p := &progress{s: s, token: tok, last: -1}
	_ = s.client.Progress(context.Background(), &protocol.ProgressParams{Token: *tok, Value: &protocol.WorkDoneProgressBegin{
		Kind: protocol.WorkDoneProgressKindBegin, Title: title, Message: message, Percentage: 0,
	}})
	return p
}

func (p *progress) report(done, total int) {
	if total == 0 {
		return
	}
	pct := done * 100 / total
	p.mu.Lock()
	if p.done || pct == p.last {
		p.mu.Unlock()
		return
	}
	p.last = pct
	p.mu.Unlock()
	_ = p.s.client.Progress(context.Background(), &protocol.ProgressParams{Token: *p.token, Value: &protocol.WorkDoneProgressReport{
		Kind: protocol.WorkDoneProgressKindReport, Message: fmt.Sprintf("%d/%d packages", done, total), Percentage: uint32(pct),
	}})
}

func (p *progress) end(message string) {
	p.mu.Lock()
	if p.done {
		p.mu.Unlock()
		return
	}
	p.done = true
	p.mu.Unlock()
	_ = p.s.client.Progress(context.Background(), &protocol.ProgressParams{Token: *p.token, Value: &protocol.WorkDoneProgressEnd{
		Kind: protocol.WorkDoneProgressKindEnd, Message: message,
	}})
}
