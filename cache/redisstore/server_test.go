package redisstore_test

import (
	"bytes"
	"context"
	"os/exec"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/relayhttp/relay/internal/testenv"
)

// startRedis starts a redis-server of its own on a free loopback port, with
// its files in a temporary folder and nothing saved to disk, and returns a
// client of it. Both are closed when the test ends. Without redis-server the
// test is skipped (a failure with RELAY_REQUIRE_EXTERNAL=1).
func startRedis(t *testing.T) *redis.Client {
	t.Helper()
	bin := testenv.NeedProgram(t, "redis-server", "apt-get install -y redis-server")
	var lastOut string
	for range 3 { // the free port may be taken before the server binds it
		port := testenv.FreePort(t)
		cmd := exec.Command(bin, "--port", strconv.Itoa(port), "--bind", "127.0.0.1",
			"--save", "", "--appendonly", "no", "--dir", t.TempDir(),
			"--daemonize", "no", "--protected-mode", "yes", "--loglevel", "warning")
		out := new(bytes.Buffer)
		cmd.Stdout, cmd.Stderr = out, out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		exited := make(chan struct{})
		go func() { _ = cmd.Wait(); close(exited) }()
		rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:" + strconv.Itoa(port)})
		if waitReady(rdb, exited) {
			t.Cleanup(func() {
				rdb.Close()
				_ = cmd.Process.Signal(syscall.SIGTERM)
				select {
				case <-exited:
				case <-time.After(10 * time.Second):
					_ = cmd.Process.Kill()
					<-exited
				}
			})
			return rdb
		}
		rdb.Close()
		_ = cmd.Process.Kill()
		<-exited
		lastOut = out.String()
	}
	t.Fatalf("redis-server did not start; its output:\n%s", lastOut)
	return nil
}

// waitReady pings the server until it answers, it exits, or 10 s pass.
func waitReady(rdb *redis.Client, exited <-chan struct{}) bool {
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		err := rdb.Ping(ctx).Err()
		cancel()
		if err == nil {
			return true
		}
		select {
		case <-exited:
			return false
		case <-time.After(20 * time.Millisecond):
		}
	}
	return false
}
