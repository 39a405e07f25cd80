package shape_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/change"
	"github.com/secmonkey/monkey/internal/shape"
)

func TestShapes(t *testing.T) {
	t.Parallel()
	s := shape.Object(map[string]shape.Field{
		"Policy": shape.Opt(shape.Nullable(shape.PolicyDocument)),
		"Name":   shape.Req(shape.String),
		"Tags":   shape.Opt(shape.MapOf(shape.Scalar)),
		"Ports":  shape.Opt(shape.ListOf(shape.Number)),
	})
	for _, tc := range []struct {
		cfg, err string
	}{
		{`{"Name":"n"}`, ""},
		{`{"Name":"n","Policy":null,"Tags":{"a":"b","n":1,"t":true,"z":null},"Ports":[1,2]}`, ""},
		{`{"Name":"n","Policy":{"Statement":[{"Effect":"Allow","Principal":{"AWS":["1","2"]},"Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"aws:x":["a"]}}}]}}`, ""},
		{`{"Name":"n","Policy":{"Statement":{"Effect":"Allow","Principal":"*"}}}`, ""},
		{`{}`, "Name: missing"},
		{`{"Name":3}`, "Name: want a string, got the number 3"},
		{`{"Name":"n","Policy":"x"}`, `Policy: want an object, got a string "x"`},
		{`{"Name":"n","Policy":{"Statement":{"Effect":"Allow","Principal":{"AWS":12345}}}}`, "Policy.Statement.Principal: want"},
		{`{"Name":"n","Policy":{"Statement":[{"Effect":"Allow"},{"Action":"s3:*"}]}}`, "Policy.Statement[1].Effect: missing"},
		{`{"Name":"n","Policy":{"Statement":{"Effect":"Allow","Action":[1]}}}`, "Policy.Statement.Action[0]: want a string"},
		{`{"Name":"n","Tags":{"a":{}}}`, "Tags.a: want a string, number, boolean or null, got an object"},
		{`{"Name":"n","Ports":"22"}`, `Ports: want an array, got a string "22"`},
	} {
		cfg, err := change.Decode([]byte(tc.cfg))
		require.NoError(t, err)
		err = shape.Check(s, cfg)
		if tc.err == "" {
			require.NoError(t, err, tc.cfg)
		} else {
			require.ErrorContains(t, err, tc.err, tc.cfg)
		}
	}
}

func FuzzPolicyDocument(f *testing.F) {
	for _, s := range []string{`{"Statement":[]}`, `{"Statement":{"Effect":"Deny","NotPrincipal":{"AWS":"*"}}}`, `{"Version":1}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		var v any
		if json.Unmarshal([]byte(in), &v) != nil {
			return
		}
		_ = shape.PolicyDocument("Policy", v) // never panics, whatever the input
	})
}
