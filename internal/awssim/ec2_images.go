package awssim

import (
	"net/http"
	"slices"
	"strconv"
)

// EC2 images (AMIs): the technology ec2image, DescribeImages and
// DescribeImageAttribute.

const techImage = "ec2image"

// awsOwnedAccount is an AWS-owned account (ELB access logs, us-east-1),
// which the auditors classify as third party (spec/data/aws_accounts.json).
const awsOwnedAccount = "127311923021"

// amazonOwner is the owner of the public Amazon images and snapshots that
// a listing without an owner selection also returns.
const amazonOwner = "137112412989"

func ec2ImageResource() resource {
	return resource{
		tech: techImage,
		arn: func(s *Server, a *account, k int) string {
			return "arn:aws:ec2:" + s.itemRegion(k) + "::image/" + s.imageID(a, k)
		},
		mutates: `one more tag: "sim:mutation" = g (g: the mutation generation)`,
	}
}

func (s *Server) imageID(a *account, k int) string { return s.indexedID("ami-", "ec2image/id", a, k) }

// Image variants (k % 6), all but private only among the first 50 images
// and every 20th after (bulkBenign): private; public (isPublic and launch
// permission group all); shared with the next simulated account; shared
// with an unknown account; shared with an AWS-owned (third-party) account;
// a private paravirtual marketplace image with kernel, ramdisk and a
// product code.
func imageKind(k int) string {
	if bulkBenign(k) {
		return "private"
	}
	return [...]string{"private", "public", "friendly", "unknown", "thirdparty", "paravirtual"}[k%6]
}

// imageLaunchPermissions are the launch permissions of image k: "all" for
// the group, account ids otherwise.
func (s *Server) imageLaunchPermissions(a *account, k int) []string {
	switch imageKind(k) {
	case "public":
		return []string{"all"}
	case "friendly":
		return []string{s.nextAccount(a).id}
	case "unknown":
		return []string{unknownAccount}
	case "thirdparty":
		return []string{awsOwnedAccount}
	}
	return nil
}

func (s *Server) imageProductCode(a *account, k int) string {
	if imageKind(k) != "paravirtual" {
		return ""
	}
	return s.resourceID("", 25, "abcdefghijklmnopqrstuvwxyz0123456789", "ec2image/product-code", a, k)
}

// ownerSelection reads the Owner.N parameters and the owner-id filter of
// DescribeImages / DescribeSnapshots: whether the caller's own resources
// and the public Amazon ones are selected. Without any selection both are.
func ownerSelection(req *request) (own, amazon bool) {
	owners := ec2List(req, "Owner")
	ids, filtered := ec2Filters(req)["owner-id"]
	if len(owners) == 0 && !filtered {
		return true, true
	}
	for _, o := range append(owners, ids...) {
		switch o {
		case "self", req.acct.id:
			own = true
		case "amazon", amazonOwner:
			amazon = true
		}
	}
	return own, amazon
}

func (s *Server) describeImages(req *request) (result, *apiError) {
	a := req.acct
	max, start, aerr := ec2Page(req, "ami")
	if aerr != nil {
		return result{}, aerr
	}
	own, amazon := ownerSelection(req)
	r := s.regionIndex(req.region)
	x := newXWSize(max * 1500)
	x.open("imagesSet")
	if amazon && start == 0 {
		for n := range 2 {
			s.writeAmazonImage(x, req.region, n)
		}
	}
	var next int
	var more bool
	if own {
		ts := a.tech(techImage)
		count := 0
		next, more = s.regionItems(ts, r, start, nil, func(k int) bool {
			if count == max {
				return false
			}
			s.writeImage(x, a, k, req.region, ts.generation(k))
			count++
			return true
		})
	}
	x.close("imagesSet")
	if more {
		x.elem("nextToken", pageToken("ami", next))
	}
	return xmlResult(x), nil
}

func (s *Server) writeAmazonImage(x *xw, region string, n int) {
	x.open("item")
	x.elem("imageId", "ami-"+idString(s.h(salt("ec2image/amazon"), uint64(n)), 17, hexDigits))
	x.elem("imageLocation", "amazon/al2023-ami-sim-"+strconv.Itoa(n))
	x.elem("imageState", "available")
	x.elem("imageOwnerId", amazonOwner)
	x.elem("imageOwnerAlias", "amazon")
	x.elemBool("isPublic", true)
	x.elem("architecture", "x86_64")
	x.elem("imageType", "machine")
	x.elem("name", "al2023-ami-sim-"+strconv.Itoa(n)+"-"+region)
	x.elem("rootDeviceType", "ebs")
	x.elem("virtualizationType", "hvm")
	x.close("item")
}

func (s *Server) writeImage(x *xw, a *account, k int, region string, gen int) {
	kind := imageKind(k)
	name := "sim-" + kind + "-" + strconv.Itoa(k)
	para := kind == "paravirtual"
	root := "/dev/xvda"
	if para {
		root = "/dev/sda1"
	}
	x.open("item")
	x.elem("imageId", s.imageID(a, k))
	x.elem("imageLocation", a.id+"/"+name)
	x.elem("imageState", "available")
	x.elem("imageOwnerId", a.id)
	x.elem("creationDate", s.created(techImage, k).UTC().Format("2006-01-02T15:04:05.000Z"))
	x.elemBool("isPublic", kind == "public")
	if pc := s.imageProductCode(a, k); pc != "" {
		x.open("productCodes")
		x.open("item")
		x.elem("productCode", pc)
		x.elem("type", "marketplace")
		x.close("item")
		x.close("productCodes")
	}
	x.elem("architecture", [...]string{"x86_64", "x86_64", "x86_64", "arm64"}[k%4])
	x.elem("imageType", "machine")
	if para {
		x.elem("kernelId", s.resourceID("aki-", 8, hexDigits, "ec2image/kernel", a, k))
		x.elem("ramdiskId", s.resourceID("ari-", 8, hexDigits, "ec2image/ramdisk", a, k))
	}
	x.elem("platformDetails", "Linux/UNIX")
	x.elem("usageOperation", "RunInstances")
	x.elem("name", name)
	x.elem("description", "simulated "+kind+" image")
	x.elem("rootDeviceType", "ebs")
	x.elem("rootDeviceName", root)
	x.open("blockDeviceMapping")
	x.open("item")
	x.elem("deviceName", root)
	x.open("ebs")
	x.elem("snapshotId", s.resourceID("snap-", 17, hexDigits, "ec2image/snapshot", a, k))
	x.elemInt("volumeSize", 8)
	x.elemBool("deleteOnTermination", true)
	x.elem("volumeType", "gp3")
	x.elemBool("encrypted", false)
	x.close("ebs")
	x.close("item")
	x.close("blockDeviceMapping")
	if para {
		x.elem("virtualizationType", "paravirtual")
	} else {
		x.elem("virtualizationType", "hvm")
		x.elemBool("enaSupport", true)
		x.elem("sriovNetSupport", "simple")
	}
	var tags []tag
	if k%2 == 0 {
		tags = append(tags, tag{"Name", name})
	}
	if gen > 0 {
		tags = append(tags, tag{"sim:mutation", strconv.Itoa(gen)})
	}
	if len(tags) > 0 {
		writeTagList(x, "tagSet", "item", "key", "value", tags)
	}
	x.elem("hypervisor", "xen")
	x.close("item")
}

// imageAttributes are the attributes DescribeImageAttribute serves.
var imageAttributes = []string{"description", "kernel", "ramdisk", "launchPermission", "productCodes"}

func (s *Server) describeImageAttribute(req *request) (result, *apiError) {
	a := req.acct
	id, attr := req.form.Get("ImageId"), req.form.Get("Attribute")
	if !slices.Contains(imageAttributes, attr) {
		return result{}, errf(http.StatusBadRequest, "InvalidParameterValue", "Value (%s) for parameter attribute is invalid. Unknown attribute.", attr)
	}
	k := s.indexOfID("ami-", "ec2image/id", a, id)
	if k < 0 || !a.tech(techImage).exists(k) || s.itemRegion(k) != req.region {
		if len(id) != 21 {
			return result{}, errf(http.StatusBadRequest, "InvalidAMIID.Malformed", "Invalid id: \"%s\"", id)
		}
		return result{}, errf(http.StatusBadRequest, "InvalidAMIID.NotFound", "The image id '[%s]' does not exist", id)
	}
	x := newXWSize(512)
	x.elem("imageId", id)
	switch attr {
	case "launchPermission":
		x.open("launchPermission")
		for _, p := range s.imageLaunchPermissions(a, k) {
			x.open("item")
			if p == "all" {
				x.elem("group", p)
			} else {
				x.elem("userId", p)
			}
			x.close("item")
		}
		x.close("launchPermission")
	case "productCodes":
		x.open("productCodes")
		if pc := s.imageProductCode(a, k); pc != "" {
			x.raw("<item>")
			x.elem("productCode", pc)
			x.elem("type", "marketplace")
			x.raw("</item>")
		}
		x.close("productCodes")
	case "kernel", "ramdisk":
		x.open(attr)
		if imageKind(k) == "paravirtual" {
			prefix := map[string]string{"kernel": "aki-", "ramdisk": "ari-"}[attr]
			x.elem("value", s.resourceID(prefix, 8, hexDigits, "ec2image/"+attr, a, k))
		}
		x.close(attr)
	case "description":
		x.open("description")
		x.elem("value", "simulated "+imageKind(k)+" image")
		x.close("description")
	}
	return xmlResult(x), nil
}
