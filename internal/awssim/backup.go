package awssim

import (
	"fmt"
	"net/http"
)

// AWS Backup: ListBackupVaults, GetBackupVaultAccessPolicy, and the
// technology backupvault. REST-JSON.

const techBackupVault = "backupvault"

func backupService() *service {
	return &service{
		name:     "backup",
		protocol: restJSON{},
		ops: map[string]operation{
			"ListBackupVaults":           {http: "GET /backup-vaults/", handle: (*Server).backupListVaults},
			"GetBackupVaultAccessPolicy": {http: "GET /backup-vaults/{BackupVaultName}/access-policy", handle: (*Server).backupGetVaultAccessPolicy},
		},
		throttle: errorShape{http.StatusBadRequest, "ThrottlingException", "Rate exceeded"},
		denied:   errorShape{http.StatusForbidden, "AccessDeniedException", "User is not authorized to perform: backup:{op}"},
		unknown:  errorShape{http.StatusNotFound, "UnknownOperationException", "Unknown operation {op}"},
		check: enabledRegion(
			errorShape{http.StatusForbidden, "UnrecognizedClientException", "The security token included in the request is invalid."},
			errorShape{http.StatusForbidden, "UnrecognizedClientException", "The security token included in the request is invalid."}),
		resources: []resource{{
			tech:        techBackupVault,
			createdHour: 120,
			arn:         func(s *Server, a *account, i int) string { return s.backupVaultARN(a, i) },
			mutates:     "one more statement in the vault access policy",
		}},
	}
}

func backupVaultName(i int) string { return fmt.Sprintf("sim-backup-%d", i) }

func (s *Server) backupVaultARN(a *account, i int) string {
	return "arn:aws:backup:" + s.itemRegion(i) + ":" + a.id + ":backup-vault:" + backupVaultName(i)
}

func (s *Server) backupListVaults(req *request) (result, *apiError) {
	size, ok := pageSize(req.form.Get("maxResults"), 1000, 1000)
	start, okStart := pageStart(req.form.Get("nextToken"), "bvault")
	if !ok || !okStart {
		return result{}, errf(http.StatusBadRequest, "InvalidParameterValueException", "bad maxResults or nextToken")
	}
	a := req.acct
	vaults, next := regionPage(s, req, techBackupVault, size, start, "bvault", func(i int) map[string]any {
		v := map[string]any{
			"BackupVaultName":        backupVaultName(i),
			"BackupVaultArn":         s.backupVaultARN(a, i),
			"CreationDate":           epochSeconds(s.created(techBackupVault, i)),
			"EncryptionKeyArn":       "arn:aws:kms:" + req.region + ":" + a.id + ":key/sim-backup",
			"CreatorRequestId":       s.resourceID("", 16, hexDigits, "backup/request", a, i),
			"NumberOfRecoveryPoints": i * 2,
			"Locked":                 i%4 == 3,
			"VaultType":              "BACKUP_VAULT",
			"VaultState":             "AVAILABLE",
		}
		if i%4 == 3 {
			v["MinRetentionDays"] = 7
			v["MaxRetentionDays"] = 365
		}
		return v
	})
	out := map[string]any{"BackupVaultList": vaults}
	if next != "" {
		out["NextToken"] = next
	}
	return jsonResult(out), nil
}

func (s *Server) backupGetVaultAccessPolicy(req *request) (result, *apiError) {
	name := req.label("BackupVaultName")
	i, ok := s.itemIndex(req, techBackupVault, name, backupVaultName)
	if !ok {
		return result{}, errf(http.StatusNotFound, "ResourceNotFoundException", "Backup vault %s does not exist", name)
	}
	a := req.acct
	arn := s.backupVaultARN(a, i)
	p := s.resourcePolicy(a, i, a.tech(techBackupVault).generation(i), arn, "backup:CopyIntoBackupVault", false)
	if p == "" {
		return result{}, errf(http.StatusNotFound, "ResourceNotFoundException", "Backup vault %s has no access policy", name)
	}
	return jsonResult(map[string]string{"BackupVaultName": name, "BackupVaultArn": arn, "Policy": p}), nil
}
