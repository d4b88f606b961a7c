variable "region" {
  description = "Tencent Cloud region of the functions, queues and Redis (e.g. ap-guangzhou)."
  type        = string
  default     = "ap-guangzhou"
}

variable "name_prefix" {
  description = "Prefix of every resource name: functions are <prefix>-audit-log, <prefix>-queue-cleanup, <prefix>-http-invoke. Keep the default when deploying with infra/tencent (its names are literal)."
  type        = string
  default     = "remediate"
}

variable "create_functions" {
  description = "true: terraform creates the three SCF functions and their triggers. false: infra/tencent (`scf deploy`, component scf) deploys them, and terraform only creates the shared infrastructure."
  type        = bool
  default     = true
}

variable "connect_functions" {
  description = "Wire the functions that exist: the CloudAudit EventBridge rule and target of audit-log, and the async retry settings. With create_functions = false, apply once with false, run `scf deploy` in infra/tencent, then apply again with true."
  type        = bool
  default     = true
}

variable "vpc_id" {
  description = "VPC of the Redis instance and of the functions."
  type        = string
}

variable "subnet_id" {
  description = "Subnet (in availability_zone) for Redis and the functions."
  type        = string
}

variable "availability_zone" {
  description = "Availability zone of the Redis instance (e.g. ap-guangzhou-3)."
  type        = string
}

variable "redis_type_id" {
  description = "Redis instance type (15: Redis 6.2 standard architecture); see the tencentcloud_redis_zone_config data source."
  type        = number
  default     = 15
}

variable "redis_mem_size" {
  description = "Redis memory, in MB."
  type        = number
  default     = 1024
}

variable "rules_path" {
  description = "REMEDIATE_RULES: path of the rules file inside the code package (SCF unpacks the code in /var/user). Copy the file into every dist/tencent/<function>/ before deploying."
  type        = string
  default     = "/var/user/rules.yaml"
}

variable "http_secret" {
  description = "REMEDIATE_HTTP_SECRET of http-invoke (at least 16 characters): callers sign requests with it."
  type        = string
  sensitive   = true
}

variable "dry_run" {
  description = "REMEDIATE_DRY_RUN: run the whole pipeline but make no mutating call."
  type        = bool
  default     = false
}

variable "log_level" {
  description = "LOG_LEVEL of the functions (fatal, error, warn, info, debug, trace, silent)."
  type        = string
  default     = "info"
}

variable "async_retry_num" {
  description = "SCF retries of a failed asynchronous invocation (user errors, 0-2) before the dead-letter queue."
  type        = number
  default     = 2
}

variable "async_msg_ttl" {
  description = "How long SCF keeps an asynchronous event for retries, in seconds."
  type        = number
  default     = 21600
}
