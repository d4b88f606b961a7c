# cloud-remediate on Alibaba Cloud: Function Compute 3.0 functions fed by EventBridge (ActionTrail attach
# events), an MNS queue (bulk cleanup) and an HTTP trigger (signed invoke), with Redis as the shared state
# store and a RAM role whose permissions are generated from the code (npm run permissions).
#
# Build first: `npm run build` writes dist/alibaba/<function>/index.js, which this module zips.

data "alicloud_account" "current" {}

locals {
  functions = toset(["audit-log", "queue-cleanup", "http-invoke"])
  function_names = {
    for f in local.functions : f => "${var.name_prefix}-${f}"
  }
  # The built bundles (docs/ARCHITECTURE.md, Functions and deployment): dist/alibaba/<function>/index.js, exporting `handler`.
  bundle_dirs = {
    "audit-log"     = "${path.module}/../../../dist/alibaba/audit-log"
    "queue-cleanup" = "${path.module}/../../../dist/alibaba/queue-cleanup"
    "http-invoke"   = "${path.module}/../../../dist/alibaba/http-invoke"
  }

  account_id       = data.alicloud_account.current.id
  requests_queue   = "${var.name_prefix}-requests"
  dead_letter      = "${var.name_prefix}-dead-letter"
  dead_letter_arn  = "acs:mns:${var.region}:${local.account_id}:/queues/${local.dead_letter}"
  dead_letter_dest = "${local.dead_letter_arn}/messages"

  redis_url = "redis://:${urlencode(random_password.redis.result)}@${alicloud_kvstore_instance.state.connection_domain}:6379"

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

  # ActionTrail write events of Resource Manager and RAM (source and type name the product, so another service's
  # AttachPolicy never matches), only the attach calls the audit-log function acts on (the same pattern as
  # serverless.yml; test/unit/deploy matches it against the fixture events).
  actiontrail_pattern = jsonencode(jsondecode(file("${path.module}/event-patterns/actiontrail-attach.json")))
}

# ---------------------------------------------------------------------------------------------------------
# Queues: the bulk-cleanup queue and the dead-letter queue shared by every failure path.

resource "alicloud_message_service_queue" "dead_letter" {
  queue_name               = local.dead_letter
  message_retention_period = 604800 # 7 days, the maximum
  visibility_timeout       = 60
}

resource "alicloud_message_service_queue" "requests" {
  queue_name               = local.requests_queue
  message_retention_period = 345600
  # A little longer than the function timeout, so a message is not handed out twice while it runs.
  visibility_timeout = 120

  dlq_policy {
    enabled                  = true
    dead_letter_target_queue = alicloud_message_service_queue.dead_letter.queue_name
    max_receive_count        = 10
  }
}

# ---------------------------------------------------------------------------------------------------------
# State store: Redis, reached from the functions over the VPC (REMEDIATE_STATE=redis://…).

resource "random_password" "redis" {
  length           = 24
  min_upper        = 2
  min_lower        = 2
  min_numeric      = 2
  min_special      = 2
  override_special = "!@#%^*_+-="
}

resource "alicloud_kvstore_instance" "state" {
  db_instance_name = "${var.name_prefix}-state"
  instance_type    = "Redis"
  engine_version   = "5.0"
  instance_class   = var.redis_instance_class
  zone_id          = var.zone_id
  vswitch_id       = var.vswitch_id
  payment_type     = "PostPaid"
  password         = random_password.redis.result
  security_ips     = [var.vpc_cidr]
  vpc_auth_mode    = "Open"
}

# ---------------------------------------------------------------------------------------------------------
# Least privilege: the role the functions run as. Its remediation permissions are exactly the ones the
# provider operations declare (generated/ram-policy.json, written by `npm run permissions`); the platform
# policy only lets FC deliver failed events to the dead-letter queue and write logs.

resource "alicloud_ram_role" "functions" {
  role_name   = "${var.name_prefix}-fc"
  description = "cloud-remediate functions (Function Compute)"
  assume_role_policy_document = jsonencode({
    Version = "1"
    Statement = [{
      Action    = "sts:AssumeRole"
      Effect    = "Allow"
      Principal = { Service = ["fc.aliyuncs.com"] }
    }]
  })
}

resource "alicloud_ram_policy" "remediate" {
  policy_name     = "${var.name_prefix}-remediate"
  description     = "Generated from the permissions the provider operations declare: npm run permissions"
  policy_document = file("${path.module}/generated/ram-policy.json")
}

resource "alicloud_ram_policy" "platform" {
  policy_name = "${var.name_prefix}-platform"
  description = "Dead-letter delivery and logs of the cloud-remediate functions"
  policy_document = jsonencode({
    Version = "1"
    Statement = concat(
      [{
        Effect   = "Allow"
        Action   = ["mns:SendMessage"]
        Resource = ["acs:mns:${var.region}:${local.account_id}:/queues/${local.dead_letter}/messages"]
      }],
      var.log_project == "" ? [] : [{
        Effect   = "Allow"
        Action   = ["log:PostLogStoreLogs"]
        Resource = ["acs:log:${var.region}:${local.account_id}:project/${var.log_project}/logstore/${var.log_logstore}"]
      }],
    )
  })
}

resource "alicloud_ram_role_policy_attachment" "remediate" {
  role_name   = alicloud_ram_role.functions.role_name
  policy_name = alicloud_ram_policy.remediate.policy_name
  policy_type = "Custom"
}

resource "alicloud_ram_role_policy_attachment" "platform" {
  role_name   = alicloud_ram_role.functions.role_name
  policy_name = alicloud_ram_policy.platform.policy_name
  policy_type = "Custom"
}

# EventBridge needs its service-linked roles: one to invoke Function Compute, one to read the MNS queue of the
# event stream (fc3 creates the same two before every eventbridge trigger: devsapp/fc3 src/base.ts).
resource "alicloud_event_bridge_service_linked_role" "send_to_fc" {
  product_name = "AliyunServiceRoleForEventBridgeSendToFC"
}

resource "alicloud_event_bridge_service_linked_role" "source_mns" {
  product_name = "AliyunServiceRoleForEventBridgeSourceMNS"
}

# ---------------------------------------------------------------------------------------------------------
# Functions (skipped with create_functions = false, when serverless.yml deploys them).

data "archive_file" "bundle" {
  for_each    = var.create_functions ? local.bundle_dirs : {}
  type        = "zip"
  source_dir  = each.value
  output_path = "${path.module}/../../../dist/zip/alibaba-${each.key}.zip" # dist/ is git-ignored
}

resource "alicloud_fcv3_function" "this" {
  for_each = var.create_functions ? local.function_names : {}

  function_name = each.value
  description   = "cloud-remediate ${each.key}"
  runtime       = "nodejs20"
  handler       = "index.handler"
  memory_size   = 512
  timeout       = 60
  role          = alicloud_ram_role.functions.arn

  code {
    zip_file = filebase64(data.archive_file.bundle[each.key].output_path)
  }

  environment_variables = local.environment[each.key]
  internet_access       = true

  vpc_config {
    vpc_id            = var.vpc_id
    vswitch_ids       = [var.vswitch_id]
    security_group_id = var.security_group_id
  }

  dynamic "log_config" {
    for_each = var.log_project == "" ? [] : [1]
    content {
      project  = var.log_project
      logstore = var.log_logstore
    }
  }

  depends_on = [
    alicloud_ram_role_policy_attachment.remediate,
    alicloud_ram_role_policy_attachment.platform,
  ]
}

# audit-log: ActionTrail attach events on the default event bus, invoked asynchronously so FC retries them
# and sends the ones that still fail to the dead-letter queue.
resource "alicloud_fcv3_trigger" "actiontrail" {
  count         = var.create_functions ? 1 : 0
  function_name = alicloud_fcv3_function.this["audit-log"].function_name
  trigger_name  = "actiontrail-attach"
  trigger_type  = "eventbridge"
  qualifier     = "LATEST"
  trigger_config = jsonencode({
    triggerEnable          = true
    asyncInvocationType    = true
    eventRuleFilterPattern = local.actiontrail_pattern
    eventSourceConfig = {
      eventSourceType       = "Default"
      eventSourceParameters = {}
    }
    eventSinkConfig = {
      # FC 3.0's DeliveryOption has concurrency and eventSchema only (mode was FC 2.0).
      deliveryOption = { eventSchema = "CloudEvents" }
    }
    runOptions = { mode = "event-driven" }
  })

  depends_on = [alicloud_event_bridge_service_linked_role.send_to_fc]
}

# queue-cleanup: the MNS queue through an EventBridge event stream, in batches; events that exhaust the
# retries land in the dead-letter queue.
resource "alicloud_fcv3_trigger" "queue" {
  count         = var.create_functions ? 1 : 0
  function_name = alicloud_fcv3_function.this["queue-cleanup"].function_name
  trigger_name  = "mns-requests"
  trigger_type  = "eventbridge"
  qualifier     = "LATEST"
  trigger_config = jsonencode({
    triggerEnable          = true
    asyncInvocationType    = false
    eventRuleFilterPattern = "{}"
    eventSourceConfig = {
      eventSourceType = "MNS"
      eventSourceParameters = {
        sourceMNSParameters = {
          QueueName      = alicloud_message_service_queue.requests.queue_name
          IsBase64Decode = true
        }
      }
    }
    eventSinkConfig = {
      deliveryOption = { eventSchema = "CloudEvents" }
    }
    runOptions = {
      mode            = "event-streaming"
      errorsTolerance = "ALL"
      retryStrategy = {
        PushRetryStrategy        = "EXPONENTIAL_DECAY_RETRY"
        MaximumEventAgeInSeconds = 86400
        MaximumRetryAttempts     = 20
      }
      deadLetterQueue = { Arn = local.dead_letter_arn }
      batchWindow     = { CountBasedWindow = 10, TimeBasedWindow = 2 }
    }
  })

  depends_on = [
    alicloud_event_bridge_service_linked_role.send_to_fc,
    alicloud_event_bridge_service_linked_role.source_mns,
  ]
}

# http-invoke: anonymous at the gateway; the X-Remediate-Signature HMAC authenticates every request.
resource "alicloud_fcv3_trigger" "http" {
  count         = var.create_functions ? 1 : 0
  function_name = alicloud_fcv3_function.this["http-invoke"].function_name
  trigger_name  = "http"
  trigger_type  = "http"
  qualifier     = "LATEST"
  trigger_config = jsonencode({
    authType           = "anonymous"
    disableURLInternet = false
    methods            = ["POST"]
  })
}

# Failed asynchronous invocations (audit-log events) go to the dead-letter queue after the retries.
resource "alicloud_fcv3_async_invoke_config" "audit_log" {
  count                          = var.create_functions ? 1 : 0
  function_name                  = alicloud_fcv3_function.this["audit-log"].function_name
  qualifier                      = "LATEST"
  max_async_retry_attempts       = var.max_async_retry_attempts
  max_async_event_age_in_seconds = 86400

  destination_config {
    on_failure {
      destination = local.dead_letter_dest
    }
  }
}
