package auth

import (
	"net/http"
	"testing"
)

// A provider built without a client gets one of its own with a timeout:
// http.DefaultClient never times out and shares its transport with code
// that may close its idle connections.
func TestProviderOwnClient(t *testing.T) {
	p, err := NewProvider(ProviderConfig{ID: "corp", Issuer: "https://idp.example", ClientID: "c", RedirectURL: "https://monkey.example/cb"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if p.client == http.DefaultClient || p.client.Timeout <= 0 {
		t.Fatalf("client = %p timeout %v: want a client of its own with a timeout", p.client, p.client.Timeout)
	}
	if p.client.Transport == nil || p.client.Transport == http.DefaultTransport {
		t.Fatal("the provider's client shares http.DefaultTransport")
	}
}
