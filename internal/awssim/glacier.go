package awssim

import (
	"fmt"
	"net/http"
)

// Glacier: ListVaults, GetVaultAccessPolicy, ListTagsForVault, and the
// technology glacier. REST-JSON; the account id path label is "-" (the
// caller's account) or the account's id.

const techGlacier = "glacier"

func glacierService() *service {
	vault := func(h func(s *Server, req *request, i int) (result, *apiError)) func(*Server, *request) (result, *apiError) {
		return func(s *Server, req *request) (result, *apiError) {
			if aerr := glacierAccount(req); aerr != nil {
				return result{}, aerr
			}
			i, ok := s.itemIndex(req, techGlacier, req.label("vaultName"), vaultName)
			if !ok {
				return result{}, errf(http.StatusNotFound, "ResourceNotFoundException", "Vault not found for ARN: %s", req.label("vaultName"))
			}
			return h(s, req, i)
		}
	}
	return &service{
		name:     "glacier",
		protocol: restJSON{},
		ops: map[string]operation{
			"ListVaults":           {http: "GET /{accountId}/vaults", handle: (*Server).glacierListVaults},
			"GetVaultAccessPolicy": {http: "GET /{accountId}/vaults/{vaultName}/access-policy", handle: vault((*Server).glacierGetVaultAccessPolicy)},
			"ListTagsForVault":     {http: "GET /{accountId}/vaults/{vaultName}/tags", handle: vault((*Server).glacierListTagsForVault)},
		},
		throttle: errorShape{http.StatusBadRequest, "ThrottlingException", "Rate exceeded"},
		denied:   errorShape{http.StatusForbidden, "AccessDeniedException", "User is not authorized to perform: glacier:{op}"},
		unknown:  errorShape{http.StatusNotFound, "UnknownOperationException", "Unknown operation {op}"},
		check: enabledRegion(
			errorShape{http.StatusForbidden, "UnrecognizedClientException", "The security token included in the request is invalid."},
			errorShape{http.StatusForbidden, "UnrecognizedClientException", "The security token included in the request is invalid."}),
		resources: []resource{{
			tech:        techGlacier,
			createdHour: 71,
			arn:         func(s *Server, a *account, i int) string { return s.vaultARN(a, i) },
			mutates:     "one more statement in the vault access policy",
		}},
	}
}

func vaultName(i int) string { return fmt.Sprintf("sim-vault-%d", i) }

func (s *Server) vaultARN(a *account, i int) string {
	return "arn:aws:glacier:" + s.itemRegion(i) + ":" + a.id + ":vaults/" + vaultName(i)
}

func glacierAccount(req *request) *apiError {
	if id := req.label("accountId"); id != "-" && id != req.acct.id {
		return errf(http.StatusForbidden, "AccessDeniedException", "Access denied to account %s", id)
	}
	return nil
}

func (s *Server) glacierListVaults(req *request) (result, *apiError) {
	if aerr := glacierAccount(req); aerr != nil {
		return result{}, aerr
	}
	size, ok := pageSize(req.form.Get("limit"), 10, 1000)
	start, okStart := pageStart(req.form.Get("marker"), "vault")
	if !ok || !okStart {
		return result{}, errf(http.StatusBadRequest, "InvalidParameterValueException", "bad limit or marker")
	}
	a := req.acct
	vaults, next := regionPage(s, req, techGlacier, size, start, "vault", func(i int) map[string]any {
		created := s.created(techGlacier, i)
		v := map[string]any{
			"VaultARN":         s.vaultARN(a, i),
			"VaultName":        vaultName(i),
			"CreationDate":     created.Format("2006-01-02T15:04:05.000Z"),
			"NumberOfArchives": i * 3,
			"SizeInBytes":      i * 3 * 1048576,
		}
		if i%2 == 0 {
			v["LastInventoryDate"] = created.Add(24 * 60 * 60 * 1e9).Format("2006-01-02T15:04:05.000Z")
		}
		return v
	})
	out := map[string]any{"VaultList": vaults}
	if next != "" {
		out["Marker"] = next
	}
	return jsonResult(out), nil
}

func (s *Server) glacierGetVaultAccessPolicy(req *request, i int) (result, *apiError) {
	a := req.acct
	p := s.resourcePolicy(a, i, a.tech(techGlacier).generation(i), s.vaultARN(a, i), "glacier:InitiateJob", false)
	if p == "" {
		return result{}, errf(http.StatusNotFound, "ResourceNotFoundException", "No vault access policy is set for: %s", s.vaultARN(a, i))
	}
	return jsonResult(map[string]string{"Policy": p}), nil
}

func (s *Server) glacierListTagsForVault(req *request, i int) (result, *apiError) {
	return jsonResult(map[string]any{"Tags": tagMap(simTags(vaultName(i), i))}), nil
}
