package awslive

import (
	"os"
	"testing"

	"github.com/vpclint/vpclint/loader/awslive/mototest"
)

// moto is the moto_server shared by the package's tests: it starts on
// first use and TestMain stops it.
var moto mototest.Server

func TestMain(m *testing.M) {
	code := m.Run()
	moto.Close()
	os.Exit(code)
}

// requireMoto returns the URL of the running moto_server, or skips the
// test (fails it when CI is set) when moto_server is not installed.
func requireMoto(tb testing.TB) string { tb.Helper(); return moto.URL(tb) }

// fakeEnv sets static fake credentials and keeps the user's AWS files out.
func fakeEnv(tb testing.TB) { tb.Helper(); mototest.Env(tb) }
