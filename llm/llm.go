// Package llm runs inference and embeddings on the models Spin gives a
// component (its ai_models), through fermyon:spin/llm@2.0.0, which Spin 3
// and Spin 4 both offer.
//
//	res, err := llm.Infer("llama2-chat", "Tell me a joke")
//	res, err = llm.InferWithOptions("llama2-chat", prompt, llm.InferencingParams{MaxTokens: 50, Temperature: 0.5})
//	emb, err := llm.GenerateEmbeddings("all-minilm-l6-v2", []string{"a", "b"})
package llm

import (
	"errors"
	"fmt"
)

// InferencingParams tune inference. Zero fields take Spin's defaults
// (see DefaultParams).
type InferencingParams struct {
	MaxTokens                    uint32
	RepeatPenalty                float32
	RepeatPenaltyLastNTokenCount uint32
	Temperature                  float32
	TopK                         uint32
	TopP                         float32
}

// DefaultParams are the parameters Spin uses when none are given.
func DefaultParams() InferencingParams {
	return InferencingParams{MaxTokens: 100, RepeatPenalty: 1.1, RepeatPenaltyLastNTokenCount: 64, Temperature: 0.8, TopK: 40, TopP: 0.9}
}

// withDefaults fills zero fields from DefaultParams.
func (p InferencingParams) withDefaults() InferencingParams {
	d := DefaultParams()
	if p.MaxTokens == 0 {
		p.MaxTokens = d.MaxTokens
	}
	if p.RepeatPenalty == 0 {
		p.RepeatPenalty = d.RepeatPenalty
	}
	if p.RepeatPenaltyLastNTokenCount == 0 {
		p.RepeatPenaltyLastNTokenCount = d.RepeatPenaltyLastNTokenCount
	}
	if p.Temperature == 0 {
		p.Temperature = d.Temperature
	}
	if p.TopK == 0 {
		p.TopK = d.TopK
	}
	if p.TopP == 0 {
		p.TopP = d.TopP
	}
	return p
}

// InferencingResult is generated text with token usage.
type InferencingResult struct {
	Text                string
	PromptTokenCount    uint32
	GeneratedTokenCount uint32
}

// EmbeddingsResult holds one vector per input text.
type EmbeddingsResult struct {
	Embeddings       [][]float32
	PromptTokenCount uint32
}

// Errors the host reports (wrapped with the model name).
var (
	ErrModelNotSupported = errors.New("model not supported (is it in the component's ai_models?)")
	ErrRuntime           = errors.New("inference failed")
	ErrInvalidInput      = errors.New("invalid input")
)

// Infer generates text with Spin's default parameters.
func Infer(model, prompt string) (*InferencingResult, error) {
	return InferWithOptions(model, prompt, DefaultParams())
}

// InferWithOptions generates text with the given parameters.
func InferWithOptions(model, prompt string, params InferencingParams) (*InferencingResult, error) {
	res, err := infer(model, prompt, params.withDefaults())
	if err != nil {
		return nil, fmt.Errorf("llm: %s: %w", model, err)
	}
	return res, nil
}

// GenerateEmbeddings computes an embedding for each text.
func GenerateEmbeddings(model string, text []string) (*EmbeddingsResult, error) {
	res, err := embeddings(model, text)
	if err != nil {
		return nil, fmt.Errorf("llm: %s: %w", model, err)
	}
	return res, nil
}
