# cloud-remediate on Tencent Cloud: SCF functions fed by EventBridge (CloudAudit attach events), a TDMQ CMQ
# topic (bulk cleanup) and a function URL (signed invoke), with Redis as the shared state store and a CAM role
# whose permissions are generated from the code (npm run permissions).
#
# Build first: `npm run build` writes dist/tencent/<function>/index.js, which this module zips.

data "tencentcloud_user_info" "current" {}

# CloudAudit publishes every product's write calls on the default cloud-service event bus.
data "tencentcloud_eb_bus" "default" {
  filters {
    name   = "EventBusName"
    values = ["default"]
  }
  filters {
    name   = "Type"
    values = ["Cloud"]
  }
}

locals {
  functions = toset(["audit-log", "queue-cleanup", "http-invoke"])
  function_names = {
    for f in local.functions : f => "${var.name_prefix}-${f}"
  }
  # The built bundles (docs/ARCHITECTURE.md, Functions and deployment): dist/tencent/<function>/index.js, exporting `main_handler`.
  bundle_dirs = {
    "audit-log"     = "${path.module}/../../../dist/tencent/audit-log"
    "queue-cleanup" = "${path.module}/../../../dist/tencent/queue-cleanup"
    "http-invoke"   = "${path.module}/../../../dist/tencent/http-invoke"
  }

  # A digest of each bundle's files, part of the zip's name: tencentcloud_scf_function reads zip_file as a path
  # and uploads the code only when that path changes, so a rebuilt bundle gets a new path and is redeployed.
  bundle_hashes = var.create_functions ? {
    for f, dir in local.bundle_dirs : f => substr(sha256(join(",", [
      for file in sort(fileset(dir, "**")) : "${file}=${filesha256("${dir}/${file}")}"
    ])), 0, 16)
  } : {}

  requests_topic = "${var.name_prefix}-requests"
  dead_letter    = "${var.name_prefix}-dead-letter"

  redis_url = "redis://:${urlencode(random_password.redis.result)}@${tencentcloud_redis_instance.state.ip}:${tencentcloud_redis_instance.state.port}"

  environment = {
    for f in local.functions : f => merge(
      {
        REMEDIATE_STATE   = local.redis_url
        REMEDIATE_RULES   = var.rules_path
        REMEDIATE_DRY_RUN = tostring(var.dry_run)
        LOG_LEVEL         = var.log_level
      },
      f == "http-invoke" ? { REMEDIATE_HTTP_SECRET = var.http_secret } : {},
    )
  }

  # The triggers each function needs (the CloudAudit one is the EventBridge rule below).
  triggers = {
    "audit-log" = []
    "queue-cleanup" = [{
      # CMQ topic subscription: pushed asynchronously, so SCF retries failures and then dead-letters them.
      name         = local.requests_topic
      type         = "cmq"
      trigger_desc = jsonencode({ filterType = 1 })
    }]
    "http-invoke" = [{
      # Function URL without CAM auth: the X-Remediate-Signature HMAC authenticates every request.
      name = "url"
      type = "http"
      trigger_desc = jsonencode({
        AuthType  = "NONE"
        NetConfig = { EnableIntranet = false, EnableExtranet = true }
      })
    }]
  }

  # The attach calls the audit-log function undoes (Tencent Cloud Organization, CloudAudit via EventBridge);
  # test/unit/deploy matches the pattern against the fixture events.
  cloudaudit_pattern = jsonencode(jsondecode(file("${path.module}/event-patterns/cloudaudit-attach.json")))
}

# ---------------------------------------------------------------------------------------------------------
# Queues: the bulk-cleanup topic and the dead-letter queue (TDMQ for CMQ).

resource "tencentcloud_tcmq_queue" "dead_letter" {
  queue_name            = local.dead_letter
  msg_retention_seconds = 43200 # 12 hours, the maximum
  max_msg_size          = 65536
}

resource "tencentcloud_tcmq_topic" "requests" {
  topic_name            = local.requests_topic
  msg_retention_seconds = 86400
  max_msg_size          = 65536
}

# ---------------------------------------------------------------------------------------------------------
# State store: Redis in the functions' VPC (REMEDIATE_STATE=redis://…).

resource "random_password" "redis" {
  length           = 16 # the Tencent Redis maximum
  min_upper        = 2
  min_lower        = 2
  min_numeric      = 2
  min_special      = 2
  override_special = "!@#%^*-+=_"
}

resource "tencentcloud_redis_instance" "state" {
  name              = "${var.name_prefix}-state"
  availability_zone = var.availability_zone
  type_id           = var.redis_type_id
  mem_size          = var.redis_mem_size
  charge_type       = "POSTPAID"
  password          = random_password.redis.result
  port              = 6379
  vpc_id            = var.vpc_id
  subnet_id         = var.subnet_id
}

# ---------------------------------------------------------------------------------------------------------
# Least privilege: the role SCF hands its temporary credentials from (TENCENTCLOUD_SECRETID/SECRETKEY/
# SESSIONTOKEN). Its permissions are exactly the ones the provider operations declare
# (generated/cam-policy.json, written by `npm run permissions`).

resource "tencentcloud_cam_role" "functions" {
  name        = "${var.name_prefix}-scf"
  description = "cloud-remediate functions (SCF execution role)"
  document = jsonencode({
    version = "2.0"
    statement = [{
      action    = ["name/sts:AssumeRole"]
      effect    = "allow"
      principal = { service = ["scf.qcloud.com"] }
    }]
  })
}

resource "tencentcloud_cam_policy" "remediate" {
  name        = "${var.name_prefix}-remediate"
  description = "Generated from the permissions the provider operations declare: npm run permissions"
  document    = file("${path.module}/generated/cam-policy.json")
}

resource "tencentcloud_cam_role_policy_attachment" "remediate" {
  role_id   = tencentcloud_cam_role.functions.id
  policy_id = tencentcloud_cam_policy.remediate.id
}

# ---------------------------------------------------------------------------------------------------------
# Functions (skipped with create_functions = false, when infra/tencent deploys them with `scf deploy`: that
# path also sets the dead-letter queue, which this provider cannot).

data "archive_file" "bundle" {
  for_each    = var.create_functions ? local.bundle_dirs : {}
  type        = "zip"
  source_dir  = each.value
  output_path = "${path.module}/../../../dist/zip/tencent-${each.key}-${local.bundle_hashes[each.key]}.zip" # dist/ is git-ignored
}

resource "tencentcloud_scf_function" "this" {
  for_each = var.create_functions ? local.function_names : {}

  name        = each.value
  namespace   = "default"
  description = "cloud-remediate ${each.key}"
  # Nodejs18.15: the newest Node.js runtime SCF documents (docs/sources.md, "Deploy descriptors").
  runtime           = "Nodejs18.15"
  handler           = "index.main_handler"
  mem_size          = 512
  timeout           = 60
  zip_file          = data.archive_file.bundle[each.key].output_path
  role              = tencentcloud_cam_role.functions.name
  environment       = local.environment[each.key]
  vpc_id            = var.vpc_id
  subnet_id         = var.subnet_id
  enable_public_net = true

  dynamic "triggers" {
    for_each = local.triggers[each.key]
    content {
      name         = triggers.value.name
      type         = triggers.value.type
      trigger_desc = triggers.value.trigger_desc
    }
  }

  depends_on = [tencentcloud_cam_role_policy_attachment.remediate, tencentcloud_tcmq_topic.requests]
}

# audit-log: CloudAudit records of Organization attach calls, through EventBridge, one event per invocation.
resource "tencentcloud_eb_event_rule" "cloudaudit" {
  count         = var.connect_functions ? 1 : 0
  event_bus_id  = data.tencentcloud_eb_bus.default.event_buses[0].event_bus_id
  rule_name     = "${var.name_prefix}-cloudaudit-attach"
  description   = "CloudAudit attach calls for the cloud-remediate audit-log function"
  enable        = true
  event_pattern = local.cloudaudit_pattern
}

resource "tencentcloud_eb_event_target" "audit_log" {
  count        = var.connect_functions ? 1 : 0
  event_bus_id = data.tencentcloud_eb_bus.default.event_buses[0].event_bus_id
  rule_id      = tencentcloud_eb_event_rule.cloudaudit[0].rule_id
  type         = "scf"

  target_description {
    resource_description = "qcs::scf:${var.region}:uin/${data.tencentcloud_user_info.current.owner_uin}:namespace/default/function/${local.function_names["audit-log"]}/$DEFAULT"
  }

  enable_batch_delivery = false

  depends_on = [tencentcloud_scf_function.this]
}

# Asynchronous retries (SCF async retry config, tencentcloud.com/document/api/583/39920): user errors retried async_retry_num times, then the dead-letter queue.
resource "tencentcloud_scf_function_event_invoke_config" "async" {
  for_each = var.connect_functions ? toset(["audit-log", "queue-cleanup"]) : toset([])

  function_name = local.function_names[each.key]
  namespace     = "default"

  async_trigger_config {
    retry_config {
      retry_num = var.async_retry_num
    }
    msg_ttl = var.async_msg_ttl
  }

  depends_on = [tencentcloud_scf_function.this]
}
