output "role_arn" {
  description = "RAM role the functions run as (serverless.yml: REMEDIATE_FC_ROLE_ARN)."
  value       = alicloud_ram_role.functions.arn
}

output "remediate_state" {
  description = "REMEDIATE_STATE of the functions: the Redis URL (serverless.yml reads it from the environment)."
  value       = local.redis_url
  sensitive   = true
}

output "requests_queue" {
  description = "MNS queue of the queue-cleanup function: send one RemediationRequest (JSON, base64) per message."
  value       = alicloud_message_service_queue.requests.queue_name
}

output "dead_letter_queue" {
  description = "MNS dead-letter queue: failed asynchronous invocations and undeliverable queue events."
  value       = alicloud_message_service_queue.dead_letter.queue_name
}

output "function_names" {
  description = "Function names (the same in serverless.yml)."
  value       = local.function_names
}

output "http_invoke_url" {
  description = "Public URL of the http-invoke function (when terraform creates the functions)."
  value       = var.create_functions ? try(alicloud_fcv3_trigger.http[0].http_trigger[0].url_internet, null) : null
}
