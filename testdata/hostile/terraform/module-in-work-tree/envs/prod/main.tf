# Scanned alone, this directory still follows a module elsewhere in its
# git work tree: the scan root is the work tree.
module "sg" {
  source = "../../modules/sg"
}
