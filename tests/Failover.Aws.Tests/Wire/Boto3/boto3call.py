#!/usr/bin/env python3
"""Makes one AWS call with boto3 and prints what boto3 (botocore's model-driven parser) made of the reply.

Reads one JSON object on stdin:
  {"service": "drs", "operation": "StartRecovery", "params": {...}, "endpoint": "http://127.0.0.1:PORT/", "region": "us-west-2"}
Prints one JSON object on stdout:
  {"result": {...parsed output without ResponseMetadata...}}
  or {"error": {"Code": ..., "Message": ...}, "status": 429, "retryAfter": "..."} for a service error.
Dummy credentials, no retries (each call is exactly one request), no config files, parameters validated
against the model as boto3 does by default.
"""
import base64
import datetime
import json
import os
import sys

os.environ["AWS_CONFIG_FILE"] = os.devnull
os.environ["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull
os.environ["AWS_EC2_METADATA_DISABLED"] = "true"

import boto3  # noqa: E402
from botocore.config import Config  # noqa: E402
from botocore.exceptions import ClientError  # noqa: E402


def plain(value):
    if isinstance(value, (datetime.datetime, datetime.date)):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(value).decode("ascii")
    raise TypeError(f"cannot serialise {type(value).__name__}")


def main():
    call = json.load(sys.stdin)
    client = boto3.session.Session().client(
        call["service"],
        region_name=call.get("region", "us-west-2"),
        endpoint_url=call["endpoint"],
        aws_access_key_id="AKIDBOTO3",
        aws_secret_access_key="boto3/secret",
        config=Config(retries={"total_max_attempts": 1}),
    )
    methods = {api: method for method, api in client.meta.method_to_api_mapping.items()}
    method = getattr(client, methods[call["operation"]])
    try:
        result = method(**call.get("params", {}))
    except ClientError as error:
        metadata = error.response.get("ResponseMetadata", {})
        out = {
            "error": error.response.get("Error", {}),
            "status": metadata.get("HTTPStatusCode"),
            "retryAfter": metadata.get("HTTPHeaders", {}).get("retry-after"),
        }
    else:
        result.pop("ResponseMetadata", None)
        out = {"result": result}
    json.dump(out, sys.stdout, default=plain, sort_keys=True)


if __name__ == "__main__":
    main()
