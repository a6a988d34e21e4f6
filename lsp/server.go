package lsp

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/nginxls/nginxls/analysis"
	"github.com/nginxls/nginxls/analysis/rules"
	"github.com/nginxls/nginxls/analysis/workspace"
	"github.com/nginxls/nginxls/internal/detect"
)

// Version is reported to clients in serverInfo; the command sets it.
var Version = "devel"

// Server implements the protocol's Server interface; methods it does not
// implement answer "method not found".
type Server struct {
	protocol.UnimplementedServer

	ctx    context.Context // server lifetime: background work never uses a handler's ctx
	client protocol.Client
	log    *slog.Logger
	docs   *store
	diag   *diagnoser
	ws     *workspace.Workspace // the files, configurations and their analyses
	exit   chan int
	logs   chan string // window/logMessage to send, see tell

	mu          sync.Mutex // guards what initialize and configuration changes write
	caps        clientCaps
	settings    analysis.Settings
	initialized bool
	// initializing: an initialize request was received (and did not fail);
	// another is refused.
	initializing bool
	shutdown     bool
	mainConfig   string          // the main configuration set by the user, if any
	maxDiags     int             // the most diagnostics shown per file; 0: all
	folders      []string        // the workspace folders' paths
	wsErrMu      sync.Mutex      // guards the three below; held while publishing them
	said         map[string]bool // workspace errors already shown
	// projectDiags are the project files given a diagnostic for an error.
	projectDiags map[uri.URI]bool
	wsErrGen     int // moves on when the project errors shown are cleared

	release *time.Timer // returns freed memory to the system after closes

	incremental bool // false: NGINXLS_NO_INCREMENTAL, every analysis from nothing
}

// clientCaps are the client capabilities the server acts on.
type clientCaps struct {
	encoding        Encoding
	pull            bool // textDocument/diagnostic: the client pulls, we do not push
	refresh         bool // workspace/diagnostic/refresh
	configuration   bool // workspace/configuration
	versionedEdits  bool // workspaceEdit.documentChanges
	watch           bool // dynamic registration of didChangeWatchedFiles
	markdownHover   bool
	hierarchicalSym bool
}

func newServer(ctx context.Context, client protocol.Client, log *slog.Logger) *Server {
	s := &Server{ctx: ctx, client: client, log: log, docs: newStore(), exit: make(chan int, 1), logs: make(chan string, 16),
		settings: analysis.DefaultSettings(), maxDiags: defaultMaxDiagnostics}
	s.incremental = incrementalFromEnv()
	s.ws = workspace.New(workspace.Options{Analyzers: rules.All, DetectNginx: detectNginx, DetectSystem: detectSystem, Confine: true})
	s.diag = newDiagnoser(s)
	return s
}

func (s *Server) stop() { s.diag.stop() }

// tell shows the client a notification the server rejected, in
// window/logMessage: an edit ignored leaves the editor and the server with
// different texts, which the user should be able to find out. It never
// blocks the read loop: when messages pile up, they are only logged.
func (s *Server) tell(msg string) {
	select {
	case s.logs <- msg:
	default:
	}
}

// forwardLog sends what tell was given, until the server stops.
func (s *Server) forwardLog() {
	for {
		select {
		case <-s.ctx.Done():
			return
		case msg := <-s.logs:
			_ = s.client.LogMessage(s.ctx, &protocol.LogMessageParams{Type: protocol.MessageTypeError, Message: "nginxls: " + msg})
		}
	}
}

func (s *Server) snapshot() (clientCaps, analysis.Settings) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.caps, s.settings
}

// maxDiagnostics is the maxDiagnostics setting: the most diagnostics shown
// per file, 0 for all.
func (s *Server) maxDiagnostics() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.maxDiags
}

func (s *Server) Initialize(ctx context.Context, p *protocol.InitializeParams) (*protocol.InitializeResult, error) {
	caps := clientCaps{markdownHover: true}
	c := p.Capabilities
	if c.General != nil {
		for _, e := range c.General.PositionEncodings {
			if e == protocol.PositionEncodingKindUTF8 {
				caps.encoding = UTF8
			}
		}
	}
	if td := c.TextDocument; td != nil {
		caps.pull = td.Diagnostic != nil
		if td.Hover != nil && len(td.Hover.ContentFormat) > 0 {
			caps.markdownHover = false
			for _, f := range td.Hover.ContentFormat {
				if f == protocol.MarkupKindMarkdown {
					caps.markdownHover = true
				}
			}
		}
		if td.DocumentSymbol != nil && td.DocumentSymbol.HierarchicalDocumentSymbolSupport != nil {
			caps.hierarchicalSym = *td.DocumentSymbol.HierarchicalDocumentSymbolSupport
		}
	}
	if ws := c.Workspace; ws != nil {
		caps.configuration = ws.Configuration != nil && *ws.Configuration
		caps.refresh = ws.Diagnostics != nil && ws.Diagnostics.RefreshSupport != nil && *ws.Diagnostics.RefreshSupport
		caps.versionedEdits = ws.WorkspaceEdit != nil && ws.WorkspaceEdit.DocumentChanges != nil && *ws.WorkspaceEdit.DocumentChanges
		caps.watch = ws.DidChangeWatchedFiles != nil && ws.DidChangeWatchedFiles.DynamicRegistration != nil && *ws.DidChangeWatchedFiles.DynamicRegistration
	}
	es, err := parseSettings(p.InitializationOptions)
	if err != nil {
		s.badSettings(err)
	}
	s.mu.Lock()
	s.caps, s.settings, s.initialized = caps, analysis.DefaultSettings().With(es.values), true
	s.mainConfig, s.maxDiags = es.mainConfig, es.maxDiags
	s.folders = workspaceFolders(p)
	s.mu.Unlock()
	s.ws.SetRoots(s.folders)
	s.ws.SetOverrides(workspace.Overrides{SettingValues: es.values, Main: es.mainConfig})

	change := protocol.TextDocumentSyncKindIncremental
	res := &protocol.InitializeResult{
		Capabilities: protocol.ServerCapabilities{
			TextDocumentSync: &protocol.TextDocumentSyncOptions{
				OpenClose: ptr(true),
				Change:    &change,
				Save:      &protocol.SaveOptions{IncludeText: ptr(false)},
			},
			HoverProvider: protocol.Boolean(true),
			CodeActionProvider: &protocol.CodeActionOptions{
				CodeActionKinds: []protocol.CodeActionKind{protocol.CodeActionKindQuickFix, fixAllKind},
			},
			DocumentSymbolProvider: protocol.Boolean(true),
			DefinitionProvider:     protocol.Boolean(true),
			DocumentLinkProvider:   &protocol.DocumentLinkOptions{},
		},
		ServerInfo: protocol.ServerInfo{Name: "nginxls", Version: protocol.NewOptional(Version)},
	}
	if caps.encoding == UTF8 {
		res.Capabilities.PositionEncoding = protocol.PositionEncodingKindUTF8
	} else {
		res.Capabilities.PositionEncoding = protocol.PositionEncodingKindUTF16
	}
	if caps.pull {
		res.Capabilities.DiagnosticProvider = &protocol.DiagnosticOptions{Identifier: ptr("nginxls")}
	}
	return res, nil
}

func (s *Server) Initialized(ctx context.Context, p *protocol.InitializedParams) error {
	caps, _ := s.snapshot()
	// Requests to the client must not be made from the read loop.
	if caps.configuration {
		go s.fetchConfiguration()
	}
	if caps.watch {
		go s.watchFiles()
	}
	return nil
}

func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	s.shutdown = true
	s.mu.Unlock()
	return nil
}

func (s *Server) Exit(ctx context.Context) error {
	s.mu.Lock()
	code := 1
	if s.shutdown {
		code = 0
	}
	s.mu.Unlock()
	select {
	case s.exit <- code:
	default:
	}
	return nil
}

func (s *Server) DidChangeConfiguration(ctx context.Context, p *protocol.DidChangeConfigurationParams) error {
	caps, _ := s.snapshot()
	if caps.configuration {
		// Pull the current values: many clients send an empty change. A
		// server-to-client request must not be made from the read loop.
		go s.fetchConfiguration()
		return nil
	}
	es, err := parseSettings(p.Settings)
	if err != nil {
		s.badSettings(err)
	}
	s.useSettings(es) // the valid part applies even when some values are not
	return err
}

// fetchConfiguration asks the client for the "nginxls" section.
func (s *Server) fetchConfiguration() {
	res, err := s.client.Configuration(s.ctx, &protocol.ConfigurationParams{
		Items: []protocol.ConfigurationItem{{Section: ptr("nginxls")}},
	})
	if err != nil || len(res) == 0 || len(res[0]) == 0 || string(res[0]) == "null" {
		if err != nil {
			s.log.Warn("workspace/configuration", "err", err)
		}
		return
	}
	es, err := parseSettings(res[0])
	if err != nil {
		s.badSettings(err)
	}
	s.useSettings(es)
}

// useSettings makes the editor's settings the overrides of the project
// files' and analyses again.
func (s *Server) useSettings(es editorSettings) {
	s.mu.Lock()
	s.mainConfig, s.maxDiags = es.mainConfig, es.maxDiags
	s.mu.Unlock()
	s.ws.SetOverrides(workspace.Overrides{SettingValues: es.values, Main: es.mainConfig})
	s.applySettings(analysis.DefaultSettings().With(es.values))
}

// badSettings tells the user which settings were refused, in the words
// the command line and the project file use. A notification waits for no
// answer, and the protocol lets window/showMessage come even before the
// initialize result.
func (s *Server) badSettings(err error) {
	s.log.Warn("settings", "err", err)
	_ = s.client.ShowMessage(s.ctx, &protocol.ShowMessageParams{Type: protocol.MessageTypeWarning, Message: "nginxls: " + err.Error()})
}

func (s *Server) applySettings(settings analysis.Settings) {
	s.mu.Lock()
	s.settings = settings
	caps := s.caps
	s.mu.Unlock()
	s.diag.invalidate()
	s.diag.reassign()
	if caps.pull && caps.refresh {
		go func() { _ = s.client.DiagnosticRefresh(s.ctx) }()
	}
}

// detectNginx asks the nginx on the PATH for its version when neither the
// editor's settings nor the project file set one (a variable: tests pin
// the default).
var detectNginx = workspace.NginxOnPath

// detectSystem tells the platform and the OpenSSL nginx runs with, as the
// command line does.
var detectSystem = detect.OnThisMachine

// workspaceFolders are the paths of the client's workspace folders (or of
// its root URI, for older clients).
func workspaceFolders(p *protocol.InitializeParams) []string {
	var out []string
	if fs, ok := p.WorkspaceFolders.Get(); ok {
		for _, f := range fs {
			if u := f.URI; u.IsFile() {
				out = append(out, u.FsPath())
			}
		}
	}
	//lint:ignore SA1019 rootUri is what clients older than LSP 3.6 send
	if root := p.RootURI; len(out) == 0 && root != nil && root.IsFile() {
		out = append(out, root.FsPath())
	}
	return out
}

func ptr[T any](v T) *T { return &v }
