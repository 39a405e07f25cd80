package awssim

import (
	"net/http"
	"strconv"
)

// EBS snapshots: the technology ebssnapshot, DescribeSnapshots and
// DescribeSnapshotAttribute.

const techSnapshot = "ebssnapshot"

// marketplace is the pseudo account of a snapshot shared with the AWS
// Marketplace.
const marketplace = "aws-marketplace"

func ebsSnapshotResource() resource {
	return resource{
		tech: techSnapshot,
		arn: func(s *Server, a *account, k int) string {
			return "arn:aws:ec2:" + s.itemRegion(k) + "::snapshot/" + s.snapshotID(a, k)
		},
		mutates: `one more tag: "sim:mutation" = g (g: the mutation generation)`,
	}
}

func (s *Server) snapshotID(a *account, k int) string {
	return s.indexedID("snap-", "ebssnapshot/id", a, k)
}

// Snapshot variants (k % 6; private past the first 50 but every 20th):
// private; public (createVolumePermission group all); shared with the next
// simulated account; shared with an unknown account; shared with the AWS
// Marketplace (with a product code); shared with an AWS-owned account,
// encrypted and untagged.
func snapshotKind(k int) string {
	if bulkBenign(k) {
		return "private"
	}
	return [...]string{"private", "public", "friendly", "unknown", "marketplace", "thirdparty"}[k%6]
}

func (s *Server) snapshotPermissions(a *account, k int) []string {
	switch snapshotKind(k) {
	case "public":
		return []string{"all"}
	case "friendly":
		return []string{s.nextAccount(a).id}
	case "unknown":
		return []string{unknownAccount}
	case "marketplace":
		return []string{marketplace}
	case "thirdparty":
		return []string{awsOwnedAccount}
	}
	return nil
}

func (s *Server) snapshotProductCode(a *account, k int) string {
	if snapshotKind(k) != "marketplace" {
		return ""
	}
	return s.resourceID("", 25, "abcdefghijklmnopqrstuvwxyz0123456789", "ebssnapshot/product-code", a, k)
}

func snapshotEncrypted(k int) bool { return snapshotKind(k) == "thirdparty" || k%10 == 7 }

func (s *Server) describeSnapshots(req *request) (result, *apiError) {
	a := req.acct
	max, start, aerr := ec2Page(req, "snap")
	if aerr != nil {
		return result{}, aerr
	}
	own, amazon := ownerSelection(req)
	r := s.regionIndex(req.region)
	x := newXWSize(max * 700)
	x.open("snapshotSet")
	if amazon && start == 0 {
		for n := range 2 {
			x.open("item")
			x.elem("snapshotId", "snap-"+idString(s.h(salt("ebssnapshot/amazon"), uint64(n)), 17, hexDigits))
			x.elem("volumeId", "vol-ffffffff")
			x.elem("status", "completed")
			x.elemTime("startTime", s.epoch)
			x.elem("progress", "100%")
			x.elem("ownerId", amazonOwner)
			x.elem("ownerAlias", "amazon")
			x.elemInt("volumeSize", 8)
			x.elem("description", "public Amazon snapshot "+strconv.Itoa(n))
			x.elemBool("encrypted", false)
			x.close("item")
		}
	}
	var next int
	var more bool
	if own {
		ts := a.tech(techSnapshot)
		count := 0
		next, more = s.regionItems(ts, r, start, nil, func(k int) bool {
			if count == max {
				return false
			}
			s.writeSnapshot(x, a, k, req.region, ts.generation(k))
			count++
			return true
		})
	}
	x.close("snapshotSet")
	if more {
		x.elem("nextToken", pageToken("snap", next))
	}
	return xmlResult(x), nil
}

func (s *Server) writeSnapshot(x *xw, a *account, k int, region string, gen int) {
	kind := snapshotKind(k)
	x.open("item")
	x.elem("snapshotId", s.snapshotID(a, k))
	x.elem("volumeId", s.volumeID(a, k))
	x.elem("status", "completed")
	x.elemTime("startTime", s.created(techSnapshot, k))
	x.elem("progress", "100%")
	x.elem("ownerId", a.id)
	x.elemInt("volumeSize", 8*(1+k%4))
	x.elem("description", "simulated "+kind+" snapshot")
	x.elemBool("encrypted", snapshotEncrypted(k))
	if snapshotEncrypted(k) {
		x.elem("kmsKeyId", "arn:aws:kms:"+region+":"+a.id+":key/"+s.resourceID("", 32, hexDigits, "ebssnapshot/kms", a, k%3))
	}
	x.elem("storageTier", "standard")
	var tags []tag
	if kind != "thirdparty" && k%3 != 2 {
		tags = append(tags, tag{"Name", "backup-" + strconv.Itoa(k)})
	}
	if gen > 0 {
		tags = append(tags, tag{"sim:mutation", strconv.Itoa(gen)})
	}
	if len(tags) > 0 {
		writeTagList(x, "tagSet", "item", "key", "value", tags)
	}
	x.close("item")
}

func (s *Server) describeSnapshotAttribute(req *request) (result, *apiError) {
	a := req.acct
	id, attr := req.form.Get("SnapshotId"), req.form.Get("Attribute")
	if attr != "createVolumePermission" && attr != "productCodes" {
		return result{}, errf(http.StatusBadRequest, "InvalidParameterValue", "Value (%s) for parameter attribute is invalid. Unknown attribute.", attr)
	}
	k := s.indexOfID("snap-", "ebssnapshot/id", a, id)
	if k < 0 || !a.tech(techSnapshot).exists(k) || s.itemRegion(k) != req.region {
		if len(id) != 22 {
			return result{}, errf(http.StatusBadRequest, "InvalidParameterValue", "Value (%s) for parameter snapshotId is invalid. Expected: 'snap-...'.", id)
		}
		return result{}, errf(http.StatusBadRequest, "InvalidSnapshot.NotFound", "The snapshot '%s' does not exist.", id)
	}
	x := newXWSize(512)
	x.elem("snapshotId", id)
	if attr == "createVolumePermission" {
		x.open("createVolumePermission")
		for _, p := range s.snapshotPermissions(a, k) {
			x.open("item")
			if p == "all" {
				x.elem("group", p)
			} else {
				x.elem("userId", p)
			}
			x.close("item")
		}
		x.close("createVolumePermission")
	} else {
		x.open("productCodes")
		if pc := s.snapshotProductCode(a, k); pc != "" {
			x.open("item")
			x.elem("productCode", pc)
			x.elem("type", "marketplace")
			x.close("item")
		}
		x.close("productCodes")
	}
	return xmlResult(x), nil
}
