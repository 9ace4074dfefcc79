"""Orders ETL: reads suppliers from Microsoft Graph, loads orders into Snowflake. No key, no password.

Every token request value comes from the environment the CDK app sets from the federation plan
(FederatedWorkloadRole.tokenEnvironment), so this code never retypes an audience or an algorithm.
"""
import json
import os
import urllib.parse
import urllib.request

import boto3  # botocore >= 1.41 knows GetWebIdentityToken

REGION = os.environ["AWS_REGION"]
# GetWebIdentityToken is served by regional STS endpoints only, never by sts.amazonaws.com.
sts = boto3.client("sts", region_name=REGION, endpoint_url=f"https://sts.{REGION}.amazonaws.com")


def web_identity_token(target):
    """Mints a JWT for one target: iss = the account issuer, sub = this function's role ARN."""
    prefix = f"KEYLESS_{target}"
    return sts.get_web_identity_token(
        Audience=[os.environ[f"{prefix}_AUDIENCE"]],
        SigningAlgorithm=os.environ[f"{prefix}_SIGNING_ALGORITHM"],
        DurationSeconds=int(os.environ[f"{prefix}_DURATION_SECONDS"]),
    )["WebIdentityToken"]


def graph_access_token():
    """Entra: the STS token is the client assertion of a client-credentials grant."""
    form = urllib.parse.urlencode({
        "client_id": os.environ["ENTRA_CLIENT_ID"],
        "scope": "https://graph.microsoft.com/.default",
        "grant_type": "client_credentials",
        "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        "client_assertion": web_identity_token("GRAPH"),
    }).encode()
    url = f"https://login.microsoftonline.com/{os.environ['ENTRA_TENANT_ID']}/oauth2/v2.0/token"
    with urllib.request.urlopen(url, form, timeout=10) as response:
        return json.load(response)["access_token"]


def snowflake_connection():
    """Snowflake: the connector (>= 4.5.0, from a layer) mints the ES384 token itself."""
    import snowflake.connector  # SNOWFLAKE_ENABLE_AWS_WIF_OUTBOUND_TOKEN=true selects the JWT mode

    return snowflake.connector.connect(
        account=os.environ["SNOWFLAKE_ACCOUNT"],
        user=os.environ["SNOWFLAKE_USER"],
        authenticator="WORKLOAD_IDENTITY",
        workload_identity_provider="AWS",
    )


def handler(event, context):
    request = urllib.request.Request(
        "https://graph.microsoft.com/v1.0/users?$top=5&$select=id,displayName",
        headers={"Authorization": f"Bearer {graph_access_token()}"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        suppliers = json.load(response)["value"]
    with snowflake_connection() as conn:
        conn.cursor().execute("SELECT CURRENT_USER()")
    return {"suppliers": len(suppliers)}
