package workspace

import (
	"os"
	"testing"
)

func TestMain(m *testing.M) {
	// The findings expected assume nginxls's default target, whatever the
	// environment says.
	os.Unsetenv("NGINXLS_NGINX_VERSION")
	os.Exit(m.Run())
}
