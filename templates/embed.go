// Package templates holds the Spin templates for Go applications built
// with componentize-go, in the layout Spin's template installer expects
// (templates/<id>/content and templates/<id>/metadata at the root of the
// repository, so `spin templates install --git` finds them), and embeds
// them in the componentize-go binary for `componentize-go new`.
//
//   - http-go: an HTTP component (spinhttp.Handle) answering "Hello World!".
//   - redis-go: a Redis-triggered component (redis.Handle) printing every
//     message of a channel.
//
// Go files are stored as main.go.tmpl and go.mod as go.mod.tmpl (Spin and
// componentize-go drop the .tmpl), so that they are neither code nor a
// nested module of this repository.
package templates

import "embed"

// FS holds the template folders, each with content/ and metadata/.
//
//go:embed all:http-go all:redis-go
var FS embed.FS
