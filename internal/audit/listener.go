package audit

import (
	"regexp"
	"strconv"
	"strings"
)

var listenerNotes = regexp.MustCompile(`Entity: \[[^\]]+\] Access: \[(.+):(.+):(.+)\]`)

// Listeners is a listener table: upper-case protocol -> ports.
type Listeners map[string]map[int]bool

// Add records a listener port under protocol.
func (l Listeners) Add(protocol string, port int) {
	if l[protocol] == nil {
		l[protocol] = map[int]bool{}
	}
	l[protocol][port] = true
}

// ListenerMatches is the listener match of a security-group issue's notes
// (auditors.md §2.11 step 2).
func ListenerMatches(notes *string, l Listeners) bool {
	if notes == nil {
		return false
	}
	m := listenerNotes.FindStringSubmatch(*notes)
	if m == nil || m[1] != "ingress" {
		return false
	}
	switch m[2] {
	case "all_protocols":
		return true
	case "icmp":
		return false
	}
	from, to, ok := portRange(m[3])
	if !ok {
		return false
	}
	for p := range l[strings.ToUpper(m[2])] {
		if from <= p && p <= to {
			return true
		}
	}
	return false
}

func portRange(s string) (int, int, bool) {
	if n, err := strconv.Atoi(s); err == nil {
		return n, n, true
	}
	// N-M with possibly negative numbers: split at a '-' that is not the
	// first character.
	for i := 1; i < len(s); i++ {
		if s[i] == '-' {
			a, err1 := strconv.Atoi(s[:i])
			b, err2 := strconv.Atoi(s[i+1:])
			if err1 == nil && err2 == nil {
				return a, b, true
			}
		}
	}
	return 0, 0, false
}

// ListenerTable is the listener table of a load balancer (auditors.md
// §2.11): for each element {"Protocol", <portKey>} of the list v, protocol
// "-1" is ALL_PROTOCOLS, a protocol containing HTTP (HTTP, HTTPS) is TCP,
// others (TCP, SSL, UDP…) stay as they are. portKey is "LoadBalancerPort"
// for ELB listeners, "Port" for ELBv2 ones.
func ListenerTable(v any, portKey string) Listeners {
	l := Listeners{}
	list, _ := v.([]any)
	for _, e := range list {
		proto := PyRepr(Get(e, "Protocol"))
		switch {
		case proto == "-1":
			proto = "ALL_PROTOCOLS"
		case strings.Contains(proto, "HTTP"):
			proto = "TCP"
		}
		if port, ok := Int(Get(e, portKey)); ok {
			l.Add(proto, port)
		}
	}
	return l
}
