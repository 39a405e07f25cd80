package awssim

// tag is a resource tag.
type tag struct{ key, value string }

// writeTagList writes tags in the XML shape of a service:
// <list><item><keyName>k</keyName><valueName>v</valueName></item>…</list>.
// IAM: ("Tags", "member", "Key", "Value"); EC2: ("tagSet", "item", "key",
// "value"); S3: ("TagSet", "Tag", "Key", "Value").
func writeTagList(x *xw, list, item, keyName, valueName string, tags []tag) {
	x.open(list)
	for _, t := range tags {
		x.open(item)
		x.elem(keyName, t.key)
		x.elem(valueName, t.value)
		x.close(item)
	}
	x.close(list)
}

// jsonTags renders tags as the JSON list most services use:
// [{"<keyName>": k, "<valueName>": v}, …] (never null).
func jsonTags(tags []tag, keyName, valueName string) []map[string]string {
	out := make([]map[string]string, len(tags))
	for k, t := range tags {
		out[k] = map[string]string{keyName: t.key, valueName: t.value}
	}
	return out
}

// tagMap renders tags as a JSON object (Lambda, API Gateway, EFS…).
func tagMap(tags []tag) map[string]string {
	out := make(map[string]string, len(tags))
	for _, t := range tags {
		out[t.key] = t.value
	}
	return out
}
