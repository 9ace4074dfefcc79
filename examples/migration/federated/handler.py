"""Orders sync, federated: the Lambda's role is the Snowflake identity. No key, no password."""
import os

import snowflake.connector  # >= 4.5.0, from a layer


def handler(event, context):
    # With SNOWFLAKE_ENABLE_AWS_WIF_OUTBOUND_TOKEN=true the connector calls STS GetWebIdentityToken
    # (regional endpoint, audience snowflakecomputing.com, ES384) and logs in with the JWT.
    with snowflake.connector.connect(
        account=os.environ["SNOWFLAKE_ACCOUNT"],
        user=os.environ["SNOWFLAKE_USER"],
        authenticator="WORKLOAD_IDENTITY",
        workload_identity_provider="AWS",
    ) as conn:
        conn.cursor().execute("CALL ORDERS.SYNC.LOAD_NIGHTLY()")
    return {"ok": True}
