terraform {
  required_version = ">= 1.5.0"

  required_providers {
    tencentcloud = {
      source = "tencentcloudstack/tencentcloud"
      # batch_event_count / enable_batch_delivery at the top level of tencentcloud_eb_event_target
      version = ">= 1.82.25"
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

provider "tencentcloud" {
  region = var.region
}
