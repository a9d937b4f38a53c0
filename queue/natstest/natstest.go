// Package natstest starts a throwaway NATS server with JetStream for
// tests: Debian's nats-server, from PATH. Without it tests skip, saying
// so, except under CI, where they fail (.ci/run installs it).
package natstest

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// Server is a running nats-server.
type Server struct {
	URL  string
	cmd  *exec.Cmd
	dir  string
	port int
	tb   testing.TB
}

// Start starts nats-server -js on a free loopback port, its store in a
// temporary directory, and stops it when tb ends.
func Start(tb testing.TB) *Server {
	tb.Helper()
	if _, err := exec.LookPath("nats-server"); err != nil {
		if os.Getenv("CI") != "" {
			tb.Fatalf("nats-server not found: under CI the queue tests must run (.ci/run installs Debian's nats-server)")
		}
		tb.Skip("nats-server not found: install it (Debian's nats-server) to run this test")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	s := &Server{URL: fmt.Sprintf("nats://127.0.0.1:%d", port), dir: tb.TempDir(), port: port, tb: tb}
	s.start()
	tb.Cleanup(s.Stop)
	return s
}

func (s *Server) start() {
	s.tb.Helper()
	s.cmd = exec.Command("nats-server", "-js", "-sd", filepath.Join(s.dir, "js"), "-a", "127.0.0.1", "-p", fmt.Sprint(s.port))
	s.cmd.Stdout, s.cmd.Stderr = nil, nil
	if err := s.cmd.Start(); err != nil {
		s.tb.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", s.port), 200*time.Millisecond)
		if err == nil {
			// The server greets with INFO once it accepts clients.
			c.SetReadDeadline(time.Now().Add(2 * time.Second))
			_, err = bufio.NewReader(c).ReadString('\n')
			c.Close()
			if err == nil {
				return
			}
		}
		if time.Now().After(deadline) {
			s.tb.Fatalf("nats-server did not start on port %d", s.port)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Stop stops the server (a second Stop does nothing).
func (s *Server) Stop() {
	if s.cmd != nil && s.cmd.Process != nil {
		s.cmd.Process.Kill()
		s.cmd.Wait()
		s.cmd = nil
	}
}

// Restart stops the server and starts it again on the same port and store.
func (s *Server) Restart() {
	s.Stop()
	s.start()
}
