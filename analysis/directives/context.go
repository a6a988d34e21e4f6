package directives

import "strings"

// Context is a set of places in a configuration where a directive may
// appear. The bits mirror nginx's NGX_*_CONF context flags.
type Context uint32

const (
	Main           Context = 1 << iota // the top level
	Events                             // events { }
	HTTP                               // http { }
	Server                             // http { server { } }
	Location                           // location { }, also nested
	LocationIf                         // if { } in a location ("lif")
	ServerIf                           // if { } in a server ("sif")
	LimitExcept                        // limit_except { }
	Upstream                           // http { upstream { } }
	Stream                             // stream { }
	StreamServer                       // stream { server { } }
	StreamUpstream                     // stream { upstream { } }
	Mail                               // mail { }
	MailServer                         // mail { server { } }

	// Any is every context: include (NGX_ANY_CONF) may appear anywhere.
	Any Context = 1<<iota - 1
)

var contextNames = []struct {
	ctx  Context
	name string
}{
	{Main, "main"}, {Events, "events"}, {HTTP, "http"}, {Server, "server"},
	{Location, "location"}, {LocationIf, "lif"}, {ServerIf, "sif"},
	{LimitExcept, "limit_except"}, {Upstream, "upstream"}, {Stream, "stream"},
	{StreamServer, "stream_server"}, {StreamUpstream, "stream_upstream"},
	{Mail, "mail"}, {MailServer, "mail_server"},
}

// String names the contexts of the set, joined by '|' ("http|server"); the
// full set is "any".
func (c Context) String() string {
	if c == Any {
		return "any"
	}
	if c == 0 {
		return "none"
	}
	var parts []string
	for _, n := range contextNames {
		if c&n.ctx != 0 {
			parts = append(parts, n.name)
		}
	}
	return strings.Join(parts, "|")
}

// Words says where a set of contexts is, in words ("a server, a location
// or an if block in a location"), for messages and hover.
func (c Context) Words() string {
	if c == Any {
		return "any context"
	}
	if c == 0 {
		return "no context"
	}
	var out []string
	for _, n := range contextNames {
		if c&n.ctx != 0 {
			out = append(out, contextWords[n.ctx])
		}
	}
	if len(out) > 1 {
		return strings.Join(out[:len(out)-1], ", ") + " or " + out[len(out)-1]
	}
	return out[0]
}

var contextWords = map[Context]string{
	Main: "the main context", Events: "the events block", HTTP: "the http block",
	Server: "a server", Location: "a location", LocationIf: "an if block in a location",
	ServerIf: "an if block in a server", LimitExcept: "a limit_except block", Upstream: "an upstream",
	Stream: "the stream block", StreamServer: "a stream server", StreamUpstream: "a stream upstream",
	Mail: "the mail block", MailServer: "a mail server",
}

// ParseContext reads one context name as String writes it ("lif",
// "stream_server", "any").
func ParseContext(name string) (Context, bool) {
	if name == "any" {
		return Any, true
	}
	for _, n := range contextNames {
		if n.name == name {
			return n.ctx, true
		}
	}
	return 0, false
}

// BlockContext returns the context that the block of a directive opens,
// given the context the directive itself is in: server inside http is
// Server, inside stream StreamServer. It returns 0 for directives whose
// block holds no directives (see Directive.Opaque) or that open no block.
func BlockContext(name string, parent Context) Context {
	switch name {
	case "events":
		return Events
	case "http":
		return HTTP
	case "stream":
		return Stream
	case "mail":
		return Mail
	case "server":
		switch parent {
		case HTTP:
			return Server
		case Stream:
			return StreamServer
		case Mail:
			return MailServer
		}
	case "location":
		return Location
	case "if":
		switch parent {
		case Server:
			return ServerIf
		case Location:
			return LocationIf
		}
	case "limit_except":
		return LimitExcept
	case "upstream":
		switch parent {
		case HTTP:
			return Upstream
		case Stream:
			return StreamUpstream
		}
	}
	return 0
}

// Family returns the contexts of the module a context belongs to: every
// http context for an http one (server, location, if, upstream, ...), the
// stream ones for a stream one, the mail ones for a mail one, and main and
// events for those.
func Family(c Context) Context {
	for _, f := range []Context{
		HTTP | Server | Location | LocationIf | ServerIf | LimitExcept | Upstream,
		Stream | StreamServer | StreamUpstream,
		Mail | MailServer,
		Main | Events,
	} {
		if c&f != 0 {
			return f
		}
	}
	return 0
}
