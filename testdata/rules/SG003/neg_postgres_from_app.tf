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

  egress {
    description = "HTTPS to the VPC endpoints"
    protocol    = "tcp"
    from_port   = 443
    to_port     = 443
    cidr_blocks = ["10.0.0.0/8"]
  }
}

resource "aws_security_group" "db" {
  name        = "db"
  description = "Database"
  vpc_id      = "vpc-0a1b2c3d4e5f60718"

  ingress {
    description = "PostgreSQL from the app servers"
    protocol    = "tcp"
    from_port   = 5432
    to_port     = 5432
    security_groups = [aws_security_group.app.id]
  }

  egress {
    description = "HTTPS to the VPC endpoints"
    protocol    = "tcp"
    from_port   = 443
    to_port     = 443
    cidr_blocks = ["10.0.0.0/8"]
  }
}
