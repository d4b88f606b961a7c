variable "region" {
  description = "Alibaba Cloud region of the functions, queues and Redis (e.g. cn-hangzhou). ActionTrail events reach EventBridge in this region."
  type        = string
  default     = "cn-hangzhou"
}

variable "name_prefix" {
  description = "Prefix of every resource name: functions are <prefix>-audit-log, <prefix>-queue-cleanup, <prefix>-http-invoke. Keep it equal to the names in serverless.yml."
  type        = string
  default     = "remediate"
}

variable "create_functions" {
  description = "true: terraform also creates the three functions, their triggers and async config. false: terraform creates only the shared infrastructure (queues, Redis, role) and `s deploy -t serverless.yml` deploys the functions."
  type        = bool
  default     = true
}

variable "vpc_id" {
  description = "VPC of the Redis instance and of the functions (they reach Redis over the VPC)."
  type        = string
}

variable "vswitch_id" {
  description = "vSwitch (in zone_id) for Redis and the functions."
  type        = string
}

variable "zone_id" {
  description = "Zone of the vSwitch and of the Redis instance."
  type        = string
}

variable "security_group_id" {
  description = "Security group the functions use inside the VPC; it must allow egress to Redis on 6379."
  type        = string
}

variable "vpc_cidr" {
  description = "CIDR allowed to reach Redis (the function vSwitch range)."
  type        = string
}

variable "redis_instance_class" {
  description = "Tair (Redis OSS-compatible) instance class; see the alicloud_kvstore_instance_classes data source."
  type        = string
  default     = "redis.master.small.default"
}

variable "rules_path" {
  description = "REMEDIATE_RULES: path of the rules file inside the code package (FC mounts the code at /code). Copy the file into every dist/alibaba/<function>/ before applying."
  type        = string
  default     = "/code/rules.yaml"
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

variable "max_async_retry_attempts" {
  description = "FC retries of a failed asynchronous invocation (0-8) before the event goes to the dead-letter queue."
  type        = number
  default     = 3
}

variable "log_project" {
  description = "SLS project for the function logs (empty: no log delivery)."
  type        = string
  default     = ""
}

variable "log_logstore" {
  description = "SLS logstore for the function logs (with log_project)."
  type        = string
  default     = ""
}
