// Package awssim is a simulated AWS endpoint for tests, benchmarks and the
// demo. The real aws-sdk-go-v2 clients talk HTTP to it: set the SDK's
// BaseEndpoint (or AWS_ENDPOINT_URL) to the URL returned by Server.Start and,
// for S3, UsePathStyle = true.
//
// # Structure
//
// A simulated service is a descriptor (service.go): its SigV4 signing name,
// its wire protocol with the protocol's parameters (XML namespace, JSON
// target prefix), its operation table, its throttling, access-denied and
// unknown-operation errors, and the technologies it serves. builtinServices
// is the one list of services. Everything else is generic over descriptors:
//
//   - handler.go routes a request by the service of its credential scope,
//     lets the service's protocol read it, counts the call, applies the
//     faults, runs the operation under the state lock and lets the protocol
//     render the result or the error.
//   - protocol_query.go (awsQuery), protocol_ec2.go (ec2Query),
//     protocol_restxml.go (REST-XML), protocol_json.go (awsJson 1.0/1.1 and
//     REST-JSON), protocol_cbor.go (Smithy RPC v2 CBOR): each wire protocol,
//     written once; protocol_rest.go routes the REST protocols by method
//     and path pattern.
//   - state.go: the accounts and the per-technology state, keyed by
//     technology index; Mutate, Delete, Create; regional helpers.
//   - control.go: faults, call counters and the control API; server.go:
//     options, lifecycle, HTTP timeouts.
//   - ids.go, paging.go, tags.go, xmlw.go: deterministic ids and dates, page
//     tokens, tags, the hand-written XML writer.
//   - One file per service: sts.go, iam.go (+ iam_data.go, its seed
//     catalogue), ec2.go, s3.go, cloudwatch.go. Each holds its descriptor,
//     its operations and the generators of its technologies.
//
// # Routing and protocols
//
// One HTTP endpoint serves every service. A request is routed by the SigV4
// Authorization header (or X-Amz-Credential of a presigned URL):
// Credential=<AKID>/<date>/<region>/<service>/aws4_request gives the region
// and the service (the signing name). Signatures are not verified. Each
// service answers in the wire protocol the SDK version in go.mod uses:
//
//   - sts, iam: awsQuery (form body, Action=…; XML <Op>Response/<Op>Result;
//     errors as <ErrorResponse><Error><Type/><Code/><Message/>).
//   - ec2: ec2Query (form body; lower-camel XML with <item> lists; errors as
//     <Response><Errors><Error>).
//   - s3: REST-XML, path-style only (/bucket?acl …; errors as <Error>).
//   - monitoring (CloudWatch): Smithy RPC v2 CBOR
//     (POST /service/GraniteServiceVersion20100801/operation/<Op>), gzip
//     request bodies accepted, query-compatible error header X-Amzn-Query-Error.
//   - awsJson 1.0 / 1.1 (X-Amz-Target: <prefix>.<Op>, errors as
//     {"__type","message"} with X-Amzn-ErrorType, X-Amzn-Query-Error for
//     query-compatible services such as SQS) and REST-JSON (routes with path
//     labels, errors with X-Amzn-ErrorType) are ready for the services that
//     speak them; protocol_test.go drives them with the kms, sqs and lambda
//     SDK clients.
//
// Requests without SigV4 credentials get MissingAuthenticationToken (403);
// a service that is not simulated gets UnknownService (400), both in a
// protocol guessed from the request.
//
// # Accounts and credentials
//
// Options.Accounts accounts get deterministic 12-digit ids derived from
// Options.Seed (Server.AccountIDs, GET /_sim/accounts). Any access key that
// was not issued by the simulator (e.g. AKID "test") acts in the FIRST
// account and may call STS. sts:AssumeRole on arn:aws:iam::<id>:role/<any
// name> of a simulated account returns temporary credentials whose AKID is
// "ASIA" + <account id> + 4 random characters; requests signed with such a
// key act in that account (the session token carries the role and session
// names for GetCallerIdentity). AssumeRole into any other account answers
// AccessDenied; an ASIA key naming an unknown account answers
// InvalidClientTokenId.
//
// Regions: Options.Regions (default us-east-1, us-west-2, eu-west-1) are
// enabled ("opt-in-not-required"); Options.OptInRegions (default af-south-1)
// are listed by DescribeRegions only with AllRegions=true or an explicit
// RegionName, as "not-opted-in". EC2 calls in an opt-in region answer
// OptInRequired (401); in an unknown region AuthFailure (401).
//
// # Operations
//
//   - STS: AssumeRole, GetCallerIdentity.
//   - IAM: GetAccountAuthorizationDetails (Filter; Marker/MaxItems paging,
//     default 100, max 1000; documents URL-encoded as IAM does), ListUsers,
//     GetGroup, ListAccessKeys, GetAccessKeyLastUsed, ListMFADevices,
//     GetLoginProfile (NoSuchEntity when none), ListSigningCertificates,
//     ListEntitiesForPolicy (not paged: everything in one reply),
//     GenerateCredentialReport (STARTED the first time, then COMPLETE),
//     GetCredentialReport (ReportNotPresent before the first generate; CSV,
//     base64 in the XML).
//   - EC2: DescribeRegions (AllRegions, RegionName.N), DescribeSecurityGroups,
//     DescribeInstances, DescribeImages, DescribeSnapshots,
//     DescribeNetworkInterfaces, DescribeTags (NextToken/MaxResults 5..1000;
//     without MaxResults a page holds 1000 items and a NextToken follows,
//     unlike AWS, which returns everything), DescribeVolumes (5..500),
//     DescribeAddresses and DescribeKeyPairs (everything in one reply, as in
//     AWS), DescribeImageAttribute (launchPermission, productCodes, kernel,
//     ramdisk, description; InvalidAMIID.NotFound), DescribeSnapshotAttribute
//     (createVolumePermission, productCodes; InvalidSnapshot.NotFound).
//     DescribeImages and DescribeSnapshots honour the owner selection
//     (Owner.N "self", the account id or "amazon", filter owner-id): without
//     one, two public Amazon images/snapshots precede the account's own.
//     DescribeTags serves instance tags only, filtered by resource-id, key
//     and resource-type. Other filters and ids are ignored.
//   - S3: ListBuckets (Owner, BucketRegion; max-buckets/continuation-token,
//     prefix), HeadBucket, GetBucketLocation, GetBucketAcl, GetBucketPolicy,
//     GetBucketLifecycleConfiguration, GetBucketLogging, GetBucketTagging,
//     GetBucketVersioning, GetBucketWebsite, GetBucketCors,
//     GetBucketNotificationConfiguration, GetBucketAccelerateConfiguration,
//     GetBucketReplication, ListBucket{Analytics,Metrics,Inventory}Configurations.
//     A bucket of another simulated account answers AccessDenied; bucket
//     regions are not enforced (no PermanentRedirect).
//   - CloudWatch: PutMetricData; every datum is recorded (one record per
//     Value, per element of Values, or the Sum of StatisticValues).
//   - Classic ELB (elb.go): DescribeLoadBalancers (PageSize 1..400, default
//     400, Marker/NextMarker), DescribeLoadBalancerAttributes,
//     DescribeLoadBalancerPolicies, DescribeTags (1..20 names);
//     LoadBalancerNotFound and PolicyNotFound (400).
//   - ELBv2 (elbv2.go): DescribeLoadBalancers, DescribeTargetGroups (of the
//     region, or of one LoadBalancerArn), DescribeListeners, DescribeRules
//     (PageSize 1..400, Marker/NextMarker), DescribeLoadBalancerAttributes,
//     DescribeTargetGroupAttributes, DescribeTargetHealth, DescribeTags
//     (1..20 ARNs); LoadBalancerNotFound, ListenerNotFound,
//     TargetGroupNotFound (400). ELB and ELBv2 share the signing name
//     elasticloadbalancing: a request goes to the one whose API version is
//     its Version parameter (service.apiVersion); their service ids are
//     elasticloadbalancing and elasticloadbalancingv2.
//   - RDS (rds.go, rds_*.go): DescribeDBInstances, DescribeDBClusters,
//     DescribeDBSecurityGroups, DescribeDBSnapshots, DescribeDBClusterSnapshots,
//     DescribeDBSubnetGroups (regional; MaxRecords 20..100, default 100,
//     Marker; filters ignored) and DescribeDBSnapshotAttributes
//     (DBSnapshotNotFound 404 for an unknown snapshot).
//   - EC2 VPC networking (ec2_vpcs.go and the ec2_<technology>.go files of
//     subnet, routetable, networkacl, dhcp, peering, endpoint, flowlog,
//     natgateway, vpn, virtual_gateway): DescribeVpcs, DescribeSubnets,
//     DescribeDhcpOptions, DescribeVpcPeeringConnections,
//     DescribeVpcEndpoints, DescribeFlowLogs, DescribeNatGateways,
//     DescribeInternetGateways (MaxResults 5..1000), DescribeRouteTables and
//     DescribeNetworkAcls (5..100), DescribeVpnConnections and
//     DescribeVpnGateways (everything in one reply), DescribeVpcAttribute
//     (enableDnsSupport, enableDnsHostnames; InvalidVpcID.NotFound).
//   - Direct Connect (directconnect.go, awsJson 1.1): DescribeConnections
//     (everything in one reply, or pages of maxResults ≤ 100; connectionId).
//
// Anything else is the service's unknown-operation error, never an empty
// success: InvalidAction (400) for IAM, STS, EC2 and RDS, NotImplemented (501) for
// S3, UnknownOperationException (404) for CloudWatch.
//
// # Seeded state
//
// Each account holds Options.Items resources of each technology
// (Technologies lists them),
// plus three AWS managed policies (AdministratorAccess, ReadOnlyAccess,
// SecurityAudit). A resource is a pure function of (seed, account,
// technology, index, mutation generation); the server stores only
// deletions, mutation generations and the number of indices, so 100,000
// items per technology cost almost nothing and responses are written by a
// hand-written XML encoder (a 1000-item page serialises in a few
// milliseconds; see the benchmarks). Index i determines the flavour, so
// every account mixes secure and insecure resources:
//
//   - Roles (i%5): trust for ec2.amazonaws.com, the same account, the next
//     simulated account, an unknown account (444455556666), or "*". One
//     inline policy (i%7): admin "*", iam:*, iam:PassRole, NotAction,
//     NotResource, ec2:AuthorizeSecurityGroupIngress, read-only. Some have a
//     customer managed policy, AdministratorAccess or ReadOnlyAccess attached,
//     an instance profile (even i), tags (i%3 != 2).
//   - Users (i%4 keys): one fresh used key; an old (400 days) never-used
//     active key + an inactive key; no key; an old used key + a fresh unused
//     key. Login profile when i%3 != 2, MFA when i%3 == 0 (so i%3 == 1 is a
//     console user without MFA); signing certificate when i%5 == 4; inline
//     policy when i%3 == 1; even users are group members.
//   - Groups: inline policy when i%3 == 0, customer managed policy on even
//     groups, AdministratorAccess when i%4 == 1.
//   - Customer managed policies: one of the seven statements above, versions
//     v1..vN (N = 1 + mutations), AttachmentCount computed from the principals.
//   - Buckets (i%5): public (AllUsers READ + policy Principal "*", tags);
//     logs (LogDelivery WRITE/READ_ACP, logging); versioned (versioning,
//     logging, tags, deny-insecure-transport policy); authread
//     (AuthenticatedUsers READ, cross-account grant and policy, versioning
//     Suspended); private (a lifecycle rule). Every ACL has owner FULL_CONTROL.
//     Bucket i lives in Regions[i % len(Regions)]; us-east-1 buckets return an
//     empty location constraint, every other eu-west-1 bucket the legacy "EU".
//   - Security groups (i%6), group i in Regions[i % len(Regions)]: 22 open to
//     0.0.0.0/0; 443 to 0.0.0.0/0 and ::/0 plus 80 to ::/0; 3306 from private
//     CIDRs; 443 from the same-index group of the next simulated account; a
//     self reference plus ICMP from 192.168.0.0/16; an EC2-Classic group (no
//     VPC, no egress) with udp 53 open. VPC groups allow all egress.
//   - Instances (ec2instance), instance k in Regions[k % R]: the m-th
//     instance of a region (m = k / R) runs in the group of local index
//     m - m%3 of that region, so a third of the groups hold up to three
//     instances and the others none (securitygroup's assigned_to reads the
//     same DescribeInstances). Every fifth is stopped, every other running
//     one has a public address, every seventh has no tags (else Name and
//     env), instances of EC2-Classic groups have no VPC.
//   - Images (ec2image, k%6): private; public (isPublic, launch permission
//     group all); shared with the next simulated account; with an unknown
//     account (444455556666); with an AWS-owned account (127311923021, third
//     party); a private paravirtual marketplace image (kernel, ramdisk,
//     product code). Past index 50 only every 20th image is not private.
//   - Snapshots (ebssnapshot, k%6): private; public (createVolumePermission
//     group all); shared with the next account; with 444455556666; with
//     aws-marketplace (and a product code); with 127311923021 (encrypted,
//     untagged). Past index 50 only every 20th snapshot is not private.
//   - Volumes (ebsvolume): three in four attached to the instance of the
//     same index; some from a snapshot, some encrypted, four volume types.
//   - Elastic IPs (elasticip): 52.x.y.z, two in three associated with the
//     instance of the same index (its private address), every fifth an
//     EC2-Classic ("standard") address.
//   - Network interfaces (networkinterface) all live in Regions[0] (the
//     reference scans the default region only): primary interfaces of the
//     instances of that region, spare detached ones, load balancer ones
//     (requester managed) and NAT ones (no source/destination check).
//   - Key pairs (keypair): sim-key-k, SHA-1 (created) or MD5 (imported)
//     fingerprints.
//   - VPCs (vpc): VPC i < R is the VPC of region i that security groups,
//     instances, interfaces and RDS resources name; the resource j of the
//     other VPC technologies belongs to VPC j % 2R of its own region, so a
//     VPC's subnets, route tables, ACLs, flow logs and peerings are listed
//     resources. Flow log j watches VPC j (VPCs without a flow log and one
//     whose flow log is not ACTIVE exist below 50); VPN connection k ends on
//     VPN gateway k, with one or both tunnels DOWN for some k. Each file
//     states its variants.
//
// Roles past index 50 are mostly benign (bulkBenign): only every 20th has
// an insecure trust or inline policy, like a real large account.
//
// Load balancers (elb.go, elbv2.go), databases, DB snapshots and the other
// RDS technologies (rds_*.go) cycle through six variants described in each
// file (a public DB behind a group
// whose open port matches its listener, a public or cross-account snapshot,
// EC2-Classic DB security groups…); past index 50 they are benign. Item i
// of a technology that uses security groups uses security group i of the
// same account, which lives in the same region, so the listener-linked
// checks see real support items.
//
// "The next simulated account" is account (k+1) mod Accounts: with a single
// account the cross-account references point to the account itself.
//
// Creation dates derive from a fixed epoch chosen by the seed, offset per
// technology (resource.createdHour). Key, password and report dates are
// relative to Options.Now (default time.Now), read once by New and truncated
// to the day, so replies are identical for the life of a server and across
// servers built with the same Options and day.
//
// # Control API (plain JSON, no auth, under /_sim/)
//
//   - GET /_sim/accounts → ["<id>", …].
//   - GET /_sim/technologies → [{"technology","service","mutates"}, …]: the
//     simulated technologies, sorted by index (Server.Technologies).
//   - POST /_sim/mutate | /_sim/delete | /_sim/create with
//     {"account":"<id>","technology":"<index>","count":N} → {"items":["<arn>",…]},
//     for every registered technology (an unknown one answers 400 "unknown
//     technology … (want one of …)"). mutate makes a durable change to N
//     existing items chosen in index order from a per-technology cursor that
//     wraps around: iamrole → tag "sim:mutation"=<generation>; iamuser,
//     iamgroup → inline policy "sim-mutations" with one more statement;
//     policy → a new default version; s3 → tag "sim:mutation" and versioning
//     toggled; securitygroup → ingress open to the internet closed (its
//     0.0.0.0/0 and ::/0 sources removed) and one more ingress rule (tcp 10000+g from
//     10.g.0.0/16); ec2instance, ec2image, ebssnapshot → tag
//     "sim:mutation"; ebsvolume → size + g GiB; elasticip → association
//     toggled (new association id); networkinterface → description suffix;
//     keypair → new fingerprint; the RDS and VPC technologies and
//     connection as GET /_sim/technologies and their files say. delete removes the N live items with the highest indices
//     (the newest first); create adds N items with new indices. ARNs: the IAM
//     ARN; arn:aws:s3:::<bucket>; arn:aws:ec2:<region>:<account>:security-group/<sg-id>
//     (instance/, volume/, elastic-ip/<allocation id or address>,
//     network-interface/, key-pair/<name>; image/ and snapshot/ with an
//     empty account);
//     arn:aws:rds:<region>:<account>:<db|cluster|secgrp|snapshot|cluster-snapshot|subgrp>:<name>;
//     arn:aws:elasticloadbalancing:<region>:<account>:loadbalancer/[app/|net/]<name>[/<id>];
//     arn:aws:ec2:<region>:<account>:<vpc|subnet|route-table|network-acl|dhcp-options|
//     vpc-peering-connection|vpc-endpoint|vpc-flow-log|natgateway|vpn-connection|vpn-gateway>/<id>;
//     arn:aws:directconnect:<region>:<account>:dxcon/<id>.
//   - POST /_sim/faults {"latency_ms":0..60000,"throttle_rate":0..1,
//     "fail_regions":["eu-west-1"|"*"],"fail_services":["s3"|"*"]}; {} clears.
//     Throttled requests get the service's throttling error (IAM Throttling
//     400, EC2 RequestLimitExceeded 503, S3 SlowDown 503, CloudWatch
//     Throttling 400); failed regions/services get its access-denied error
//     (IAM AccessDenied 403, EC2 UnauthorizedOperation 403, S3/CloudWatch/RDS/ELB
//     AccessDenied 403; RDS and ELB throttle with Throttling 400). fail_services takes the service id or the signing
//     name ("cloudwatch" or "monitoring"). STS and the control API are never
//     faulted. The throttle draw uses a PRNG seeded by Options.Seed.
//   - GET /_sim/calls → {"<account id>":{"<service>.<Operation>":N}} and
//     DELETE /_sim/calls resets. Service names are the service ids: sts, iam,
//     ec2, s3 and cloudwatch (SDK service ids, lower case). Every request that
//     reached an operation is counted, including faulted ones (so retries are
//     visible); a REST request matching no route counts as "<METHOD> <path>".
//   - GET /_sim/cloudwatch → [{"namespace","metric","unit","value",
//     "dimensions":{…},"time"}, …].
//
// The same controls exist as Go methods: Mutate, Delete, Create, SetFaults,
// Calls, ResetCalls, Technologies, MetricData.
//
// # Resource-policy services (issue 11)
//
// The services of the technologies that carry a resource policy share one
// policy generator (respolicy.go): item i's policy is, by i%7 for the first
// 50 items (bulk items: owner only), owner only; Principal "*"; the next
// simulated account's root; the root of an account nobody owns
// (210987654321); an AWS-owned account (127311923021, a third party to the
// auditors); "*" narrowed by aws:SourceAccount 777788889999; none (a
// service principal where a policy always exists). mutate adds a statement
// "sim-mutation-<g>" per generation. Tags (simTags): none for i%3 == 2.
// Items live in Regions[i % len(Regions)]; names end in "-<i>".
//
//   - SQS (awsJson 1.0, query-compatible): ListQueues (MaxResults 1..1000,
//     NextToken only when MaxResults is given), GetQueueAttributes
//     (Policy; RedrivePolicy on queue j when j-len(Regions) is a multiple
//     of 8; mutate: VisibilityTimeout 30+g), ListQueueTags,
//     ListDeadLetterSourceQueues. Unknown queue: QueueDoesNotExist
//     (AWS.SimpleQueueService.NonExistentQueue). Throttling RequestThrottled,
//     denial AccessDeniedException (AccessDenied).
//   - KMS (awsJson 1.1): ListKeys (Limit ≤ 1000), ListAliases (Limit ≤ 100;
//     i%5: 0 no alias, 1 two aliases, 4 AWS managed alias/aws/…),
//     DescribeKey (AccessDeniedException for i%11 == 10 below 50; mutate:
//     the description), ListGrants (a grant to the next account for
//     i%5 == 2), GetKeyPolicy (default only), GetKeyRotationStatus (off
//     when i%3 == 0, on for AWS-managed keys). Key ids end in the index.
//   - Lambda (REST-JSON): ListFunctions (MaxItems ≤ 50), ListAliases and
//     ListVersionsByFunction (even functions: version 1 and alias "live"),
//     ListEventSourceMappings (?FunctionName; every third function has an
//     SQS mapping), ListTags, GetPolicy (?Qualifier: the unqualified policy
//     follows the flavours; alias "live" of i%4 == 0 grants a stranger
//     account, version 1 of i%4 == 2 grants "*"; no policy:
//     ResourceNotFoundException). Throttling TooManyRequestsException 429.
//   - SNS (awsQuery): ListTopics (100 a page), GetTopicAttributes (Policy,
//     always present), ListSubscriptions (100 a page; i%4: 0 none, 1 an
//     SQS queue of the account, 2 HTTPS owned by the next account, 3 e-mail
//     owned by a stranger). Unknown topic: NotFound. Denial
//     AuthorizationError.
//   - Glacier (REST-JSON, account "-" or the caller's): ListVaults (limit
//     ≤ 1000, marker; LastInventoryDate on even vaults),
//     GetVaultAccessPolicy (none: ResourceNotFoundException),
//     ListTagsForVault.
//   - Elasticsearch Service (signing name es, REST-JSON): ListDomainNames,
//     DescribeElasticsearchDomains (1 to 5 names, unknown names left out;
//     AccessPolicies "" when none).
//   - ECR (awsJson 1.1): DescribeRepositories (maxResults ≤ 1000; mutate
//     also toggles imageTagMutability), GetRepositoryPolicy (none:
//     RepositoryPolicyNotFoundException).
//   - Secrets Manager (awsJson 1.1): ListSecrets (MaxResults ≤ 100; odd
//     secrets rotate), GetResourcePolicy (by name or ARN). No secret value
//     is ever served (GetSecretValue is an unknown operation).
//   - EFS (signing name elasticfilesystem, REST-JSON): DescribeFileSystems
//     (MaxItems ≤ 100; ids end in the index), DescribeFileSystemPolicy
//     (none: PolicyNotFound; unknown id: FileSystemNotFound).
//   - EventBridge (signing name events, awsJson 1.1): ListEventBuses
//     (Limit ≤ 100), each bus with its Policy.
//   - API Gateway (REST-JSON): GetRestApis (limit ≤ 500, position), each
//     API with its policy, quotes backslash-escaped as API Gateway does.
//   - AWS Backup (REST-JSON): ListBackupVaults (maxResults ≤ 1000; every
//     fourth vault locked), GetBackupVaultAccessPolicy (none:
//     ResourceNotFoundException).
//   - CodeArtifact (REST-JSON): ListRepositories (max-results ≤ 1000; one
//     domain, sim-domain), GetRepositoryPermissionsPolicy (?domain,
//     domain-owner, repository; none: ResourceNotFoundException).
//
// Their call counters and fail_services use the ids sqs, kms, lambda, sns,
// glacier, elasticsearchservice, ecr, secretsmanager, efs, eventbridge,
// apigateway, backup and codeartifact (fail_services also takes the signing
// names es, elasticfilesystem, events). JSON pages are encoded with
// encoding/json from maps: a 1,000-item page takes 3–27 ms
// (respolicy_bench_test.go).
//
// # Certificates, DNS, logging and the rest (issue 11)
//
// Each in its own file, with the variants and mutations described there:
//
//   - Redshift (redshift.go, awsQuery): DescribeClusters (regional;
//     MaxRecords 20..100, Marker; ClusterIdentifier → ClusterNotFound).
//     Variants: private encrypted, public with an elastic IP, restored
//     (RestoreStatus), EC2-Classic (no VpcId). mutate:
//     AutomatedSnapshotRetentionPeriod + 1.
//
//   - SES (ses.go, awsQuery): ListIdentities (MaxItems ≤ 1000,
//     NextToken, IdentityType), GetIdentityVerificationAttributes (≤ 100
//     identities; unknown ones left out), ListVerifiedEmailAddresses.
//     Domains sim-<i>.example.com (even i) and addresses
//     ops-<i>@sim.example.com (odd i); Success, Pending or Failed. mutate:
//     the status flips between Success and Pending.
//
//   - CloudTrail (cloudtrail.go, awsJson 1.1): DescribeTrails (regional;
//     the trails homed in the region and, with includeShadowTrails — true
//     by default — the multi-region trails homed elsewhere; trailNameList),
//     GetTrailStatus (by name in the home region, or by ARN from any
//     region; TrailNotFoundException). Variants: multi-region logging,
//     single-region logging, multi-region stopped, single-region stopped.
//     mutate: S3KeyPrefix "sim-mutation-<g>".
//
//   - AWS Config (config.go, signing name config, awsJson 1.1):
//     DescribeConfigRules (25 a page, AWS's fixed size; ConfigRuleNames →
//     NoSuchConfigRuleException) for the technology config, and
//     DescribeConfigurationRecorders (every recorder of the region) for
//     configrecorder. mutate: a rule's InputParameters, a recorder's role.
//
//   - ACM (acm.go, awsJson 1.1): ListCertificates (MaxItems ≤ 1000,
//     NextToken; Includes.KeyTypes, RSA_2048 only by default, as AWS;
//     CertificateStatuses), DescribeCertificate (ResourceNotFoundException).
//     Variants: Amazon-issued in use, imported expiring in 20 days,
//     Amazon-issued expiring in 45 days with a pending renewal, imported
//     expired; every fifth key EC_prime256v1. mutate: one more load
//     balancer in InUseBy.
//
//   - Route 53 Domains (route53domains.go, awsJson 1.1, us-east-1 only):
//     ListDomains (MaxItems ≤ 100, default 20, Marker), GetDomainDetail
//     (InvalidInput for an unknown domain). Contacts: a person (admin =
//     registrant), a company with a separate admin contact, an association
//     with privacy on. mutate: the admin contact's phone number.
//
//   - IAM server certificates (iam_ssl.go, on the IAM descriptor):
//     ListServerCertificates (Marker/MaxItems ≤ 1000, PathPrefix),
//     GetServerCertificate (NoSuchEntity). Bodies are real X.509
//     certificates, identical across servers of one seed: RSA 2048/SHA-256
//     with a chain; RSA 1024/SHA-1 expiring in 20 days; RSA 512/MD5
//     wildcard, expired; an issuer without O uploaded before heartbleed;
//     an Ed25519 key. mutate: the certificate is re-issued.
//
//   - IAM SAML providers (iam_saml.go, on the IAM descriptor):
//     ListSAMLProviders (everything in one reply, as in AWS),
//     GetSAMLProvider (NoSuchEntity). Metadata documents with and without a
//     contact person, with one or two certificates. mutate: the signing
//     certificate is rotated.
//
//   - Route 53 (route53.go, REST-XML, global): ListHostedZones (maxitems
//     ≤ 100, marker), ListResourceRecordSets (maxitems ≤ 300, name/type;
//     NoSuchHostedZone). One item per record set, ten to a zone; public,
//     private and Config-less zones; A public and private, CNAME to an
//     internal- load balancer, alias, TXT, MX. mutate: the TTL (an alias
//     becomes a plain record).
//
// # HTTP server
//
// Start bounds every connection: the request (headers and body) must arrive
// within 30 s, the reply must be written within 90 s of the request, and an
// idle keep-alive connection is closed after 60 s. The latency fault is
// capped at 60 s so that a delayed reply still has 30 s to be written.
//
// # Known limits
//
// No signature verification, no IAM policy evaluation (every caller may do
// everything), no writes through the AWS APIs, no filters on EC2 describes,
// no S3 objects, and only the operations listed above.
//
// # Adding a service or a technology to the simulator
//
// A new technology costs its resource generator, its operations and its
// tests; no central switch changes.
//
//  1. Find the protocol the SDK client in go.mod speaks: in
//     ~/go/pkg/mod/github.com/aws/aws-sdk-go-v2/service/<svc>@<version>/
//     api_client.go sets options.Protocol (awsquery.New → awsQuery,
//     awsjson.New10/New11 → awsJSON{version "1.0"/"1.1"}, restjson1.New →
//     restJSON, restxml → restXML, rpcv2.NewCBOR → rpcv2CBOR; ec2 and s3 still
//     have serializers.go: ec2Query and REST-XML). The JSON target prefix is
//     the X-Amz-Target the client sends (the service shape name in
//     schemas/, e.g. "TrentService" for KMS, "AmazonSQS"); a service whose
//     schema carries AWSQueryCompatible is query-compatible (SQS); REST routes
//     are the smithytraits.HTTP{Method, URI} of schemas/*.go; the signing
//     name is in auth.go (SigningName, e.g. "kms", "elasticloadbalancing");
//     the error codes are in types/errors.go.
//  2. Write <service>.go (an existing service gains a technology in its own
//     file). It holds:
//     - func <service>Service() *service: name (signing name), id when the
//     SDK service id differs, protocol with its parameters, ops (REST: an
//     http route per operation), throttle and denied (the service's real
//     codes: TestServiceDescriptors checks the SDK retries the first as
//     throttling and awsclient classifies the second as access denied),
//     unknown, check: enabledRegion(…) for a regional service, and one
//     resource per technology.
//     - resource{tech: "<index>", arn, mutates, perAccount (when not
//     Options.Items, e.g. one per region), createdHour (0: derived)}. The
//     index is the technology plugin's index: awssim.Technologies() must
//     list every plugin.
//     - the generators: pure functions of (s, account, index, generation).
//     Ids from s.resourceID(prefix, n, hexDigits|b32Digits, "<tech>/<kind>",
//     a, i), dates from s.created(tech, i), regions from s.itemRegion(i)
//     (walk a region's items with s.regionItems), cross-account references
//     to s.nextAccount(a). The first 50 indices cycle through every secure
//     and insecure variant the auditor checks; past them use bulkBenign(i)
//     so large accounts stay mostly benign. The generation of item i
//     (a.tech(index).generation(i)) changes something durable, which
//     mutates describes.
//     - the operations: func (s *Server) <op>(req *request) (result,
//     *apiError). Input: req.form (query protocols; REST query string),
//     req.decode(&in) (JSON bodies), req.label("Name") (REST path labels).
//     Iterate a.tech(index) with exists/regionItems, page with pageSize,
//     pageStart and pageToken. Answer xmlResult(x) (build big lists with the
//     xw writer, never encoding/xml), jsonResult(v) (a slice of structs for
//     a big page; timestamps as epochSeconds), cborResult(v), or
//     result{raw: …, rawType: …}; errors
//     with errf(status, code, …) using the service's real codes. An
//     operation that changes simulated state sets writes: true.
//     - state the pure functions cannot hold: newState (server-wide, in
//     s.ext[name]) and newAccountState (per account, in a.ext[name]),
//     each read through a typed accessor in the service's file; control
//     endpoints of the service in controls.
//  3. Add <service>Service() to builtinServices (alphabetical) and the SDK
//     module to go.mod.
//  4. Test in <service>_test.go (package awssim_test) with the real SDK
//     client against setup(t, Options{…}): every operation the watcher calls
//     decodes, paging across pages, each secure and insecure variant is
//     present, Mutate/Delete/Create of each technology show in the next
//     reply, not-found errors carry the real code. Add the service to
//     TestFaults (throttling classified by the SDK, access denied by code)
//     and the technology to TestTechnologies. Run the benchmarks if a list
//     operation can return 1,000 items (add one: BenchmarkXxx1000).
//  5. Document the operations, the seeded variants and what mutate changes
//     in this comment, and the technology in the README if user-visible.
package awssim
