package enqueue_test

import (
	"context"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/broker"
	"github.com/secmonkey/monkey/internal/enqueue"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/store/storetest"
)

func TestEnqueueOncePerPair(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := storetest.New(t, "sqlite")
	acct := monkey.Account{Type: "AWS", Name: "prod", Identifier: "111111111111", Active: true}
	require.NoError(t, st.CreateAccount(ctx, &acct))
	b, err := broker.NewEmbedded(broker.Config{}, slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	defer func() { _ = b.Close() }()
	techs := []monkey.Technology{{Index: "s3", Cloud: "AWS"}, {Index: "iamrole", Cloud: "AWS"}}
	svc, err := enqueue.New(st, b, techs)
	require.NoError(t, err)

	r, err := svc.Enqueue(ctx, enqueue.Request{Technologies: []string{"s3"}})
	require.NoError(t, err)
	require.Len(t, r.Enqueued, 1)
	r, err = svc.Enqueue(ctx, enqueue.Request{})
	require.NoError(t, err)
	require.Len(t, r.Enqueued, 1, "iamrole")
	require.Len(t, r.Queued, 1, "s3 is waiting already")
	require.Equal(t, 1, r.Duplicates())

	_, err = svc.Enqueue(ctx, enqueue.Request{Accounts: []string{"nope"}})
	require.Equal(t, monkey.ENOTFOUND, monkey.ErrorCode(err))
	_, err = svc.Enqueue(ctx, enqueue.Request{Technologies: []string{"nosuch"}})
	require.Equal(t, monkey.EINVALID, monkey.ErrorCode(err))
}
