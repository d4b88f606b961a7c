output "function_urns" {
  description = "URNs of the three functions."
  value       = { for f, fn in huaweicloud_fgs_function.this : f => fn.urn }
}

output "remediate_state" {
  description = "REMEDIATE_STATE of the functions: the Redis URL (stored in encrypted_user_data)."
  value       = local.redis_url
  sensitive   = true
}

output "requests_topic_urn" {
  description = "SMN topic of the queue-cleanup function: publish one RemediationRequest (JSON) per message."
  value       = huaweicloud_smn_topic.requests.topic_urn
}

output "dead_letter_bucket" {
  description = "OBS bucket receiving the failed asynchronous invocations (one object per event, under <function>/)."
  value       = huaweicloud_obs_bucket.dead_letter.bucket
}

output "execution_agency" {
  description = "Agency whose temporary credentials the functions use (permissions: generated/iam-policy.json)."
  value       = huaweicloud_identity_agency.execution.name
}

output "http_invoke_path" {
  description = "Path of the http-invoke API in the API group (environment 'remediate')."
  value       = huaweicloud_apig_api.http_invoke.request_path
}
