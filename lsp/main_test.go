package lsp

import (
	"os"
	"testing"
)

func TestMain(m *testing.M) {
	// The findings expected assume nginxls's default target, whatever
	// nginx this machine has.
	detectNginx = nil
	detectSystem = nil
	os.Unsetenv("NGINXLS_NGINX_VERSION")
	os.Setenv("NGINXLS_PLATFORM", "none") // for the servers the tests start as programs
	os.Exit(m.Run())
}
