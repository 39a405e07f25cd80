package ses

import (
	"github.com/aws/aws-sdk-go-v2/service/ses/types"

	"github.com/secmonkey/monkey/internal/monkey"
)

// normalize builds the stored config (technologies.md A.49) of identity
// name from its verification attributes: verified when the status is
// Success (for an address, the same answer as ListVerifiedEmailAddresses).
func normalize(name string, v types.IdentityVerificationAttributes) monkey.Config {
	return monkey.Config{"name": name, "verified": v.VerificationStatus == types.VerificationStatusSuccess}
}
