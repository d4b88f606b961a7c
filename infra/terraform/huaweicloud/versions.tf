terraform {
  required_version = ">= 1.5.0"

  required_providers {
    huaweicloud = {
      source = "huaweicloud/huaweicloud"
      # huaweicloud_identityv5_policy_agency_attach
      version = ">= 1.95.0"
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

provider "huaweicloud" {
  region = var.region
}
