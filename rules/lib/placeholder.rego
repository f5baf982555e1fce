# Package vpclint.lib.placeholder keeps lib/ non-empty until the shared
# helpers land.
package vpclint.lib.placeholder
