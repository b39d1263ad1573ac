module github.com/spin-go/sdk

go 1.25

require github.com/stretchr/testify v1.11.1

require (
	github.com/BurntSushi/toml v1.5.0 // indirect
	github.com/davecgh/go-spew v1.1.1 // indirect
	github.com/pmezard/go-difflib v1.0.0 // indirect
	go.bytecodealliance.org/pkg v0.2.1 // indirect
	gopkg.in/yaml.v3 v3.0.1 // indirect
)

tool github.com/spin-go/sdk/cmd/componentize-go
