module github.com/nginxls/nginxls

go 1.26

require (
	github.com/aymanbagabas/go-udiff v0.4.2
	github.com/pelletier/go-toml/v2 v2.4.3
	github.com/tufanbarisyildirim/gonginx v0.0.0-20260220081509-8e17ce617db3
	go.lsp.dev/jsonrpc2 v1.0.1
	go.lsp.dev/protocol v1.0.1
	go.lsp.dev/uri v1.0.1
	golang.org/x/sys v0.45.0
	golang.org/x/tools v0.45.0
)

require github.com/go-json-experiment/json v0.0.0-20260623181947-01eb4420fa68 // indirect
