#!/usr/bin/env python3
"""Prints template.yaml as CloudFormation JSON after the AWS::Serverless transform, as SAM would deploy it.

Uses aws-sam-translator (the library `sam deploy` and CloudFormation's transform run), offline: no AWS call. Each
function's CodeUri (a nested application's local Location, a state machine's local DefinitionUri) is replaced by an S3
location first, as `sam package` does. The IAM check (infra/, IamPolicyIT)
reads the roles' policies from this output, so policy templates are expanded exactly the way SAM expands them.

  scripts/sam-translate.py [--include] [template.yaml] > translated.json
--include first replaces each Fn::Transform AWS::Include of a local file with the file's content, as CloudFormation
does before it runs SAM's transform (without it, SAM sees the include unresolved, as `sam validate` does).
Exit 3 when aws-sam-translator is not installed; 1 with SAM's own messages when the template is invalid.
"""
import json
import os
import sys

try:
    from samtranslator.model.exceptions import InvalidDocumentException
    from samtranslator.translator.transform import transform
    from samtranslator.yaml_helper import yaml_parse
except ImportError:
    print("aws-sam-translator is not installed in this Python (pip install aws-sam-translator)", file=sys.stderr)
    sys.exit(3)


class NoManagedPolicies:
    """Managed policies by name would need IAM; the template names them by ARN, so nothing is looked up."""

    def load(self):
        return {}


def resolve_includes(node, folder):
    """Replaces {"Fn::Transform": {"Name": "AWS::Include", "Parameters": {"Location": <local file>}}} by the file."""
    if isinstance(node, dict):
        transform = node.get("Fn::Transform")
        if len(node) == 1 and isinstance(transform, dict) and transform.get("Name") == "AWS::Include":
            location = transform.get("Parameters", {}).get("Location", "")
            if not location.startswith("s3://") and not location.startswith("https://"):
                with open(os.path.join(folder, location), encoding="utf-8") as f:
                    return resolve_includes(yaml_parse(f.read()), folder)
        return {k: resolve_includes(v, folder) for k, v in node.items()}
    if isinstance(node, list):
        return [resolve_includes(v, folder) for v in node]
    return node


def main():
    args = [a for a in sys.argv[1:] if a != "--include"]
    path = args[0] if args else "template.yaml"
    with open(path, encoding="utf-8") as f:
        template = yaml_parse(f.read())
    if "--include" in sys.argv[1:]:
        template = resolve_includes(template, os.path.dirname(os.path.abspath(path)))
    for resource in template.get("Resources", {}).values():
        if resource.get("Type") in ("AWS::Serverless::Function", "AWS::Serverless::LayerVersion"):
            props = resource.setdefault("Properties", {})
            if "CodeUri" in props or "InlineCode" not in props:
                props["CodeUri"] = "s3://reel-artifacts/code.zip"
        if resource.get("Type") == "AWS::Serverless::StateMachine":
            props = resource.setdefault("Properties", {})
            uri = props.get("DefinitionUri")
            if isinstance(uri, str) and not uri.startswith("s3://"):
                props["DefinitionUri"] = "s3://reel-artifacts/" + os.path.basename(uri)
        if resource.get("Type") == "AWS::Serverless::Application":
            props = resource.setdefault("Properties", {})
            if isinstance(props.get("Location"), str) and not props["Location"].startswith("https://"):
                props["Location"] = "https://reel-artifacts.s3.amazonaws.com/" + props["Location"]
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    try:
        out = transform(template, {}, NoManagedPolicies())
    except InvalidDocumentException as e:
        for cause in e.causes:
            print(cause.message, file=sys.stderr)
        sys.exit(1)
    json.dump(out, sys.stdout, indent=1, sort_keys=True)


if __name__ == "__main__":
    main()
