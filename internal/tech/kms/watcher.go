package kms

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	"golang.org/x/sync/errgroup"

	"github.com/secmonkey/monkey/internal/awsclient"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/watch"
)

// kmsAPI lists the KMS calls the watcher makes.
type kmsAPI interface {
	ListKeys(ctx context.Context, in *kms.ListKeysInput, optFns ...func(*kms.Options)) (*kms.ListKeysOutput, error)
	ListAliases(ctx context.Context, in *kms.ListAliasesInput, optFns ...func(*kms.Options)) (*kms.ListAliasesOutput, error)
	DescribeKey(ctx context.Context, in *kms.DescribeKeyInput, optFns ...func(*kms.Options)) (*kms.DescribeKeyOutput, error)
	ListGrants(ctx context.Context, in *kms.ListGrantsInput, optFns ...func(*kms.Options)) (*kms.ListGrantsOutput, error)
	GetKeyPolicy(ctx context.Context, in *kms.GetKeyPolicyInput, optFns ...func(*kms.Options)) (*kms.GetKeyPolicyOutput, error)
	GetKeyRotationStatus(ctx context.Context, in *kms.GetKeyRotationStatusInput, optFns ...func(*kms.Options)) (*kms.GetKeyRotationStatusOutput, error)
}

// Watcher collects the keys of every region: ListAliases (pages of 100)
// once, then ListKeys in pages of 1,000 and per key DescribeKey followed by
// ListGrants, GetKeyPolicy(default) and GetKeyRotationStatus at once. The
// policy is read by its name "default" without ListKeyPolicies (the only
// key policy name KMS has); an AWS-managed key (alias/aws/…) always rotates
// and is not asked. A key whose DescribeKey is denied is stored as the
// reference's "Unauthorized" stub.
type Watcher struct {
	newClient   func(aws.Config) kmsAPI
	concurrency int
}

// NewWatcher returns the kms watcher.
func NewWatcher() *Watcher {
	return &Watcher{newClient: func(c aws.Config) kmsAPI { return kms.NewFromConfig(c) }, concurrency: 16}
}

// Technology implements watch.Watcher.
func (w *Watcher) Technology() monkey.Technology { return Technology }

// Collect implements watch.Watcher.
func (w *Watcher) Collect(ctx context.Context, scope watch.Scope) (watch.Result, error) {
	sess, err := awsclient.SessionOf(scope)
	if err != nil {
		return watch.Result{}, err
	}
	c := watch.NewCollector(scope, Technology)
	acct := scope.Account.Identifier
	awsclient.EachRegion(ctx, scope, c, func(ctx context.Context, cfg aws.Config, region string) error {
		client := w.newClient(cfg)
		aliases := map[string][]string{}
		ap := kms.NewListAliasesPaginator(client, &kms.ListAliasesInput{Limit: aws.Int32(100)})
		for ap.HasMorePages() {
			page, err := ap.NextPage(ctx)
			if err != nil {
				return fmt.Errorf("collect kms %s/%s: list aliases: %w", acct, region, err)
			}
			for _, a := range page.Aliases {
				if id := aws.ToString(a.TargetKeyId); id != "" {
					aliases[id] = append(aliases[id], aws.ToString(a.AliasName))
				}
			}
		}
		kp := kms.NewListKeysPaginator(client, &kms.ListKeysInput{Limit: aws.Int32(1000)})
		err := watch.Paginate(ctx, kp.HasMorePages, func(ctx context.Context) (*kms.ListKeysOutput, error) {
			return kp.NextPage(ctx)
		}, func(page *kms.ListKeysOutput) error {
			var keys []key
			for _, k := range page.Keys {
				id := aws.ToString(k.KeyId)
				kk := key{id: id, aliases: aliases[id]}
				if !scope.Ignored(kk.name()) {
					keys = append(keys, kk)
				}
			}
			return watch.Parallel(ctx, w.concurrency, keys, func(ctx context.Context, k key) {
				cfg, err := describe(ctx, client, k)
				if err != nil {
					c.Fail(region, k.name(), fmt.Errorf("collect kms %s/%s/%s: %w", acct, region, k.id, err))
					return
				}
				if cfg == nil {
					cfg = stub(k, sess.Partition, region, acct)
				}
				c.Emit(region, k.name(), cfg["Arn"].(string), cfg)
			})
		})
		if err != nil {
			return fmt.Errorf("collect kms %s/%s: list keys: %w", acct, region, err)
		}
		return nil
	})
	return c.Result(), nil
}

// key is a listed key with the aliases targeting it.
type key struct {
	id      string
	aliases []string
}

// name is "<first alias without alias/> (<KeyId>)" or "[No Aliases] (<KeyId>)".
func (k key) name() string {
	if len(k.aliases) == 0 {
		return "[No Aliases] (" + k.id + ")"
	}
	return strings.TrimPrefix(k.aliases[0], "alias/") + " (" + k.id + ")"
}

func (k key) awsManaged() bool {
	return len(k.aliases) > 0 && strings.HasPrefix(k.aliases[0], "alias/aws/")
}

// describe returns the normalised key, or nil when DescribeKey is denied.
func describe(ctx context.Context, client kmsAPI, k key) (monkey.Config, error) {
	id := aws.String(k.id)
	d, err := client.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: id})
	if awsclient.ErrorCode(err) == "AccessDeniedException" {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("describe key: %w", err)
	}
	r := raw{Metadata: d.KeyMetadata, Aliases: k.aliases, Rotation: true}
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		p := kms.NewListGrantsPaginator(client, &kms.ListGrantsInput{KeyId: id, Limit: aws.Int32(100)})
		for p.HasMorePages() {
			out, err := p.NextPage(gctx)
			if err != nil {
				return fmt.Errorf("list grants: %w", err)
			}
			r.Grants = append(r.Grants, out.Grants...)
		}
		return nil
	})
	g.Go(func() error {
		out, err := client.GetKeyPolicy(gctx, &kms.GetKeyPolicyInput{KeyId: id, PolicyName: aws.String("default")})
		if err != nil {
			return fmt.Errorf("get key policy: %w", err)
		}
		r.Policies = []string{aws.ToString(out.Policy)}
		return nil
	})
	if !k.awsManaged() {
		g.Go(func() error {
			out, err := client.GetKeyRotationStatus(gctx, &kms.GetKeyRotationStatusInput{KeyId: id})
			if err != nil {
				return fmt.Errorf("get key rotation status: %w", err)
			}
			r.Rotation = out.KeyRotationEnabled
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return normalize(&r)
}

// raw is what the KMS calls return for one key.
type raw struct {
	Metadata *types.KeyMetadata
	Aliases  []string
	Policies []string
	Grants   []types.GrantListEntry
	Rotation bool
}
