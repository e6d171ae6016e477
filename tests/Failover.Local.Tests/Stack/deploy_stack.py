"""Deploys template.yaml into a CloudFormation endpoint (moto) the way `sam package` + `sam deploy` would.

stdin: {"endpoint", "region", "template", "asl", "package", "stackName", "parameters": {name: value}}
stdout: {"status", "reason", "failedResources": [...], "outputs": {name: value}, "declared": {logicalId: type},
         "deployed": [logicalId, ...], "roles": {logicalId: {"inline": [policyDocument, ...], "managed": [arn, ...]}}

sam package uploads CodeUri folders (as a zip) and DefinitionS3Location files to S3 and rewrites those
properties to S3 locations; the SAM transform then runs as CloudFormation's AWS::Serverless-2016-10-31 macro
would, here with the installed samtranslator (the library SAM CLI and CloudFormation use).
"""
import ast
import json
import sys
import time

import boto3
from samtranslator.parser import parser
from samtranslator.translator.translator import Translator
from samtranslator.yaml_helper import yaml_parse

request = json.load(sys.stdin)
session = boto3.Session(aws_access_key_id="testing", aws_secret_access_key="testing", region_name=request["region"])
def client(name):
    return session.client(name, endpoint_url=request["endpoint"])

bucket = "failover-sam-artifacts"
s3 = client("s3")
s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": request["region"]})
s3.upload_file(request["package"], bucket, "failover/functions.zip")
s3.upload_file(request["asl"], bucket, "failover/failover.asl.json")

with open(request["template"], encoding="utf-8") as f:
    template = yaml_parse(f.read())
# What sam package rewrites.
template["Globals"]["Function"]["CodeUri"] = f"s3://{bucket}/failover/functions.zip"
template["Resources"]["FailoverStateMachine"]["Properties"]["DefinitionS3Location"] = {"Bucket": bucket, "Key": "failover/failover.asl.json"}

translated = Translator(managed_policy_map=None, sam_parser=parser.Parser(), boto_session=session).translate(
    sam_template=template, parameter_values=dict(request["parameters"]))


# moto's own gaps, each worked around in the transformed template (never in template.yaml) and named here.
def moto_gap_kms_key_tags(resources):
    """moto 5.2.1 creates an AWS::KMS::Key's Tags with the KMS API's TagKey/TagValue names, not CloudFormation's
    Key/Value (moto/kms/models.py create_from_cloudformation_json: KeyError 'TagKey')."""
    for resource in resources.values():
        if resource["Type"] == "AWS::KMS::Key":
            tags = resource["Properties"].get("Tags", [])
            resource["Properties"]["Tags"] = [{"TagKey": t["Key"], "TagValue": t["Value"]} for t in tags]

def moto_gap_parameter_defaults(parameters):
    """moto 5.2.1 uses a parameter's Default as the plain string (a CommaDelimitedList default such as none is
    not split into a list, so !Select [0, ...] picks its first letter and every HasX condition holds): every
    defaulted parameter is passed explicitly with its default (moto/cloudformation/parsing.py load_parameters)."""
    for name, parameter in translated.get("Parameters", {}).items():
        if "Default" in parameter and name not in parameters:
            parameters[name] = str(parameter["Default"])

def moto_gap_policy_document_repr(document):
    """moto 5.2.1 stores the inline policies of a role created by CloudFormation as Python's repr of the policy
    (single quotes), not JSON; GetRolePolicy returns that text, read here as the literal it is."""
    if isinstance(document, str):
        try:
            return json.loads(document)
        except json.JSONDecodeError:
            return ast.literal_eval(document)
    return document

def moto_gap_no_value_in_lists(document):
    """moto 5.2.1 resolves !Ref AWS::NoValue inside a list (a statement under !If) to null instead of removing the
    element as CloudFormation does (intrinsic-function-reference-conditions.html: AWS::NoValue removes the
    property); the nulls are dropped here."""
    if isinstance(document.get("Statement"), list):
        document["Statement"] = [s for s in document["Statement"] if s is not None]
    return document

def moto_gap_managed_policy_arns(logical_id):
    """moto 5.2.1 does not attach a role's ManagedPolicyArns when CloudFormation creates it (ListAttachedRolePolicies
    is empty): the ARNs are read from the transformed template instead."""
    return translated["Resources"][logical_id]["Properties"].get("ManagedPolicyArns", [])

moto_gap_kms_key_tags(translated["Resources"])
parameters = dict(request["parameters"])
moto_gap_parameter_defaults(parameters)

cfn = client("cloudformation")
cfn.create_stack(
    StackName=request["stackName"],
    TemplateBody=json.dumps(translated),
    Parameters=[{"ParameterKey": k, "ParameterValue": v} for k, v in parameters.items()],
    Capabilities=["CAPABILITY_IAM"])
deadline = time.time() + 120
while True:
    stack = cfn.describe_stacks(StackName=request["stackName"])["Stacks"][0]
    if not stack["StackStatus"].endswith("IN_PROGRESS") or time.time() > deadline:
        break
    time.sleep(0.5)

events = cfn.describe_stack_events(StackName=request["stackName"])["StackEvents"]
failed = [{"logicalId": e["LogicalResourceId"], "type": e["ResourceType"], "reason": e.get("ResourceStatusReason", "")}
          for e in events if e["ResourceStatus"].endswith("FAILED")]
iam = client("iam")
roles = {}
for resource in cfn.describe_stack_resources(StackName=request["stackName"])["StackResources"]:
    if resource.get("ResourceType") != "AWS::IAM::Role":
        continue
    name = resource["PhysicalResourceId"]
    documents = []
    for policy in iam.list_role_policies(RoleName=name)["PolicyNames"]:
        documents.append(moto_gap_no_value_in_lists(moto_gap_policy_document_repr(
            iam.get_role_policy(RoleName=name, PolicyName=policy)["PolicyDocument"])))
    roles[resource["LogicalResourceId"]] = {
        "inline": documents,
        "managed": moto_gap_managed_policy_arns(resource["LogicalResourceId"]),
    }

json.dump({
    "status": stack["StackStatus"],
    "reason": stack.get("StackStatusReason", ""),
    "failedResources": failed,
    "outputs": {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])},
    "declared": {logical_id: resource["Type"] for logical_id, resource in translated["Resources"].items()},
    # moto lists a resource it has no model for with an empty type and creates nothing.
    "deployed": sorted(r["LogicalResourceId"] for r in cfn.describe_stack_resources(StackName=request["stackName"])["StackResources"] if r.get("ResourceType")),
    "roles": roles,
}, sys.stdout)
