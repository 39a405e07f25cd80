package awssim

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// KMS: ListKeys, ListAliases, DescribeKey, ListGrants, GetKeyPolicy,
// GetKeyRotationStatus, and the technology kms. awsJson 1.1.

const techKMS = "kms"

func kmsService() *service {
	return &service{
		name:     "kms",
		protocol: awsJSON{version: "1.1", target: "TrentService"},
		ops: map[string]operation{
			"ListKeys":             {handle: (*Server).kmsListKeys},
			"ListAliases":          {handle: (*Server).kmsListAliases},
			"DescribeKey":          {handle: kmsKey((*Server).kmsDescribeKey)},
			"ListGrants":           {handle: kmsKey((*Server).kmsListGrants)},
			"GetKeyPolicy":         {handle: kmsKey((*Server).kmsGetKeyPolicy)},
			"GetKeyRotationStatus": {handle: kmsKey((*Server).kmsGetKeyRotationStatus)},
		},
		throttle: errorShape{http.StatusBadRequest, "ThrottlingException", "Rate exceeded"},
		denied:   errorShape{http.StatusBadRequest, "AccessDeniedException", "User is not authorized to perform: kms:{op}"},
		unknown:  errorShape{http.StatusBadRequest, "UnknownOperationException", "Operation {op} is not supported by the simulator"},
		check: enabledRegion(
			errorShape{http.StatusBadRequest, "UnrecognizedClientException", "The security token included in the request is invalid."},
			errorShape{http.StatusBadRequest, "UnrecognizedClientException", "The security token included in the request is invalid."}),
		resources: []resource{{
			tech:        techKMS,
			createdHour: 50,
			arn:         func(s *Server, a *account, i int) string { return s.kmsKeyARN(a, i) },
			mutates:     "the description and one more statement in the key policy",
		}},
	}
}

// Seeded keys (i%5 unless bulk): 0 no alias, 1 two aliases, 2 one alias
// and a grant to the next account, 3 one alias, 4 AWS managed
// (alias/aws/…, rotation on). Rotation is off when i%3 == 0 (customer
// keys); DescribeKey is denied for i%11 == 10 below 50 (the reference's
// "Unauthorized" stub).

func (s *Server) kmsKeyID(a *account, i int) string {
	// The last group is the index, so that a key id resolves at once.
	h := s.resourceID("", 20, hexDigits, "kms/key-id", a, i)
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + fmt.Sprintf("%012x", i)
}

func (s *Server) kmsKeyARN(a *account, i int) string {
	return "arn:aws:kms:" + s.itemRegion(i) + ":" + a.id + ":key/" + s.kmsKeyID(a, i)
}

func kmsManaged(i int) bool { return !bulkBenign(i) && i%5 == 4 }

func kmsAliases(i int) []string {
	switch {
	case kmsManaged(i):
		return []string{fmt.Sprintf("alias/aws/sim%d", i)}
	case !bulkBenign(i) && i%5 == 0:
		return nil
	case !bulkBenign(i) && i%5 == 1:
		return []string{fmt.Sprintf("alias/sim-key-%d", i), fmt.Sprintf("alias/sim-key-%d-b", i)}
	}
	return []string{fmt.Sprintf("alias/sim-key-%d", i)}
}

func kmsDenied(i int) bool { return i < 50 && i%11 == 10 }

// kmsKey resolves the KeyId (id or ARN) of a request (NotFoundException).
func kmsKey(h func(s *Server, req *request, i int) (result, *apiError)) func(*Server, *request) (result, *apiError) {
	return func(s *Server, req *request) (result, *apiError) {
		var in struct{ KeyId string }
		if aerr := req.decode(&in); aerr != nil {
			return result{}, aerr
		}
		id := in.KeyId[strings.LastIndexByte(in.KeyId, '/')+1:]
		i, err := strconv.ParseInt(id[strings.LastIndexByte(id, '-')+1:], 16, 64)
		if err != nil || i > 1<<40 || s.kmsKeyID(req.acct, int(i)) != id ||
			!req.acct.tech(techKMS).exists(int(i)) || s.itemRegion(int(i)) != req.region {
			return result{}, errf(http.StatusBadRequest, "NotFoundException", "Key '%s' does not exist", in.KeyId)
		}
		return h(s, req, int(i))
	}
}

func (s *Server) kmsListKeys(req *request) (result, *apiError) {
	var in struct {
		Limit  int
		Marker string
	}
	if aerr := req.decode(&in); aerr != nil {
		return result{}, aerr
	}
	size, start, aerr := jsonPage(in.Limit, 100, 1000, in.Marker, "kms")
	if aerr != nil {
		return result{}, aerr
	}
	type entry struct{ KeyId, KeyArn string }
	keys, next := regionPage(s, req, techKMS, size, start, "kms", func(i int) entry {
		return entry{s.kmsKeyID(req.acct, i), s.kmsKeyARN(req.acct, i)}
	})
	out := map[string]any{"Keys": keys, "Truncated": next != ""}
	if next != "" {
		out["NextMarker"] = next
	}
	return jsonResult(out), nil
}

func (s *Server) kmsListAliases(req *request) (result, *apiError) {
	var in struct {
		Limit  int
		Marker string
	}
	if aerr := req.decode(&in); aerr != nil {
		return result{}, aerr
	}
	size, start, aerr := jsonPage(in.Limit, 50, 100, in.Marker, "kmsalias")
	if aerr != nil {
		return result{}, aerr
	}
	type entry struct{ AliasName, AliasArn, TargetKeyId string }
	// A page holds the aliases of size/2 keys (at most two aliases a key).
	keys, next := regionPage(s, req, techKMS, max(size/2, 1), start, "kmsalias", func(i int) []entry {
		var out []entry
		for _, n := range kmsAliases(i) {
			out = append(out, entry{n, "arn:aws:kms:" + req.region + ":" + req.acct.id + ":" + n, s.kmsKeyID(req.acct, i)})
		}
		return out
	})
	aliases := []entry{}
	for _, k := range keys {
		aliases = append(aliases, k...)
	}
	out := map[string]any{"Aliases": aliases, "Truncated": next != ""}
	if next != "" {
		out["NextMarker"] = next
	}
	return jsonResult(out), nil
}

func (s *Server) kmsDescribeKey(req *request, i int) (result, *apiError) {
	if kmsDenied(i) {
		return result{}, errf(http.StatusBadRequest, "AccessDeniedException", "User is not authorized to perform: kms:DescribeKey on this key")
	}
	a := req.acct
	manager := "CUSTOMER"
	if kmsManaged(i) {
		manager = "AWS"
	}
	return jsonResult(map[string]any{"KeyMetadata": map[string]any{
		"AWSAccountId":          a.id,
		"KeyId":                 s.kmsKeyID(a, i),
		"Arn":                   s.kmsKeyARN(a, i),
		"CreationDate":          epochSeconds(s.created(techKMS, i)),
		"Enabled":               true,
		"Description":           fmt.Sprintf("simulated key %d (generation %d)", i, a.tech(techKMS).generation(i)),
		"KeyUsage":              "ENCRYPT_DECRYPT",
		"KeyState":              "Enabled",
		"Origin":                "AWS_KMS",
		"KeyManager":            manager,
		"CustomerMasterKeySpec": "SYMMETRIC_DEFAULT",
		"KeySpec":               "SYMMETRIC_DEFAULT",
		"EncryptionAlgorithms":  []string{"SYMMETRIC_DEFAULT"},
		"MultiRegion":           false,
	}}), nil
}

func (s *Server) kmsListGrants(req *request, i int) (result, *apiError) {
	type grant struct {
		KeyId, GrantId, Name, GranteePrincipal, IssuingAccount string
		CreationDate                                           epochSeconds
		Operations                                             []string
	}
	grants := []grant{}
	if !bulkBenign(i) && i%5 == 2 {
		a := req.acct
		grants = append(grants, grant{s.kmsKeyARN(a, i), s.resourceID("", 64, hexDigits, "kms/grant-id", a, i), "sim-grant",
			"arn:aws:iam::" + s.nextAccount(a).id + ":role/sim-decrypter", "arn:aws:iam::" + a.id + ":root",
			epochSeconds(s.created(techKMS, i)), []string{"Decrypt", "DescribeKey"}})
	}
	return jsonResult(map[string]any{"Grants": grants, "Truncated": false}), nil
}

func (s *Server) kmsGetKeyPolicy(req *request, i int) (result, *apiError) {
	var in struct{ PolicyName string }
	if aerr := req.decode(&in); aerr != nil {
		return result{}, aerr
	}
	if in.PolicyName != "" && in.PolicyName != "default" {
		return result{}, errf(http.StatusBadRequest, "NotFoundException", "Policy %s does not exist", in.PolicyName)
	}
	a := req.acct
	p := s.resourcePolicy(a, i, a.tech(techKMS).generation(i), "*", "kms:Decrypt", true)
	return jsonResult(map[string]any{"Policy": p, "PolicyName": "default"}), nil
}

func (s *Server) kmsGetKeyRotationStatus(req *request, i int) (result, *apiError) {
	return jsonResult(map[string]any{"KeyRotationEnabled": kmsManaged(i) || i%3 != 0, "KeyId": s.kmsKeyID(req.acct, i)}), nil
}
