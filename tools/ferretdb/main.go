// Command tideflow-ferretdb runs FerretDB v1.24 with its SQLite backend as an embedded library.
//
// It exists only to run Tideflow's conformance suite against FerretDB (docs/decisions/0001-database.md).
// The stock `cmd/ferretdb` binary of v1.24.2 panics at start when built with `go install`
// (missing build/version/version.txt, FerretDB issue #2982); the embeddable package does not.
//
//	go build -o /tmp/tideflow-ferretdb . && /tmp/tideflow-ferretdb -listen 127.0.0.1:27018 -dir /tmp/fdb-data
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:27018", "TCP address to listen on")
	dir := flag.String("dir", "ferretdb-data", "directory of the SQLite databases")
	flag.Parse()

	abs, err := filepath.Abs(*dir)
	if err != nil {
		fail(err)
	}
	if err = os.MkdirAll(abs, 0o755); err != nil {
		fail(err)
	}

	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: *listen},
		Logger:    logger,
		Handler:   "sqlite",
		SQLiteURL: "file:" + abs + "/",
	})
	if err != nil {
		fail(err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	fmt.Printf("tideflow-ferretdb listening on %s (sqlite in %s)\n", *listen, abs)
	if err = f.Run(ctx); err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "tideflow-ferretdb:", err)
	os.Exit(1)
}
