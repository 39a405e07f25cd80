package app

import (
	"net"
	"testing"
)

func TestConcreteAddr(t *testing.T) {
	got, err := concreteAddr("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	host, port, err := net.SplitHostPort(got)
	if err != nil || host != "127.0.0.1" || port == "0" {
		t.Fatalf("concreteAddr(127.0.0.1:0) = %q, %v; want a free port on 127.0.0.1", got, err)
	}
	if got, err := concreteAddr("127.0.0.1:5000"); err != nil || got != "127.0.0.1:5000" {
		t.Fatalf("concreteAddr(127.0.0.1:5000) = %q, %v; want it unchanged", got, err)
	}
	if _, err := concreteAddr("no-port"); err == nil {
		t.Fatal("concreteAddr(no-port): want an error")
	}
}
