# Terraform HCL (read with the bundled @cdktf/hcl2json): a Snowflake user that logs in with a password.
variable "legacy_password" {
  type      = string
  sensitive = true
}

resource "snowflake_user" "legacy" {
  name     = "LEGACY_ETL"
  password = var.legacy_password
}
