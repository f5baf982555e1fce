# A library package needs no METADATA.
package vpclint.lib.testhelpers

is_world(c) if c == "0.0.0.0/0"
