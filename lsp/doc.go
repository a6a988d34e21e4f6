// Package lsp is nginxls's language server: the only package that speaks the
// Language Server Protocol. It keeps the open documents, maps byte offsets to
// protocol positions and translates the analysis engine's findings, hovers
// and fixes; it knows nothing about TLS itself.
//
// # From an edit to its diagnostics
//
//  1. Wire (serve.go, stream.go). The connection reads frames in order;
//     notifications run inline, one after the other, so every edit is
//     applied before the next message is read. Requests run on their own
//     goroutines.
//  2. Document store (sync.go, document.go). didOpen and didChange make a
//     new immutable snapshot of the document (text, version, and a
//     position mapper built on first use), store it, and hand its text to
//     the workspace as an overlay. Nothing ever changes a snapshot: work
//     on an older one never sees a torn text.
//  3. Scheduling (diagnostics.go). The document belongs to one or more
//     units: the configurations that include it (workspace.RootsOf,
//     decided once, off the read loop), or itself alone. Each unit has at
//     most one worker; an edit marks it dirty and cancels what it is
//     doing, and the worker starts over with the newest snapshots.
//  4. Workspace and engine (analysis/workspace). The worker asks the
//     workspace to analyse the unit: it loads the configuration from the
//     overlays and the disk, parsing again only the block an edit touched,
//     and checks it, taking the findings of unchanged servers from the
//     last analysis. These are the incremental paths; with
//     NGINXLS_NO_INCREMENTAL=1 the unit's state is dropped before every
//     analysis, which must publish the same diagnostics, only later. The
//     result names the snapshots it read.
//  5. Diagnostics. A result is published only while it is current: every
//     snapshot it read is still the newest and the settings have not
//     changed since. Under pubMu, the unit's findings replace what it said
//     of each file; a file's diagnostics are the union of what the units
//     including it say, each finding once, then limited to maxDiagnostics
//     by severity (limit.go). Only what is shown is translated to
//     protocol ranges, in the client's position encoding.
//  6. Publish. textDocument/publishDiagnostics goes through the connection,
//     with the document's version, one file at a time, in order. Clients
//     that pull (textDocument/diagnostic) get the same lists from the same
//     steps, computed on request.
//
// # Locks
//
// Taken in this order, never the other way:
//
//	diagnoser.pubMu → diagnoser.mu → store.mu
//	diagnoser.pubMu → Server.mu (snapshot, maxDiagnostics)
//	diagnoser.pubMu → the workspace's own locks (Held, Drop)
//	diagnoser.pubMu → the connection's writer (diagnostics)
//	Server.wsErrMu  → the connection's writer (project file errors)
//
// pubMu is held from the currency check of a result to its last publish,
// so an older result can never be published after a newer one.
// diagnoser.mu guards the jobs, results, unit assignments and what each
// unit said; it is never held while analysing, publishing or asking the
// workspace. Server.mu guards what initialize and configuration changes
// write, and is released before anything else is taken. store.mu guards
// the open documents and takes nothing. The workspace is called with no
// lock of this package held, except pubMu where shown.
package lsp
