// Package redistest starts a throwaway Redis Cluster of three masters on
// loopback for tests: Debian's redis-server and redis-cli, from PATH.
// Without them tests skip, saying so, except under CI, where they fail
// (.ci/run installs them).
package redistest

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Cluster is a running Redis Cluster.
type Cluster struct {
	Addrs []string // host:port of each master
	dir   string
	cmds  []*exec.Cmd
	tb    testing.TB
}

// URL returns the cluster's seed nodes as --index takes them.
func (c *Cluster) URL() string {
	return "redis://" + strings.Join(c.Addrs, ",")
}

// Start starts three redis-server --cluster-enabled yes and joins them
// into one cluster; it is stopped when tb ends.
func Start(tb testing.TB) *Cluster {
	tb.Helper()
	for _, bin := range []string{"redis-server", "redis-cli"} {
		if _, err := exec.LookPath(bin); err != nil {
			if os.Getenv("CI") != "" {
				tb.Fatalf("%s not found: under CI the Redis tests must run (.ci/run installs Debian's redis-server)", bin)
			}
			tb.Skipf("%s not found: install Debian's redis-server to run this test", bin)
		}
	}
	c := &Cluster{dir: tb.TempDir(), tb: tb}
	tb.Cleanup(c.Stop)
	for k := range 3 {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			tb.Fatal(err)
		}
		port := ln.Addr().(*net.TCPAddr).Port
		ln.Close()
		c.Addrs = append(c.Addrs, fmt.Sprintf("127.0.0.1:%d", port))
		c.start(k)
	}
	args := append([]string{"--cluster", "create"}, c.Addrs...)
	args = append(args, "--cluster-replicas", "0", "--cluster-yes")
	if out, err := exec.Command("redis-cli", args...).CombinedOutput(); err != nil {
		tb.Fatalf("redis-cli --cluster create: %v\n%s", err, out)
	}
	c.waitOK()
	return c
}

func (c *Cluster) start(k int) {
	c.tb.Helper()
	host, port, _ := net.SplitHostPort(c.Addrs[k])
	dir := filepath.Join(c.dir, fmt.Sprint(k))
	os.MkdirAll(dir, 0o755)
	cmd := exec.Command("redis-server", "--port", port, "--bind", host, "--cluster-enabled", "yes",
		"--cluster-config-file", filepath.Join(dir, "nodes.conf"), "--dir", dir, "--save", "", "--appendonly", "yes",
		// Every write on disk before its reply: a node killed right after a
		// write (Restart) keeps it. With the default (everysec) a flush
		// postponed behind a background fsync lost the last writes, and
		// TestSameCandidates failed now and then after a restart.
		"--appendfsync", "always",
		"--protected-mode", "no")
	if err := cmd.Start(); err != nil {
		c.tb.Fatal(err)
	}
	for len(c.cmds) <= k {
		c.cmds = append(c.cmds, nil)
	}
	c.cmds[k] = cmd
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if out, err := exec.Command("redis-cli", "-h", host, "-p", port, "ping").Output(); err == nil && strings.TrimSpace(string(out)) == "PONG" {
			return
		}
		if time.Now().After(deadline) {
			c.tb.Fatalf("redis-server on %s did not start", c.Addrs[k])
		}
	}
}

// waitOK waits until every node says the cluster is ok.
func (c *Cluster) waitOK() {
	c.tb.Helper()
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		ok := true
		for _, a := range c.Addrs {
			host, port, _ := net.SplitHostPort(a)
			out, err := exec.Command("redis-cli", "-h", host, "-p", port, "cluster", "info").Output()
			if err != nil || !strings.Contains(string(out), "cluster_state:ok") {
				ok = false
			}
		}
		if ok {
			return
		}
		if time.Now().After(deadline) {
			c.tb.Fatal("the Redis cluster did not reach cluster_state:ok")
		}
	}
}

// Restart stops node k and starts it again with its data (append-only
// file) and cluster configuration.
func (c *Cluster) Restart(k int) {
	c.tb.Helper()
	c.Kill(k)
	c.Start(k)
}

// Kill stops node k at once.
func (c *Cluster) Kill(k int) {
	c.cmds[k].Process.Kill()
	c.cmds[k].Wait()
}

// Start starts the killed node k again, with its data, and waits for the
// cluster to be ok.
func (c *Cluster) Start(k int) {
	c.tb.Helper()
	c.start(k)
	c.waitOK()
}

// Stop stops every node.
func (c *Cluster) Stop() {
	for _, cmd := range c.cmds {
		if cmd != nil && cmd.Process != nil {
			cmd.Process.Kill()
			cmd.Wait()
		}
	}
	c.cmds = nil
}
