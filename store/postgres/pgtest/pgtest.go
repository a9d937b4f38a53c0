// Package pgtest gives tests a PostgreSQL database of their own, on the
// server that the environment variable NEWSDEDUP_TEST_POSTGRES names (a
// postgres:// URL of a role that may create databases; .ci/run starts a
// throwaway server and sets it). Without it tests skip, saying so, except
// under CI, where they fail.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// Env is the environment variable naming the test server.
const Env = "NEWSDEDUP_TEST_POSTGRES"

// Server returns the URL of the test server, or skips tb (fails it under
// CI) when there is none.
func Server(tb testing.TB) string {
	tb.Helper()
	u := os.Getenv(Env)
	if u == "" {
		if os.Getenv("CI") != "" {
			tb.Fatalf("%s is not set: under CI the PostgreSQL tests must run (.ci/run starts a server)", Env)
		}
		tb.Skipf("no PostgreSQL server: set %s to a postgres:// URL (a role that may create databases) to run this test", Env)
	}
	return u
}

// DB creates an empty database on the test server and returns its URL. The
// database is dropped when tb ends.
func DB(tb testing.TB) string {
	tb.Helper()
	server := Server(tb)
	var b [6]byte
	rand.Read(b[:])
	name := "newsdedup_test_" + hex.EncodeToString(b[:])
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, server)
	if err != nil {
		tb.Fatalf("connect to the test server: %v", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		tb.Fatalf("create database: %v", err)
	}
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		conn, err := pgx.Connect(ctx, server)
		if err != nil {
			tb.Errorf("connect to drop %s: %v", name, err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, "DROP DATABASE "+name+" WITH (FORCE)"); err != nil {
			tb.Errorf("drop database %s: %v", name, err)
		}
	})
	u, err := url.Parse(server)
	if err != nil {
		tb.Fatalf("%s: %v", Env, err)
	}
	u.Path = "/" + name
	return u.String()
}
