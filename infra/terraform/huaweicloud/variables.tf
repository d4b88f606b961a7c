variable "region" {
  # No default on purpose: IAM is a global service, and its traces are recorded only by the tracker of one region
  # (on the international site CN-Hong Kong, ap-southeast-1: IAM user guide iam_01_0012). A function deployed
  # anywhere else never sees an IAM trace, and no default can be right for every site.
  description = "Huawei Cloud region of the functions, SMN topic, Redis and API gateway. It must be the region whose CTS tracker records the global services' (IAM) traces, or the audit-log trigger never fires: ap-southeast-1 (CN-Hong Kong) on the international site; elsewhere, the region where the CTS console shows IAM traces."
  type        = string

  validation {
    condition     = can(regex("^[a-z]+(-[a-z]+)+-[0-9]+$", var.region))
    error_message = "region must be a Huawei Cloud region ID such as ap-southeast-1."
  }
}

variable "name_prefix" {
  description = "Prefix of every resource name: functions are <prefix>-audit-log, <prefix>-queue-cleanup, <prefix>-http-invoke (as in infra/huawei/functiongraph.yml)."
  type        = string
  default     = "remediate"
}

variable "functiongraph_version" {
  description = "FunctionGraph framework: v2 (default) or v1 where a region only offers v1."
  type        = string
  default     = "v2"
}

variable "vpc_id" {
  description = "VPC of the DCS (Redis) instance and of the functions."
  type        = string
}

variable "subnet_id" {
  description = "Subnet (network ID) for Redis and the functions."
  type        = string
}

variable "availability_zones" {
  description = "Availability zone(s) of the Redis instance."
  type        = list(string)
}

variable "redis_capacity" {
  description = "DCS Redis capacity in GB; see the huaweicloud_dcs_flavors data source."
  type        = number
  default     = 0.125
}

variable "redis_cache_mode" {
  description = "DCS Redis cache mode (single, ha, …); the flavor is looked up with huaweicloud_dcs_flavors."
  type        = string
  default     = "single"
}

variable "apig_instance_id" {
  description = "Dedicated API Gateway instance that fronts http-invoke (an instance is costly, so the module uses an existing one)."
  type        = string
}

variable "manage_cts_tracker" {
  description = "Manage (enable) the CTS system tracker the audit-log trigger reads. Set false when another stack owns it."
  type        = bool
  default     = true
}

variable "rules_path" {
  description = "REMEDIATE_RULES: path of the rules file inside the code package (FunctionGraph unpacks the code in /opt/function/code). Copy the file into every dist/huawei/<function>/ before applying."
  type        = string
  default     = "/opt/function/code/rules.yaml"
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
  description = "FunctionGraph retries of a failed asynchronous invocation (0-3) before the on-failure destination."
  type        = number
  default     = 3
}
