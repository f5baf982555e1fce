d = "b.auto.tfvars"
e = "b.auto.tfvars"
f = "b.auto.tfvars"
