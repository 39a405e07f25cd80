package vpn

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/secmonkey/monkey/internal/awsclient"
	"github.com/secmonkey/monkey/internal/monkey"
)

// vpnARN is arn:aws:ec2:<region>:<account>:vpn-connection/<id>, the
// partition hard-coded as CloudAux did.
func vpnARN(region, account, id string) string {
	return "arn:aws:ec2:" + region + ":" + account + ":vpn-connection/" + id
}

// itemName is "<Name tag> (<VpnConnectionId>)", or the id when the
// connection has no (or an empty) Name tag.
func itemName(v *types.VpnConnection) string {
	id := aws.ToString(v.VpnConnectionId)
	if name, _ := awsclient.EC2NameTag(v.Tags); name != "" {
		return name + " (" + id + ")"
	}
	return id
}

// normalize builds the stored config (technologies.md A.35): the API entry
// in API casing without its secrets — CustomerGatewayConfiguration (the
// customer gateway's configuration with the pre-shared keys, as the
// reference removed it) and the tunnels' PreSharedKey (which the API now
// also returns in Options.TunnelOptions) — the tunnels' telemetry and Arn.
func normalize(v *types.VpnConnection, arn string) monkey.Config {
	c := *v
	c.CustomerGatewayConfiguration = nil
	c.VgwTelemetry = nil
	if v.Options != nil {
		opts := *v.Options
		opts.TunnelOptions = make([]types.TunnelOption, len(v.Options.TunnelOptions))
		for i, t := range v.Options.TunnelOptions {
			t.PreSharedKey = nil
			opts.TunnelOptions[i] = t
		}
		c.Options = &opts
	}
	cfg, _ := awsclient.Passthrough(&c).(map[string]any)
	if cfg == nil {
		cfg = map[string]any{}
	}
	tunnels := make([]any, len(v.VgwTelemetry))
	for i, t := range v.VgwTelemetry {
		var changed any
		if t.LastStatusChange != nil {
			changed = awsclient.ISOZ(*t.LastStatusChange)
		}
		tunnels[i] = map[string]any{
			"OutsideIpAddress":   awsclient.StringOrNull(t.OutsideIpAddress),
			"Status":             awsclient.EnumOrNull(t.Status),
			"StatusMessage":      awsclient.StringOrNull(t.StatusMessage),
			"AcceptedRouteCount": int(aws.ToInt32(t.AcceptedRouteCount)),
			"LastStatusChange":   changed,
		}
	}
	cfg["VgwTelemetry"] = tunnels
	cfg["Arn"] = arn
	return cfg
}
