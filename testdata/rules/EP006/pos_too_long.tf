resource "aws_vpc_endpoint" "s3" {
  vpc_id          = "vpc-0a1b2c3d4e5f60718"
  service_name    = "com.amazonaws.eu-west-1.s3"
  route_table_ids = ["rtb-0a1b2c3d4e5f60718"]
  policy          = jsonencode({
    Version   = "2012-10-17"
    Statement = [
      {
        Sid       = "S000"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S001"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S002"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S003"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S004"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S005"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S006"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S007"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S008"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S009"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S010"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S011"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S012"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S013"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S014"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S015"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S016"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S017"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S018"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S019"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S020"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S021"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S022"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S023"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S024"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S025"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S026"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S027"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S028"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S029"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S030"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S031"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S032"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S033"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S034"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S035"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S036"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S037"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S038"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S039"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S040"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S041"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S042"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S043"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S044"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S045"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S046"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S047"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S048"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S049"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S050"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S051"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S052"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S053"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S054"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S055"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S056"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S057"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S058"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S059"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S060"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S061"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S062"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S063"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S064"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S065"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S066"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S067"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S068"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S069"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S070"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S071"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S072"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S073"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S074"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S075"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S076"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S077"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S078"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S079"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S080"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S081"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S082"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S083"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S084"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S085"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S086"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S087"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S088"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S089"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S090"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S091"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S092"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S093"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S094"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S095"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S096"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S097"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S098"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S099"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S100"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S101"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S102"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S103"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S104"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S105"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S106"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S107"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S108"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S109"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S110"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S111"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S112"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S113"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S114"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S115"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S116"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S117"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S118"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
      {
        Sid       = "S119"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
    ]
  })
}
