// Package server is lifecycle-lsp's language server: thin handlers that
// translate LSP messages (go.lsp.dev/protocol types over go.lsp.dev/jsonrpc2)
// into operations on the session and engine of package cache, schedule
// analysis off the dispatch path, and publish diagnostics and code actions.
package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"sync"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
	"go.uber.org/zap"

	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/catalogue"
	"github.com/lifecycle-lsp/lifecycle-lsp/config"
	"github.com/lifecycle-lsp/lifecycle-lsp/server/cache"
	"github.com/lifecycle-lsp/lifecycle-lsp/server/settings"
)

// Options configure a Server.
type Options struct {
	// Build builds the checks; catalogue.Build when nil.
	Build settings.BuildFunc
	// Log receives log lines (in addition to window/logMessage); stderr
	// when nil.
	Log io.Writer
	// Exit is called on the exit notification with the exit code;
	// os.Exit when nil.
	Exit func(code int)
	// Version is reported in serverInfo.
	Version string
	// ResultCache, when set, opens the persistent result cache the
	// server keeps packages' results in between sessions (it is called
	// once, in the background).
	ResultCache cache.OpenStore
	// MaxMessageBytes limits the body of one incoming message;
	// DefaultMaxMessageBytes when 0. A larger message is refused (and
	// skipped) before anything is allocated for it.
	MaxMessageBytes int64
}

// Server is one language-server connection.
type Server struct {
	opts    Options
	conn    jsonrpc2.Conn
	client  protocol.Client
	stream  *stream
	logger  *log.Logger
	session *cache.Session
	engine  *cache.Engine

	mu          sync.Mutex
	state       serverState
	caps        protocol.ClientCapabilities
	initOptions json.RawMessage
	settings    settings.Settings
	// editorSettings are the client's settings alone, before the
	// project configuration file is laid beneath them.
	editorSettings settings.Settings
	settingsErr    string
	shownMessages  map[string]bool
	progressN      int
	// desynced maps an open document whose content the server lost
	// track of to the version of the last change received for it.
	desynced map[string]int32

	sched *scheduler
	diags *diagnostics
}

type serverState int

const (
	stateNew serverState = iota
	stateInitialized
	stateShutdown
)

// New returns a server speaking LSP over rwc.
func New(rwc io.ReadWriteCloser, opts Options) *Server {
	if opts.Build == nil {
		opts.Build = catalogue.Build
	}
	if opts.Log == nil {
		opts.Log = os.Stderr
	}
	if opts.Exit == nil {
		opts.Exit = os.Exit
	}
	s := &Server{
		opts:          opts,
		logger:        log.New(opts.Log, "lifecycle-lsp: ", log.LstdFlags|log.Lmicroseconds),
		session:       cache.NewSession(),
		engine:        cache.NewEngine(),
		shownMessages: map[string]bool{},
		desynced:      map[string]int32{},
	}
	s.stream = newStream(rwc, opts.MaxMessageBytes, s.logStderr)
	s.conn = jsonrpc2.NewConn(s.stream)
	s.client = protocol.ClientDispatcher(s.conn, zap.NewNop())
	s.diags = newDiagnostics(s)
	s.sched = newScheduler(s)
	if opts.ResultCache != nil {
		s.engine.UseStore(opts.ResultCache, s.logStderr)
	}
	return s
}

// Run serves until the connection closes or exit is received. It returns
// the exit code: 0 after shutdown, 1 otherwise.
func (s *Server) Run(ctx context.Context) int {
	s.conn.Go(ctx, cancelHandler(jsonrpc2.AsyncHandler(jsonrpc2.ReplyHandler(s.handle))))
	<-s.conn.Done()
	s.sched.stop()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.state == stateShutdown {
		return 0
	}
	return 1
}

func (s *Server) logStderr(format string, args ...any) {
	s.logger.Printf(format, args...)
}

// logf logs to stderr and to the client.
func (s *Server) logf(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	s.mu.Lock()
	ok := s.state == stateInitialized
	s.mu.Unlock()
	if ok {
		// Once the client listens, window/logMessage carries the log;
		// writing it to stderr too would show every line twice in
		// clients that capture stderr (VS Code's output channel).
		_ = s.client.LogMessage(context.Background(), &protocol.LogMessageParams{Type: protocol.MessageTypeLog, Message: msg})
		return
	}
	s.logger.Print(msg)
}

// showOnce shows a message to the user once per distinct text.
func (s *Server) showOnce(typ protocol.MessageType, msg string) {
	s.mu.Lock()
	if s.shownMessages[msg] {
		s.mu.Unlock()
		return
	}
	s.shownMessages[msg] = true
	s.mu.Unlock()
	s.logger.Print(msg)
	_ = s.client.ShowMessage(context.Background(), &protocol.ShowMessageParams{Type: typ, Message: msg})
}

// forgetShown allows messages not in keep to be shown again.
func (s *Server) forgetShown(keep map[string]bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for m := range s.shownMessages {
		if !keep[m] {
			delete(s.shownMessages, m)
		}
	}
}

// errRequest is returned for requests the server cannot accept in its state.
var (
	errNotInitialized = jsonrpc2.NewError(-32002, "server not initialized")
	errShutdown       = jsonrpc2.NewError(jsonrpc2.InvalidRequest, "server is shutting down")
)

func (s *Server) handle(ctx context.Context, reply jsonrpc2.Replier, req jsonrpc2.Request) error {
	_, isCall := req.(*jsonrpc2.Call)
	s.mu.Lock()
	state := s.state
	s.mu.Unlock()
	method := req.Method()
	switch {
	case method == protocol.MethodExit:
		code := 1
		if state == stateShutdown {
			code = 0
		}
		err := reply(ctx, nil, nil)
		s.sched.stop()
		s.opts.Exit(code)
		_ = s.conn.Close()
		return err
	case state == stateNew && method != protocol.MethodInitialize:
		if isCall {
			return reply(ctx, nil, errNotInitialized)
		}
		return reply(ctx, nil, nil)
	case state == stateShutdown:
		if isCall {
			return reply(ctx, nil, errShutdown)
		}
		return reply(ctx, nil, nil)
	}
	switch method {
	case protocol.MethodInitialize:
		if state != stateNew {
			return reply(ctx, nil, jsonrpc2.NewError(jsonrpc2.InvalidRequest, "initialize sent twice"))
		}
		var p protocol.InitializeParams
		if err := s.decode(req, &p); err != nil {
			return reply(ctx, nil, err)
		}
		return reply(ctx, s.initialize(&p), nil)
	case protocol.MethodInitialized:
		err := reply(ctx, nil, nil)
		go s.initialized()
		return err
	case protocol.MethodShutdown:
		s.mu.Lock()
		s.state = stateShutdown
		s.mu.Unlock()
		s.sched.stop()
		return reply(ctx, nil, nil)
	case protocol.MethodTextDocumentDidOpen:
		var p protocol.DidOpenTextDocumentParams
		if err := s.decode(req, &p); err != nil {
			return reply(ctx, nil, err)
		}
		s.didOpen(&p)
		return reply(ctx, nil, nil)
	case protocol.MethodTextDocumentDidChange:
		var p didChangeParams
		if err := s.decode(req, &p); err != nil {
			return reply(ctx, nil, err)
		}
		s.didChange(&p)
		return reply(ctx, nil, nil)
	case protocol.MethodTextDocumentDidSave:
		var p protocol.DidSaveTextDocumentParams
		if err := s.decode(req, &p); err != nil {
			return reply(ctx, nil, err)
		}
		s.didSave(&p)
		return reply(ctx, nil, nil)
	case protocol.MethodTextDocumentDidClose:
		var p protocol.DidCloseTextDocumentParams
		if err := s.decode(req, &p); err != nil {
			return reply(ctx, nil, err)
		}
		s.didClose(&p)
		return reply(ctx, nil, nil)
	case protocol.MethodWorkspaceDidChangeConfiguration:
		var p struct {
			Settings json.RawMessage `json:"settings"`
		}
		if err := s.decode(req, &p); err != nil {
			return reply(ctx, nil, err)
		}
		err := reply(ctx, nil, nil)
		go s.didChangeConfiguration(p.Settings)
		return err
	case protocol.MethodWorkspaceDidChangeWatchedFiles:
		var p protocol.DidChangeWatchedFilesParams
		if err := s.decode(req, &p); err != nil {
			return reply(ctx, nil, err)
		}
		s.didChangeWatchedFiles(&p)
		return reply(ctx, nil, nil)
	case protocol.MethodWorkspaceDidChangeWorkspaceFolders:
		var p protocol.DidChangeWorkspaceFoldersParams
		if err := s.decode(req, &p); err != nil {
			return reply(ctx, nil, err)
		}
		s.didChangeWorkspaceFolders(&p)
		return reply(ctx, nil, nil)
	case protocol.MethodTextDocumentCodeAction:
		var p protocol.CodeActionParams
		if err := s.decode(req, &p); err != nil {
			return reply(ctx, nil, err)
		}
		actions, err := s.codeAction(ctx, &p)
		return reply(ctx, actions, err)
	case methodCodeActionResolve:
		var a protocol.CodeAction
		if err := s.decode(req, &a); err != nil {
			return reply(ctx, nil, err)
		}
		resolved, err := s.resolveCodeAction(ctx, &a)
		return reply(ctx, resolved, err)
	case protocol.MethodWorkDoneProgressCancel:
		return reply(ctx, nil, nil)
	}
	if !isCall {
		// Unknown notifications ($/setTrace, …) are ignored.
		return reply(ctx, nil, nil)
	}
	return jsonrpc2.MethodNotFoundHandler(ctx, reply, req)
}

// decode decodes the params of req into v. A failure is returned as an
// InvalidParams error for a call; a notification has no reply to carry
// it, so the failure is logged and shown to the user instead.
func (s *Server) decode(req jsonrpc2.Request, v any) error {
	params := req.Params()
	if len(params) == 0 || string(params) == "null" {
		return nil
	}
	err := json.Unmarshal(params, v)
	if err == nil {
		return nil
	}
	if _, isCall := req.(*jsonrpc2.Call); !isCall {
		s.logf("ignored a %s notification with invalid params: %v", req.Method(), err)
		s.showOnce(protocol.MessageTypeWarning, fmt.Sprintf("lifecycle-lsp: ignored a %s notification the server could not decode (%v)", req.Method(), err))
	}
	return jsonrpc2.NewError(jsonrpc2.InvalidParams, fmt.Sprintf("invalid params of %s: %v", req.Method(), err))
}

// cancelHandler implements $/cancelRequest (numeric or string ids) and
// answers cancelled requests with RequestCancelled.
func cancelHandler(h jsonrpc2.Handler) jsonrpc2.Handler {
	inner, cancel := jsonrpc2.CancelHandler(h)
	return func(ctx context.Context, reply jsonrpc2.Replier, req jsonrpc2.Request) error {
		if req.Method() != protocol.MethodCancelRequest {
			return inner(ctx, func(rctx context.Context, result any, err error) error {
				if ctx.Err() != nil && err == nil {
					result, err = nil, protocol.ErrRequestCancelled
				}
				return reply(context.WithoutCancel(rctx), result, err)
			}, req)
		}
		var p struct {
			ID json.RawMessage `json:"id"`
		}
		if err := json.Unmarshal(req.Params(), &p); err == nil {
			var n int32
			var str string
			if json.Unmarshal(p.ID, &n) == nil {
				cancel(jsonrpc2.NewNumberID(n))
			} else if json.Unmarshal(p.ID, &str) == nil {
				cancel(jsonrpc2.NewStringID(str))
			}
		}
		return nil
	}
}

// initialize records the client's capabilities and folders.
func (s *Server) initialize(p *protocol.InitializeParams) *protocol.InitializeResult {
	var folders []string
	for _, f := range p.WorkspaceFolders {
		if path := uriToPath(protocol.DocumentURI(f.URI)); path != "" {
			folders = append(folders, path)
		}
	}
	if len(folders) == 0 && p.RootURI != "" {
		if path := uriToPath(p.RootURI); path != "" {
			folders = append(folders, path)
		}
	}
	if len(folders) == 0 && p.RootPath != "" {
		folders = append(folders, p.RootPath)
	}
	if len(folders) == 0 {
		if wd, err := os.Getwd(); err == nil {
			folders = append(folders, wd)
		}
	}
	s.session.SetFolders(folders)
	s.mu.Lock()
	s.caps = p.Capabilities
	s.state = stateInitialized
	if p.InitializationOptions != nil {
		s.initOptions, _ = json.Marshal(p.InitializationOptions)
	}
	s.mu.Unlock()
	if s.initOptions != nil {
		s.applySettings(s.initOptions)
	} else {
		s.applySettings(nil)
	}
	version := s.opts.Version
	if version == "" {
		version = "devel"
	}
	return &protocol.InitializeResult{
		Capabilities: protocol.ServerCapabilities{
			TextDocumentSync: protocol.TextDocumentSyncOptions{
				OpenClose: true,
				Change:    protocol.TextDocumentSyncKindIncremental,
				Save:      &protocol.SaveOptions{},
			},
			CodeActionProvider: protocol.CodeActionOptions{
				CodeActionKinds: []protocol.CodeActionKind{protocol.QuickFix, fixAllKind},
				ResolveProvider: true,
			},
			Workspace: &protocol.ServerCapabilitiesWorkspace{
				WorkspaceFolders: &protocol.ServerCapabilitiesWorkspaceFolders{Supported: true, ChangeNotifications: true},
			},
		},
		ServerInfo: &protocol.ServerInfo{Name: "lifecycle-lsp", Version: version},
	}
}

// initialized registers file watchers, fetches the configuration and
// starts the first analysis of the workspace.
func (s *Server) initialized() {
	s.mu.Lock()
	caps := s.caps
	s.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if w := caps.Workspace; w != nil && w.DidChangeWatchedFiles != nil && w.DidChangeWatchedFiles.DynamicRegistration {
		err := s.client.RegisterCapability(ctx, &protocol.RegistrationParams{Registrations: []protocol.Registration{{
			ID:     "lifecycle-watch-files",
			Method: protocol.MethodWorkspaceDidChangeWatchedFiles,
			RegisterOptions: protocol.DidChangeWatchedFilesRegistrationOptions{Watchers: []protocol.FileSystemWatcher{
				{GlobPattern: "**/*.go"},
				{GlobPattern: "**/go.mod"},
				{GlobPattern: "**/go.sum"},
				{GlobPattern: "**/go.work"},
				{GlobPattern: "**/" + config.FileName},
			}},
		}}})
		if err != nil {
			s.logf("registering file watchers: %v", err)
		}
	}
	s.fetchConfiguration(ctx)
	s.sched.kick(nil, 0)
}

// fetchConfiguration pulls the "lifecycle" section when the client
// supports workspace/configuration.
func (s *Server) fetchConfiguration(ctx context.Context) {
	s.mu.Lock()
	ok := s.caps.Workspace != nil && s.caps.Workspace.Configuration
	s.mu.Unlock()
	if !ok {
		return
	}
	var result []json.RawMessage
	_, err := s.conn.Call(ctx, protocol.MethodWorkspaceConfiguration, &protocol.ConfigurationParams{
		Items: []protocol.ConfigurationItem{{Section: settings.Section}},
	}, &result)
	if err != nil {
		s.logf("workspace/configuration: %v", err)
		return
	}
	if len(result) > 0 {
		s.applySettings(result[0])
	}
}

func (s *Server) didChangeConfiguration(raw json.RawMessage) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	s.mu.Lock()
	pull := s.caps.Workspace != nil && s.caps.Workspace.Configuration
	s.mu.Unlock()
	if pull {
		s.fetchConfiguration(ctx)
	} else {
		s.applySettings(raw)
	}
	s.sched.kick(nil, 0)
}

// applySettings parses and installs a configuration.
func (s *Server) applySettings(raw json.RawMessage) {
	st, err := settings.Parse(raw)
	if err != nil {
		s.showOnce(protocol.MessageTypeError, fmt.Sprintf("lifecycle-lsp: invalid configuration: %v", err))
		return
	}
	s.mu.Lock()
	s.editorSettings = st
	s.mu.Unlock()
	s.installSettings(st)
}

// installSettings lays editor settings over the project configuration file
// of the workspace (.lifecycle.yaml; a broken one is reported and left
// out) and installs them.
func (s *Server) installSettings(st settings.Settings) {
	if proj, err := settings.ProjectFor(s.session.Folders()); err != nil {
		s.showOnce(protocol.MessageTypeError, fmt.Sprintf("lifecycle-lsp: %v (the project configuration is not used until it is fixed)", err))
	} else {
		st = st.WithProject(proj)
	}
	analyzers, key, err := st.Analyzers(s.opts.Build)
	if err != nil {
		s.showOnce(protocol.MessageTypeError, fmt.Sprintf("lifecycle-lsp: invalid configuration: %v", err))
		return
	}
	s.mu.Lock()
	s.settings = st
	s.mu.Unlock()
	s.session.SetOptions(cache.Options{
		Analyzers:    analyzers,
		AnalyzersKey: key,
		BuildFlags:   st.BuildFlags,
		Env:          st.EnvList(),
		Tests:        st.TestsEnabled(),
	})
}

func (s *Server) currentSettings() settings.Settings {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.settings
}

func (s *Server) didChangeWatchedFiles(p *protocol.DidChangeWatchedFilesParams) {
	var changes []cache.FileChange
	reload := false
	for _, c := range p.Changes {
		if c == nil || c.URI == "" {
			s.logf("didChangeWatchedFiles: ignored an empty change")
			continue
		}
		path := uriToPath(protocol.DocumentURI(c.URI))
		if path == "" {
			s.logf("didChangeWatchedFiles: ignored the invalid URI %q", c.URI)
			continue
		}
		kind := cache.Changed
		switch c.Type {
		case protocol.FileChangeTypeCreated:
			kind = cache.Created
		case protocol.FileChangeTypeDeleted:
			kind = cache.Deleted
		}
		if filepath.Base(path) == config.FileName {
			reload = true
			continue
		}
		changes = append(changes, cache.FileChange{Path: path, Kind: kind})
	}
	if reload {
		s.mu.Lock()
		editor := s.editorSettings
		s.mu.Unlock()
		s.installSettings(editor)
	}
	s.session.FilesChanged(changes)
	s.sched.kick(nil, s.currentSettings().Delay())
}

func (s *Server) didChangeWorkspaceFolders(p *protocol.DidChangeWorkspaceFoldersParams) {
	removed := map[string]bool{}
	for _, f := range p.Event.Removed {
		if path := uriToPath(protocol.DocumentURI(f.URI)); path != "" {
			removed[path] = true
		}
	}
	var folders []string
	for _, f := range s.session.Folders() {
		if !removed[f] {
			folders = append(folders, f)
		}
	}
	for _, f := range p.Event.Added {
		if path := uriToPath(protocol.DocumentURI(f.URI)); path != "" {
			folders = append(folders, path)
		}
	}
	s.session.SetFolders(folders)
	s.sched.kick(nil, 0)
}

func uriToPath(u protocol.DocumentURI) string {
	defer func() { _ = recover() }()
	return uri.URI(u).Filename()
}

func pathToURI(p string) protocol.DocumentURI { return protocol.DocumentURI(uri.File(p)) }

// errStale is returned when a request refers to a document the server does
// not know.
var errStale = errors.New("document not open")
