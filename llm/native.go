//go:build !wasip1

package llm

import "errors"

var errNoHost = errors.New("models are provided by the Spin host; build for GOOS=wasip1 with componentize-go")

func infer(string, string, InferencingParams) (*InferencingResult, error) { return nil, errNoHost }

func embeddings(string, []string) (*EmbeddingsResult, error) { return nil, errNoHost }
