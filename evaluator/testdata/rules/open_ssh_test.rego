package vpclint.rules.test_open_ssh_test

# A _test.rego file is never loaded as a rule; this one would not compile.
test_broken if { http.send({}) }
