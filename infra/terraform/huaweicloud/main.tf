# cloud-remediate on Huawei Cloud: FunctionGraph functions fed by a CTS trigger (IAM attach traces), an SMN
# topic (bulk cleanup) and a dedicated API Gateway API (signed invoke), with DCS Redis as the shared state
# store and an execution agency whose IAM v5 permissions are generated from the code (npm run permissions).
# infra/huawei/functiongraph.yml describes the same deployment; test/unit/deploy keeps the two in step.
#
# Build first: `npm run build` writes dist/huawei/<function>/index.js, which this module zips.

locals {
  functions = toset(["audit-log", "queue-cleanup", "http-invoke"])
  function_names = {
    for f in local.functions : f => "${var.name_prefix}-${f}"
  }
  # The built bundles (docs/ARCHITECTURE.md, Functions and deployment): dist/huawei/<function>/index.js, exporting `handler`.
  bundle_dirs = {
    "audit-log"     = "${path.module}/../../../dist/huawei/audit-log"
    "queue-cleanup" = "${path.module}/../../../dist/huawei/queue-cleanup"
    "http-invoke"   = "${path.module}/../../../dist/huawei/http-invoke"
  }

  redis_url = "redis://:${urlencode(random_password.redis.result)}@${huaweicloud_dcs_instance.state.domain_name}:${huaweicloud_dcs_instance.state.port}"

  # Plain settings; the Redis URL and the HTTP secret go in encrypted_user_data.
  environment = {
    REMEDIATE_RULES   = var.rules_path
    REMEDIATE_DRY_RUN = tostring(var.dry_run)
    LOG_LEVEL         = var.log_level
  }
  secrets = {
    for f in local.functions : f => merge(
      { REMEDIATE_STATE = local.redis_url },
      f == "http-invoke" ? { REMEDIATE_HTTP_SECRET = var.http_secret } : {},
    )
  }

  # IAM v5 attach calls the audit-log function undoes: <service>:<resource type>:<trace name>. IAM records
  # attachAgencyPolicyV5 under resource type "agency" ("IAM Operations Supported by CTS", docs/sources.md), so the
  # trigger names service and resource type as well as the operation: no other service's trace reaches the function.
  cts_operations = ["IAM:agency:attachAgencyPolicyV5"]
}

# ---------------------------------------------------------------------------------------------------------
# Queue and dead letters: the bulk-cleanup SMN topic; failed asynchronous invocations are written to OBS.

resource "huaweicloud_smn_topic" "requests" {
  name         = "${var.name_prefix}-requests"
  display_name = "cloud-remediate requests"
}

resource "random_id" "bucket" {
  byte_length = 4
}

resource "huaweicloud_obs_bucket" "dead_letter" {
  bucket = "${var.name_prefix}-dead-letter-${random_id.bucket.hex}"
  acl    = "private"
}

# ---------------------------------------------------------------------------------------------------------
# State store: DCS Redis in the functions' VPC (REMEDIATE_STATE=redis://…).

resource "random_password" "redis" {
  length      = 24
  min_upper   = 2
  min_lower   = 2
  min_numeric = 2
  min_special = 2
  # Only characters DCS accepts in a password (`~!@#$^&*()-_=+\|{}:,<.>/?, no %): docs/sources.md.
  override_special = "!@#^*-+=_"
}

data "huaweicloud_dcs_flavors" "state" {
  cache_mode = var.redis_cache_mode
  capacity   = var.redis_capacity
}

resource "huaweicloud_dcs_instance" "state" {
  name               = "${var.name_prefix}-state"
  engine             = "Redis"
  engine_version     = "5.0"
  capacity           = var.redis_capacity
  flavor             = data.huaweicloud_dcs_flavors.state.flavors[0].name
  availability_zones = var.availability_zones
  password           = random_password.redis.result
  vpc_id             = var.vpc_id
  subnet_id          = var.subnet_id
}

# CTS records the IAM calls the audit-log trigger reads.
resource "huaweicloud_cts_tracker" "system" {
  count   = var.manage_cts_tracker ? 1 : 0
  enabled = true
}

# ---------------------------------------------------------------------------------------------------------
# Least privilege. The execution agency (app_agency) is what context.getSecurityAccessKey/SecretKey/Token
# hand to the code: its only permissions are the IAM v5 actions the provider operations declare
# (generated/iam-policy.json, written by `npm run permissions`). The configuration agency lets FunctionGraph
# itself attach the functions to the VPC, read CTS for the trigger and write dead letters to OBS.

resource "huaweicloud_identity_agency" "execution" {
  name        = "${var.name_prefix}-fgs-execution"
  description = "cloud-remediate functions: remediation calls only"
  # FunctionGraph. The provider reads an op_svc_* trust domain back as delegated_service_name, so that is the
  # argument to set: delegated_domain_name would show a change on every plan.
  delegated_service_name = "op_svc_cff"
}

resource "huaweicloud_identityv5_policy" "remediate" {
  name            = "${var.name_prefix}-remediate"
  description     = "Generated from the permissions the provider operations declare: npm run permissions"
  policy_document = file("${path.module}/generated/iam-policy.json")
}

resource "huaweicloud_identityv5_policy_agency_attach" "remediate" {
  policy_id = huaweicloud_identityv5_policy.remediate.id
  agency_id = huaweicloud_identity_agency.execution.id
}

resource "huaweicloud_identity_agency" "platform" {
  name                   = "${var.name_prefix}-fgs-platform"
  description            = "cloud-remediate functions: VPC access, CTS trigger, dead letters in OBS"
  delegated_service_name = "op_svc_cff" # FunctionGraph (see the execution agency)

  project_role {
    project = var.region
    roles   = ["VPC Administrator", "CTS Administrator"]
  }
  all_resources_roles = ["OBS OperateAccess"]
}

# ---------------------------------------------------------------------------------------------------------
# Functions.

data "archive_file" "bundle" {
  for_each    = local.bundle_dirs
  type        = "zip"
  source_dir  = each.value
  output_path = "${path.module}/../../../dist/zip/huawei-${each.key}.zip" # dist/ is git-ignored
}

resource "huaweicloud_fgs_function" "this" {
  for_each = local.function_names

  name                  = each.value
  app                   = "default"
  description           = "cloud-remediate ${each.key}"
  functiongraph_version = var.functiongraph_version
  runtime               = "Node.js20.15"
  handler               = "index.handler"
  memory_size           = 512
  timeout               = 60
  code_type             = "zip"
  code_filename         = "index.zip"
  func_code             = filebase64(data.archive_file.bundle[each.key].output_path)
  user_data             = jsonencode(local.environment)
  encrypted_user_data   = jsonencode(local.secrets[each.key])
  agency                = huaweicloud_identity_agency.platform.name
  app_agency            = huaweicloud_identity_agency.execution.name
  vpc_id                = var.vpc_id
  network_id            = var.subnet_id

  depends_on = [huaweicloud_identityv5_policy_agency_attach.remediate]
}

# audit-log: CTS traces of the IAM attach calls.
resource "huaweicloud_fgs_function_trigger" "cts" {
  function_urn = huaweicloud_fgs_function.this["audit-log"].urn
  type         = "CTS"
  status       = "ACTIVE"
  event_data = jsonencode({
    name       = "${var.name_prefix}-iam-attach"
    operations = local.cts_operations
  })

  depends_on = [huaweicloud_cts_tracker.system]
}

# queue-cleanup: RemediationRequests published to the SMN topic (asynchronous invocation).
resource "huaweicloud_fgs_function_trigger" "smn" {
  function_urn = huaweicloud_fgs_function.this["queue-cleanup"].urn
  type         = "SMN"
  event_data = jsonencode({
    topic_urn = huaweicloud_smn_topic.requests.topic_urn
  })
}

# http-invoke: a public API without gateway auth: the X-Remediate-Signature HMAC authenticates requests.
resource "huaweicloud_apig_group" "remediate" {
  instance_id = var.apig_instance_id
  name        = "${replace(var.name_prefix, "-", "_")}_remediate"
  description = "cloud-remediate http-invoke"
}

resource "huaweicloud_apig_environment" "remediate" {
  instance_id = var.apig_instance_id
  name        = "remediate"
  description = "cloud-remediate"
}

resource "huaweicloud_apig_api" "http_invoke" {
  instance_id             = var.apig_instance_id
  group_id                = huaweicloud_apig_group.remediate.id
  type                    = "Public"
  name                    = "${var.name_prefix}-http-invoke"
  request_protocol        = "HTTPS"
  request_method          = "POST"
  request_path            = "/remediate"
  security_authentication = "NONE"
  matching                = "Exact"

  func_graph {
    function_urn    = huaweicloud_fgs_function.this["http-invoke"].urn
    version         = "latest"
    timeout         = 60000
    invocation_type = "sync"
  }
}

resource "huaweicloud_apig_api_publishment" "http_invoke" {
  instance_id = var.apig_instance_id
  env_id      = huaweicloud_apig_environment.remediate.id
  api_id      = huaweicloud_apig_api.http_invoke.id
}

# Asynchronous invocations (CTS and SMN triggers): retried, then written to the dead-letter bucket.
# FunctionGraph does not retry errors thrown by the code by default (only system errors): see README.md, Deploying to the clouds.
resource "huaweicloud_fgs_async_invoke_configuration" "this" {
  for_each = toset(["audit-log", "queue-cleanup"])

  function_urn                   = huaweicloud_fgs_function.this[each.key].urn
  max_async_event_age_in_seconds = 86400
  max_async_retry_attempts       = var.max_async_retry_attempts

  on_failure {
    destination = "OBS"
    param = jsonencode({
      bucket  = huaweicloud_obs_bucket.dead_letter.bucket
      prefix  = "${each.key}/"
      expires = 0
    })
  }
}
