package awssim

import (
	"net/http"
	"strconv"
)

// Direct Connect: DescribeConnections and the technology connection.
// awsJson 1.1 (target OvertureService). Without maxResults every
// connection of the region comes in one reply (as before AWS added
// paging); with it, pages of at most 100.
//
// Seeded connections (k): dedicated 1 or 10 Gbps, or hosted 50 Mbps through
// a partner (k%3 == 2); down when k%4 == 1 and ordering when k%4 == 2
// below 50, available otherwise.

const techConnection = "connection"

func directConnectService() *service {
	return &service{
		name:     "directconnect",
		protocol: awsJSON{version: "1.1", target: "OvertureService"},
		ops: map[string]operation{
			"DescribeConnections": {handle: (*Server).dxDescribeConnections},
		},
		throttle: errorShape{http.StatusBadRequest, "ThrottlingException", "Rate exceeded"},
		denied:   errorShape{http.StatusBadRequest, "AccessDeniedException", "User is not authorized to perform: directconnect:{op}"},
		unknown:  errorShape{http.StatusBadRequest, "UnknownOperationException", "Operation {op} is not supported by the simulator"},
		check: enabledRegion(
			errorShape{http.StatusBadRequest, "UnrecognizedClientException", "The security token included in the request is invalid."},
			errorShape{http.StatusBadRequest, "UnrecognizedClientException", "The security token included in the request is invalid."}),
		resources: []resource{{
			tech: techConnection,
			arn: func(s *Server, a *account, k int) string {
				return "arn:aws:directconnect:" + s.itemRegion(k) + ":" + a.id + ":dxcon/" + s.dxConnectionID(a, k)
			},
			mutates: "the VLAN grows by g (g: the mutation generation)",
		}},
	}
}

func (s *Server) dxConnectionID(a *account, k int) string {
	return s.resourceID("dxcon-", 8, "abcdefghijklmnopqrstuvwxyz0123456789", "connection/id", a, k)
}

type dxConnection struct {
	OwnerAccount    string              `json:"ownerAccount"`
	ConnectionID    string              `json:"connectionId"`
	ConnectionName  string              `json:"connectionName"`
	ConnectionState string              `json:"connectionState"`
	Region          string              `json:"region"`
	Location        string              `json:"location"`
	Bandwidth       string              `json:"bandwidth"`
	Vlan            int                 `json:"vlan"`
	PartnerName     string              `json:"partnerName,omitempty"`
	AwsDevice       string              `json:"awsDevice"`
	JumboFrame      bool                `json:"jumboFrameCapable"`
	HasRedundancy   string              `json:"hasLogicalRedundancy"`
	MacSecCapable   bool                `json:"macSecCapable"`
	Tags            []map[string]string `json:"tags"`
}

func (s *Server) dxDescribeConnections(req *request) (result, *apiError) {
	var in struct {
		ConnectionID string `json:"connectionId"`
		MaxResults   int    `json:"maxResults"`
		NextToken    string `json:"nextToken"`
	}
	if aerr := req.decode(&in); aerr != nil {
		return result{}, aerr
	}
	size, start := int(^uint(0)>>1), 0
	if in.ConnectionID == "" && (in.MaxResults != 0 || in.NextToken != "") {
		var aerr *apiError
		if size, start, aerr = jsonPage(min(in.MaxResults, 100), 100, 100, in.NextToken, "dxcon"); aerr != nil {
			return result{}, errf(http.StatusBadRequest, "DirectConnectClientException", "%s", aerr.message)
		}
	}
	a := req.acct
	ts := a.tech(techConnection)
	conns, next := regionPage(s, req, techConnection, size, start, "dxcon", func(k int) dxConnection {
		return s.dxConnection(a, k, req.region, ts.generation(k))
	})
	if in.ConnectionID != "" {
		var one []dxConnection
		for _, c := range conns {
			if c.ConnectionID == in.ConnectionID {
				one = append(one, c)
			}
		}
		if len(one) == 0 {
			return result{}, errf(http.StatusBadRequest, "DirectConnectClientException", "Connection %s not found", in.ConnectionID)
		}
		conns, next = one, ""
	}
	out := map[string]any{"connections": conns}
	if next != "" {
		out["nextToken"] = next
	}
	return jsonResult(out), nil
}

func (s *Server) dxConnection(a *account, k int, region string, gen int) dxConnection {
	c := dxConnection{
		OwnerAccount:    a.id,
		ConnectionID:    s.dxConnectionID(a, k),
		ConnectionName:  "sim-dx-" + strconv.Itoa(k),
		ConnectionState: "available",
		Region:          region,
		Location:        [...]string{"EqDC2", "EqSE2", "TCSH2"}[k%3],
		Bandwidth:       [...]string{"1Gbps", "10Gbps", "50Mbps"}[k%3],
		Vlan:            101 + k%1000 + gen,
		AwsDevice:       "EqDC2-" + s.resourceID("", 8, hexDigits, "connection/device", a, k%7),
		HasRedundancy:   "unknown",
		Tags:            jsonTags([]tag{{"Name", "sim-dx-" + strconv.Itoa(k)}}, "key", "value"),
	}
	if k%3 == 2 {
		c.PartnerName = "sim-partner"
	}
	if !bulkBenign(k) {
		switch k % 4 {
		case 1:
			c.ConnectionState = "down"
		case 2:
			c.ConnectionState = "ordering"
		}
	}
	return c
}
