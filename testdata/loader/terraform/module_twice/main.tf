resource "aws_vpc" "main" {
  cidr_block = "10.1.0.0/16"
}

module "app" {
  source = "./modules/sg"
  name   = "app"
  vpc_id = aws_vpc.main.id
  ports  = [443]
}

module "db" {
  source = "./modules/sg"
  name   = "db"
  vpc_id = aws_vpc.main.id
  ports  = [5432, 5433]
  cidrs  = ["10.1.0.0/16"]
}

output "app_sg" {
  value = module.app.security_group_id
}
