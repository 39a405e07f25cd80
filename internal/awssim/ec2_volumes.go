package awssim

import (
	"strconv"
	"time"
)

// EBS volumes: the technology ebsvolume and DescribeVolumes (5..500 a
// page).

const techVolume = "ebsvolume"

func ebsVolumeResource() resource {
	return resource{
		tech: techVolume,
		arn: func(s *Server, a *account, k int) string {
			return "arn:aws:ec2:" + s.itemRegion(k) + ":" + a.id + ":volume/" + s.volumeID(a, k)
		},
		mutates: "the volume grows by g GiB (g: the mutation generation)",
	}
}

func (s *Server) volumeID(a *account, k int) string {
	return s.resourceID("vol-", 17, hexDigits, "ebsvolume/id", a, k)
}

// volumeAttached: three volumes in four are attached to the instance of the
// same index (which lives in the same region).
func volumeAttached(k int) bool { return k%4 != 3 }

func (s *Server) describeVolumes(req *request) (result, *apiError) {
	a := req.acct
	max, start, aerr := ec2PageMax(req, "vol", 500)
	if aerr != nil {
		return result{}, aerr
	}
	r := s.regionIndex(req.region)
	ts := a.tech(techVolume)
	x := newXWSize(max * 800)
	x.open("volumeSet")
	count := 0
	next, more := s.regionItems(ts, r, start, nil, func(k int) bool {
		if count == max {
			return false
		}
		s.writeVolume(x, a, k, req.region, ts.generation(k))
		count++
		return true
	})
	x.close("volumeSet")
	if more {
		x.elem("nextToken", pageToken("vol", next))
	}
	return xmlResult(x), nil
}

func (s *Server) writeVolume(x *xw, a *account, k int, region string, gen int) {
	id := s.volumeID(a, k)
	created := s.created(techVolume, k)
	x.open("item")
	x.elem("volumeId", id)
	x.elemInt("size", 8*(1+k%4)+gen)
	if k%3 == 1 {
		x.elem("snapshotId", s.resourceID("snap-", 17, hexDigits, "ebsvolume/snapshot", a, k))
	} else {
		x.raw("<snapshotId/>")
	}
	x.elem("availabilityZone", zone(region, k/len(s.opts.Regions)))
	x.open("attachmentSet")
	status := "available"
	if volumeAttached(k) {
		status = "in-use"
		x.open("item")
		x.elem("volumeId", id)
		x.elem("instanceId", s.instanceID(a.idx, k))
		x.elem("device", [...]string{"/dev/xvda", "/dev/sdf", "/dev/sdg"}[k%3])
		x.elem("status", "attached")
		x.elemTime("attachTime", created.Add(90*time.Second))
		x.elemBool("deleteOnTermination", k%3 == 0)
		x.close("item")
	}
	x.close("attachmentSet")
	x.elem("status", status)
	x.elemTime("createTime", created)
	x.elem("volumeType", [...]string{"gp3", "gp2", "io1", "standard"}[k%4])
	if k%4 == 2 {
		x.elemInt("iops", 3000)
	}
	encrypted := k%5 == 2
	x.elemBool("encrypted", encrypted)
	if encrypted {
		x.elem("kmsKeyId", "arn:aws:kms:"+region+":"+a.id+":key/"+s.resourceID("", 32, hexDigits, "ebsvolume/kms", a, k%3))
	}
	x.elemBool("multiAttachEnabled", false)
	if k%2 == 0 {
		writeTagList(x, "tagSet", "item", "key", "value", []tag{{"Name", "data-" + strconv.Itoa(k)}})
	}
	x.close("item")
}
