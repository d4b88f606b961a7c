output "role_name" {
  description = "CAM role the functions run as (infra/tencent: REMEDIATE_SCF_ROLE)."
  value       = tencentcloud_cam_role.functions.name
}

output "remediate_state" {
  description = "REMEDIATE_STATE of the functions: the Redis URL (infra/tencent reads it from the environment)."
  value       = local.redis_url
  sensitive   = true
}

output "requests_topic" {
  description = "CMQ topic of the queue-cleanup function: publish one RemediationRequest (JSON) per message."
  value       = tencentcloud_tcmq_topic.requests.topic_name
}

output "dead_letter_queue" {
  description = "CMQ dead-letter queue of the functions' failed asynchronous invocations."
  value       = tencentcloud_tcmq_queue.dead_letter.queue_name
}

output "function_names" {
  description = "Function names (the same in infra/tencent)."
  value       = local.function_names
}
