// Command demoapp is the tiny example app of scripts/demo.sh: a hook receiver on a platform
// that cannot set response headers. It prints every delivery it gets and answers with a
// status that POST /status?code=N changes, so the demo can make it fail and recover.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"sync/atomic"
	"syscall"
	"time"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:3000", "address to listen on")
	status := flag.Int("status", http.StatusOK, "status to answer deliveries with")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := serve(ctx, *addr, *status); err != nil {
		log.Fatal(err)
	}
}

func serve(ctx context.Context, addr string, status int) error {
	var code atomic.Int64
	code.Store(int64(status))
	mux := http.NewServeMux()
	mux.HandleFunc("POST /status", func(w http.ResponseWriter, r *http.Request) {
		n, err := strconv.Atoi(r.URL.Query().Get("code"))
		if err != nil || n < 200 || n > 599 {
			http.Error(w, "code must be an HTTP status", http.StatusBadRequest)
			return
		}
		code.Store(int64(n))
		fmt.Printf("demo app: now answering %d\n", n)
	})
	mux.HandleFunc("POST /", func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(io.LimitReader(r.Body, 2<<20))
		var ev struct {
			EventKey   string `json:"event_key"`
			ObjectKeys []struct {
				ID int64 `json:"id"`
			} `json:"object_keys"`
		}
		json.Unmarshal(body, &ev)
		ids := make([]int64, len(ev.ObjectKeys))
		for i, k := range ev.ObjectKeys {
			ids[i] = k.ID
		}
		c := int(code.Load())
		fmt.Printf("demo app: %s ids %v -> %d\n", ev.EventKey, ids, c)
		w.WriteHeader(c) // and no X-Hook-Secret: this platform cannot set headers
	})
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		<-ctx.Done()
		srv.Close()
	}()
	fmt.Printf("demo app: listening on http://%s, answering %d\n", ln.Addr(), status)
	if err := srv.Serve(ln); err != http.ErrServerClosed {
		return err
	}
	return nil
}
