package awssim

import (
	"net/http"
	"slices"
	"strconv"
)

// AWS Config (signing name config, awsJson 1.1): DescribeConfigRules,
// DescribeConfigurationRecorders, and the technologies config (rules) and
// configrecorder.
//
// Rule i and recorder i live in Regions[i % len(Regions)].
// DescribeConfigRules pages 25 rules at a time (AWS's fixed page; no page
// size parameter). Rules (i%4 for the first 50 indices and every 20th after
// them, 0 otherwise): 0 an AWS managed rule on S3 buckets triggered by
// changes; 1 a managed periodic rule with input parameters; 2 a custom
// Lambda rule; 3 a managed rule being deleted (ConfigRuleState DELETING).
// Mutations set InputParameters {"maxAccessKeyAge":"<90+generation>"}.
//
// Recorders (i%3, same rule for the bulk): 0 every supported type with
// global types; 1 a list of types; 2 every type except two (exclusion
// strategy). DescribeConfigurationRecorders answers every recorder of the
// region at once (AWS has one per region; the simulator may have more).
// Mutations name the role config-role-<generation>.

const (
	techConfigRule     = "config"
	techConfigRecorder = "configrecorder"
)

func configService() *service {
	return &service{
		name:     "config",
		protocol: awsJSON{version: "1.1", target: "StarlingDoveService"},
		ops: map[string]operation{
			"DescribeConfigRules":            {handle: (*Server).describeConfigRules},
			"DescribeConfigurationRecorders": {handle: (*Server).describeConfigurationRecorders},
		},
		throttle: errorShape{http.StatusBadRequest, "ThrottlingException", "Rate exceeded"},
		denied:   errorShape{http.StatusBadRequest, "AccessDeniedException", "User is not authorized to perform: config:{op}"},
		unknown:  errorShape{http.StatusBadRequest, "UnknownOperationException", "Operation {op} is not supported by the simulator"},
		check: enabledRegion(
			errorShape{http.StatusBadRequest, "UnrecognizedClientException", "The security token included in the request is invalid."},
			errorShape{http.StatusBadRequest, "UnrecognizedClientException", "The security token included in the request is invalid."}),
		resources: []resource{
			{tech: techConfigRule, createdHour: 99, arn: (*Server).configRuleARN,
				mutates: `InputParameters {"maxAccessKeyAge":"<90+generation>"}`},
			{tech: techConfigRecorder, createdHour: 106,
				arn: func(s *Server, a *account, i int) string {
					return "arn:aws:config:" + s.itemRegion(i) + ":" + a.id + ":configuration-recorder/" + configRecorderName(i) + "/" + s.resourceID("", 16, hexDigits, "configrecorder/id", a, i)
				},
				mutates: "the recorder's role becomes config-role-<generation>"},
		},
	}
}

func configRuleName(i int) string { return "sim-rule-" + strconv.Itoa(i) }

func configRuleID(s *Server, a *account, i int) string {
	return "config-rule-" + s.resourceID("", 6, "abcdefghijklmnopqrstuvwxyz0123456789", "config/rule-id", a, i)
}

func (s *Server) configRuleARN(a *account, i int) string {
	return "arn:aws:config:" + s.itemRegion(i) + ":" + a.id + ":config-rule/" + configRuleID(s, a, i)
}

func configVariant(i, n int) int {
	if bulkBenign(i) {
		return 0
	}
	return i % n
}

func (s *Server) configRule(a *account, i int) map[string]any {
	gen := a.tech(techConfigRule).generation(i)
	r := map[string]any{
		"ConfigRuleName":  configRuleName(i),
		"ConfigRuleArn":   s.configRuleARN(a, i),
		"ConfigRuleId":    configRuleID(s, a, i),
		"ConfigRuleState": "ACTIVE",
	}
	switch configVariant(i, 4) {
	case 0:
		r["Scope"] = map[string]any{"ComplianceResourceTypes": []string{"AWS::S3::Bucket"}}
		r["Source"] = map[string]any{"Owner": "AWS", "SourceIdentifier": "S3_BUCKET_PUBLIC_READ_PROHIBITED"}
	case 1:
		r["Source"] = map[string]any{"Owner": "AWS", "SourceIdentifier": "ACCESS_KEYS_ROTATED"}
		r["InputParameters"] = `{"maxAccessKeyAge":"90"}`
		r["MaximumExecutionFrequency"] = "TwentyFour_Hours"
	case 2:
		r["Description"] = "simulated custom rule"
		r["Scope"] = map[string]any{"ComplianceResourceTypes": []string{"AWS::EC2::SecurityGroup"}, "TagKey": "env", "TagValue": "prod"}
		r["Source"] = map[string]any{
			"Owner":            "CUSTOM_LAMBDA",
			"SourceIdentifier": "arn:aws:lambda:" + s.itemRegion(i) + ":" + a.id + ":function:" + lambdaName(i),
			"SourceDetails": []map[string]any{
				{"EventSource": "aws.config", "MessageType": "ConfigurationItemChangeNotification"},
				{"EventSource": "aws.config", "MessageType": "OversizedConfigurationItemChangeNotification"},
			},
		}
		r["CreatedBy"] = "sim.amazonaws.com"
	case 3:
		r["Source"] = map[string]any{"Owner": "AWS", "SourceIdentifier": "ROOT_ACCOUNT_MFA_ENABLED"}
		r["MaximumExecutionFrequency"] = "One_Hour"
		r["ConfigRuleState"] = "DELETING"
	}
	if gen > 0 {
		r["InputParameters"] = `{"maxAccessKeyAge":"` + strconv.Itoa(90+gen) + `"}`
	}
	return r
}

// configRulePage is DescribeConfigRules' fixed page size.
const configRulePage = 25

func (s *Server) describeConfigRules(req *request) (result, *apiError) {
	var in struct {
		ConfigRuleNames []string `json:"ConfigRuleNames"`
		NextToken       string   `json:"NextToken"`
	}
	if aerr := req.decode(&in); aerr != nil {
		return result{}, aerr
	}
	a := req.acct
	if len(in.ConfigRuleNames) > 0 {
		rules := []map[string]any{}
		for _, name := range in.ConfigRuleNames {
			i, ok := s.itemIndex(req, techConfigRule, name, configRuleName)
			if !ok {
				return result{}, errf(http.StatusBadRequest, "NoSuchConfigRuleException", "The ConfigRule '%s' provided in the request is invalid. Please check the configRule name.", name)
			}
			rules = append(rules, s.configRule(a, i))
		}
		return jsonResult(map[string]any{"ConfigRules": rules}), nil
	}
	start, ok := pageStart(in.NextToken, techConfigRule)
	if !ok {
		return result{}, errf(http.StatusBadRequest, "InvalidNextTokenException", "The nextToken provided is invalid")
	}
	rules, next := regionPage(s, req, techConfigRule, configRulePage, start, techConfigRule, func(i int) map[string]any { return s.configRule(a, i) })
	out := map[string]any{"ConfigRules": rules}
	if next != "" {
		out["NextToken"] = next
	}
	return jsonResult(out), nil
}

func configRecorderName(i int) string { return "sim-recorder-" + strconv.Itoa(i) }

func (s *Server) describeConfigurationRecorders(req *request) (result, *apiError) {
	var in struct {
		ConfigurationRecorderNames []string `json:"ConfigurationRecorderNames"`
	}
	if aerr := req.decode(&in); aerr != nil {
		return result{}, aerr
	}
	a := req.acct
	ts := a.tech(techConfigRecorder)
	for _, name := range in.ConfigurationRecorderNames {
		if _, ok := s.itemIndex(req, techConfigRecorder, name, configRecorderName); !ok {
			return result{}, errf(http.StatusBadRequest, "NoSuchConfigurationRecorderException", "Cannot find configuration recorder with the specified name '%s'.", name)
		}
	}
	recorders := []map[string]any{}
	s.regionItems(ts, s.regionIndex(req.region), 0, func(i int) bool {
		return len(in.ConfigurationRecorderNames) == 0 || slices.Contains(in.ConfigurationRecorderNames, configRecorderName(i))
	}, func(i int) bool {
		role := "arn:aws:iam::" + a.id + ":role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig"
		if g := ts.generation(i); g > 0 {
			role = "arn:aws:iam::" + a.id + ":role/config-role-" + strconv.Itoa(g)
		}
		var group map[string]any
		switch configVariant(i, 3) {
		case 0:
			group = map[string]any{"allSupported": true, "includeGlobalResourceTypes": true, "resourceTypes": []string{},
				"exclusionByResourceTypes": map[string]any{"resourceTypes": []string{}}, "recordingStrategy": map[string]any{"useOnly": "ALL_SUPPORTED_RESOURCE_TYPES"}}
		case 1:
			group = map[string]any{"allSupported": false, "includeGlobalResourceTypes": false, "resourceTypes": []string{"AWS::EC2::SecurityGroup", "AWS::S3::Bucket"},
				"recordingStrategy": map[string]any{"useOnly": "INCLUSION_BY_RESOURCE_TYPES"}}
		case 2:
			group = map[string]any{"allSupported": false, "includeGlobalResourceTypes": false, "resourceTypes": []string{},
				"exclusionByResourceTypes": map[string]any{"resourceTypes": []string{"AWS::EC2::NetworkInterface", "AWS::EC2::Volume"}},
				"recordingStrategy":        map[string]any{"useOnly": "EXCLUSION_BY_RESOURCE_TYPES"}}
		}
		recorders = append(recorders, map[string]any{
			"name":           configRecorderName(i),
			"arn":            s.resources[techConfigRecorder].arn(s, a, i),
			"roleARN":        role,
			"recordingGroup": group,
			"recordingMode":  map[string]any{"recordingFrequency": "CONTINUOUS"},
		})
		return true
	})
	return jsonResult(map[string]any{"ConfigurationRecorders": recorders}), nil
}
