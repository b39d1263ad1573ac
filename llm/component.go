//go:build wasip1

package llm

import (
	"fmt"

	bind "github.com/spin-go/sdk/imports/fermyon_spin_2_0_0_llm"
	witypes "go.bytecodealliance.org/pkg/wit/types"
)

func llmError(e bind.Error) error {
	switch e.Tag() {
	case bind.ErrorModelNotSupported:
		return ErrModelNotSupported
	case bind.ErrorRuntimeError:
		return fmt.Errorf("%w: %s", ErrRuntime, e.RuntimeError())
	}
	return fmt.Errorf("%w: %s", ErrInvalidInput, e.InvalidInput())
}

func infer(model, prompt string, p InferencingParams) (*InferencingResult, error) {
	res := bind.Infer(model, prompt, witypes.Some(bind.InferencingParams(p)))
	if res.IsErr() {
		return nil, llmError(res.Err())
	}
	r := res.Ok()
	return &InferencingResult{Text: r.Text, PromptTokenCount: r.Usage.PromptTokenCount, GeneratedTokenCount: r.Usage.GeneratedTokenCount}, nil
}

func embeddings(model string, text []string) (*EmbeddingsResult, error) {
	res := bind.GenerateEmbeddings(model, text)
	if res.IsErr() {
		return nil, llmError(res.Err())
	}
	r := res.Ok()
	return &EmbeddingsResult{Embeddings: r.Embeddings, PromptTokenCount: r.Usage.PromptTokenCount}, nil
}
