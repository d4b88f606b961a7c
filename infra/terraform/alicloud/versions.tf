terraform {
  required_version = ">= 1.5.0"

  required_providers {
    alicloud = {
      source = "aliyun/alicloud"
      # role_name / assume_role_policy_document on alicloud_ram_role, dlq_policy on alicloud_message_service_queue
      version = ">= 1.252.0, < 2.0.0"
    }
    archive = {
      source  = "hashicorp/archive"
      version = ">= 2.4.0"
    }
    random = {
      source  = "hashicorp/random"
      version = ">= 3.5.0"
    }
  }
}

provider "alicloud" {
  region = var.region
}
