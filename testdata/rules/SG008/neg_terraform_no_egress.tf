# Terraform removes the default allow-all egress of a group it creates: a
# group without egress blocks has no egress at all.

resource "aws_security_group" "app" {
  name        = "app"
  description = "Application servers"
  vpc_id      = "vpc-0a1b2c3d4e5f60718"

  ingress {
    description = "HTTPS from the VPC"
    protocol    = "tcp"
    from_port   = 443
    to_port     = 443
    cidr_blocks = ["10.0.0.0/16"]
  }
}
