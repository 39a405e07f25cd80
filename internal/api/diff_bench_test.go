package api_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/secmonkey/monkey/internal/api"
)

func bigCfg(version int) []byte {
	m := map[string]any{}
	for i := 0; i < 800; i++ {
		v := fmt.Sprintf("value-%d-%s", i, strings.Repeat("a", 100))
		if version == 1 && i%10 == 0 {
			v = "changed-" + v
		}
		m[fmt.Sprintf("key-%04d", i)] = map[string]any{"value": v, "list": []any{i, i + 1, "x"}}
	}
	out, _ := json.Marshal(m)
	return out
}

func BenchmarkDiffHTML100KB(b *testing.B) {
	old, new := bigCfg(0), bigCfg(1)
	b.SetBytes(int64(len(old) + len(new)))
	for b.Loop() {
		if _, err := api.DiffHTML(old, new); err != nil {
			b.Fatal(err)
		}
	}
}
