package terraform

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vpclint/vpclint/loader"
)

// FuzzEvaluate evaluates arbitrary Terraform text with the full function
// table, in a scan root beside a directory holding a secret: whatever the
// text, the load must not panic, must end, must build a bounded model,
// and must not read the secret (its content appears in no value and no
// error) nor write the temporary directory's absolute path.
func FuzzEvaluate(f *testing.F) {
	seeds := []string{
		`locals { a = file("../outside/secret.txt") }
resource "aws_security_group" "g" { description = local.a }`,
		`resource "aws_vpc" "v" { cidr_block = templatefile("x.tftpl", { a = 1 }) }`,
		`locals { s = fileset("..", "**") }
resource "aws_security_group" "g" { tags = { for f in local.s : f => filesha256("../${f}") } }`,
		`locals {
  a0 = "x"
  a1 = "${local.a0}${local.a0}"
  a2 = "${local.a1}${local.a1}"
  a3 = join("", [for i in range(100) : local.a2])
  a4 = [for x in range(50) : [for y in range(50) : format("%010d", x * y)]]
}
resource "aws_security_group" "g" { description = local.a3 }`,
		`variable "n" { default = 3 }
resource "aws_security_group" "g" {
  count       = var.n
  description = "g${count.index}"
  dynamic "ingress" {
    for_each = toset(["10.0.0.0/8", "0.0.0.0/0"])
    content {
      from_port   = 22
      to_port     = 22
      protocol    = "tcp"
      cidr_blocks = [ingress.value]
    }
  }
}`,
		`module "m" { source = "./m" }
module "up" { source = "../outside" }
output "o" { value = abspath(path.cwd) }`,
		`locals { x = jsondecode(file("policy.json")) }
resource "aws_vpc_endpoint" "e" {
  vpc_id       = "vpc-1"
  service_name = "com.amazonaws.us-east-1.s3"
  policy       = jsonencode(local.x)
}`,
	}
	for _, s := range seeds {
		f.Add([]byte(s), false)
	}
	f.Add([]byte(`{"locals": {"a": "${file(\"../outside/secret.txt\")}"}, "resource": {"aws_security_group": {"g": {"description": "${local.a}"}}}}`), true)
	f.Add([]byte(`locals { k = toset([for i in range(64) : tostring(i)]) }
resource "aws_security_group" "g" {
  dynamic "ingress" {
    for_each = local.k
    content {
      description = format("%09d", ingress.key)
      dynamic "x" {
        for_each = local.k
        content { y = "${x.value}${x.value}" }
      }
    }
  }
}`), false)
	const secret = "FUZZ-SECRET-31f0"
	// One tree for the whole run (each worker process its own), with the
	// secret beside the scan root; each input only rewrites main.tf.
	top := f.TempDir()
	root, outside := filepath.Join(top, "root"), filepath.Join(top, "outside")
	files := map[string]string{
		"outside/secret.txt": secret,
		"outside/main.tf":    `resource "aws_vpc" "o" { cidr_block = "` + secret + `" }`,
		"root/x.tftpl":       `${a}-${file("../outside/secret.txt")}`,
		"root/policy.json":   `{"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}]}`,
		"root/m/main.tf":     `output "x" { value = "m" }`,
		"root/.git/config":   secret,
	}
	for p, content := range files {
		full := filepath.Join(top, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			f.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
			f.Fatal(err)
		}
	}
	if err := os.Symlink(filepath.Join(outside, "secret.txt"), filepath.Join(root, "link")); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, src []byte, isJSON bool) {
		if strings.Contains(string(src), secret) {
			return // the text itself would hold it
		}
		name, other := "main.tf", "main.tf.json"
		if isJSON {
			name, other = other, name
		}
		_ = os.Remove(filepath.Join(root, other))
		if err := os.WriteFile(filepath.Join(root, name), src, 0o644); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		opts := loader.Options{WorkDir: root, Root: root, Env: []string{}}
		units, errs := New().LoadDirs(ctx, []loader.Dir{{Path: root, Rel: "."}}, opts)
		if ctx.Err() != nil {
			t.Fatalf("the load did not end in time")
		}
		if len(units) > 1 {
			t.Fatalf("%d units", len(units))
		}
		var out strings.Builder
		for _, e := range errs {
			if strings.Contains(e.Message, "internal error") {
				t.Fatalf("%s", e.Error())
			}
			out.WriteString(e.Error() + "\n")
		}
		for _, u := range units {
			b, err := json.Marshal(u)
			if err != nil {
				t.Fatal(err)
			}
			if len(b) > 64<<20 {
				t.Fatalf("model of %d bytes", len(b))
			}
			out.Write(b)
		}
		s := out.String()
		if strings.Contains(s, secret) {
			t.Fatalf("the secret was read")
		}
		if strings.Contains(s, top) {
			t.Fatalf("an absolute path was written")
		}
	})
}
