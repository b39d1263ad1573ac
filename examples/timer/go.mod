module example.com/timer

go 1.25

require go.bytecodealliance.org/pkg v0.2.1
