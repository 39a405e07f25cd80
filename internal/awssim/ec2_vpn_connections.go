package awssim

import (
	"fmt"
	"strconv"
	"time"
)

// Site-to-site VPN connections: the technology vpn and
// DescribeVpnConnections (every connection of the region in one reply, as
// AWS does). Connection k ends on VPN gateway k (same index, same region),
// or on a transit gateway when k%3 == 2. The customer gateway
// configuration and the tunnel options carry pre-shared keys (the watcher
// must drop them). Tunnels (VgwTelemetry): the second is DOWN when
// k%4 == 1 below 50, both are DOWN when k%4 == 3. Static routes on even
// connections, BGP on odd ones.

const techVPN = "vpn"

func vpnResource() resource {
	return resource{
		tech: techVPN,
		arn: func(s *Server, a *account, k int) string {
			return "arn:aws:ec2:" + s.itemRegion(k) + ":" + a.id + ":vpn-connection/" + s.vpnID(a, k)
		},
		mutates: `one more tag "sim:mutation" = g (g: the mutation generation)`,
	}
}

func (s *Server) vpnID(a *account, k int) string {
	return s.resourceID("vpn-", 17, hexDigits, "vpn/id", a, k)
}

func (s *Server) describeVpnConnections(req *request) (result, *apiError) {
	return s.ec2RegionList(req, techVPN, "vpn", "vpnConnectionSet", 0, 3000, s.writeVPN)
}

func (s *Server) writeVPN(x *xw, a *account, k int, _ string, gen int) {
	static := k%2 == 0
	created := s.created(techVPN, k)
	outside := func(t int) string { return fmt.Sprintf("34.%d.%d.%d", a.idx%64, (k/120)%250, (k%120)*2+t+1) }
	psk := func(t int) string { return s.resourceID("sim-psk-", 24, b32Digits, "vpn/psk", a, 2*k+t) }
	down := func(t int) bool { return !bulkBenign(k) && (k%4 == 3 || (k%4 == 1 && t == 1)) }
	x.open("item")
	x.elem("vpnConnectionId", s.vpnID(a, k))
	x.elem("state", "available")
	x.elem("customerGatewayConfiguration", `<?xml version="1.0" encoding="UTF-8"?><vpn_connection id="`+s.vpnID(a, k)+
		`"><ipsec_tunnel><ike><pre_shared_key>`+psk(0)+`</pre_shared_key></ike></ipsec_tunnel></vpn_connection>`)
	x.elem("type", "ipsec.1")
	x.elem("customerGatewayId", s.resourceID("cgw-", 17, hexDigits, "vpn/cgw", a, k))
	if k%3 == 2 {
		x.elem("transitGatewayId", s.resourceID("tgw-", 17, hexDigits, "vpn/tgw", a, k%len(s.opts.Regions)))
	} else {
		x.elem("vpnGatewayId", s.vgwID(a, k))
	}
	x.elem("category", "VPN")
	var tags []tag
	if k%2 == 0 {
		tags = append(tags, tag{"Name", "sim-vpn-" + strconv.Itoa(k)})
	}
	if gen > 0 {
		tags = append(tags, tag{"sim:mutation", strconv.Itoa(gen)})
	}
	writeTagList(x, "tagSet", "item", "key", "value", tags)
	x.open("vgwTelemetry")
	for t := range 2 {
		x.open("item")
		x.elem("outsideIpAddress", outside(t))
		status, msg, routes := "UP", "", 0
		if !static {
			msg, routes = "2 BGP ROUTES", 2
		}
		if down(t) {
			status, msg, routes = "DOWN", "IPSEC IS DOWN", 0
		}
		x.elem("status", status)
		x.elemTime("lastStatusChange", created.Add(time.Duration(t+1)*time.Hour))
		x.elemOpt("statusMessage", msg)
		x.elemInt("acceptedRouteCount", routes)
		x.close("item")
	}
	x.close("vgwTelemetry")
	x.open("options")
	x.elemBool("staticRoutesOnly", static)
	x.elem("tunnelInsideIpVersion", "ipv4")
	x.open("tunnelOptionSet")
	for t := range 2 {
		x.open("item")
		x.elem("outsideIpAddress", outside(t))
		x.elem("tunnelInsideCidr", fmt.Sprintf("169.254.%d.%d/30", (k/60)%250, (k%60)*4+t*2))
		x.elem("preSharedKey", psk(t))
		x.elem("startupAction", "add")
		x.close("item")
	}
	x.close("tunnelOptionSet")
	x.close("options")
	x.open("routes")
	if static {
		x.open("item")
		x.elem("destinationCidrBlock", fmt.Sprintf("192.168.%d.0/24", k%256))
		x.elem("source", "Static")
		x.elem("state", "available")
		x.close("item")
	}
	x.close("routes")
	x.close("item")
}
