package scaffold

import (
	"fmt"
	"sort"
	"strings"
	"unicode"
)

// Filters are the filters a placeholder may apply ({{ name | filter }}):
// Spin's own (kebab_case, snake_case, pascal_case, dotted_pascal_case,
// http_wildcard), the case filters of Liquid's standard library that Spin
// also has (downcase, upcase), and, as conveniences Spin does not know,
// camel_case, lower/lowercase and upper/uppercase. Templates meant for
// `spin new` as well should stick to Spin's names.
var Filters = map[string]func(string) string{
	"kebab_case":         func(s string) string { return joinWords(s, "-", strings.ToLower) },
	"snake_case":         func(s string) string { return joinWords(s, "_", strings.ToLower) },
	"pascal_case":        pascalCase,
	"camel_case":         camelCase,
	"dotted_pascal_case": dottedPascalCase,
	"http_wildcard":      httpWildcard,
	"downcase":           strings.ToLower,
	"lower":              strings.ToLower,
	"lowercase":          strings.ToLower,
	"upcase":             strings.ToUpper,
	"upper":              strings.ToUpper,
	"uppercase":          strings.ToUpper,
}

// Render replaces every placeholder of text, {{ name }} or
// {{ name | filter | ... }}, with the value of name passed through the
// filters in turn. {{- and -}} trim the white space before and after the
// placeholder, as in Liquid. A name without a value, an unknown filter,
// an unclosed placeholder and a Liquid tag ({% ... %}, which this subset
// does not implement) are errors that give the line.
func Render(text string, values map[string]string) (string, error) {
	var b strings.Builder
	rest := text
	line := 1
	for {
		open := strings.Index(rest, "{{")
		tag := strings.Index(rest, "{%")
		if tag >= 0 && (open < 0 || tag < open) {
			return "", fmt.Errorf("line %d: Liquid tags ({%% ... %%}) are not supported, only {{ placeholders }}", line+strings.Count(rest[:tag], "\n"))
		}
		if open < 0 {
			b.WriteString(rest)
			return b.String(), nil
		}
		before := rest[:open]
		line += strings.Count(before, "\n")
		rest = rest[open+2:]
		if strings.HasPrefix(rest, "-") {
			rest = rest[1:]
			before = strings.TrimRightFunc(before, unicode.IsSpace)
		}
		b.WriteString(before)
		end := strings.Index(rest, "}}")
		if end < 0 {
			return "", fmt.Errorf("line %d: {{ is not closed by }}", line)
		}
		expr := rest[:end]
		rest = rest[end+2:]
		trimAfter := strings.HasSuffix(expr, "-")
		if trimAfter {
			expr = expr[:len(expr)-1]
		}
		v, err := evaluate(expr, values)
		if err != nil {
			return "", fmt.Errorf("line %d: %v", line, err)
		}
		b.WriteString(v)
		line += strings.Count(expr, "\n")
		if trimAfter {
			trimmed := strings.TrimLeftFunc(rest, unicode.IsSpace)
			line += strings.Count(rest[:len(rest)-len(trimmed)], "\n")
			rest = trimmed
		}
	}
}

// evaluate computes one placeholder's expression: a name and its filters.
func evaluate(expr string, values map[string]string) (string, error) {
	parts := strings.Split(expr, "|")
	name := strings.TrimSpace(parts[0])
	if name == "" {
		return "", fmt.Errorf("empty placeholder {{%s}}", expr)
	}
	if !validName(name) {
		return "", fmt.Errorf("{{%s}}: %q is not a parameter name (literals and expressions are not supported)", expr, name)
	}
	v, ok := values[name]
	if !ok {
		return "", fmt.Errorf("unknown variable %q (known: %s)", name, strings.Join(sortedKeys(values), ", "))
	}
	for _, p := range parts[1:] {
		f := strings.TrimSpace(p)
		if i := strings.IndexByte(f, ':'); i >= 0 {
			return "", fmt.Errorf("filter %q: filter arguments are not supported", strings.TrimSpace(f[:i]))
		}
		fn, ok := Filters[f]
		if !ok {
			return "", fmt.Errorf("unknown filter %q (known: %s)", f, strings.Join(sortedKeys(Filters), ", "))
		}
		v = fn(v)
	}
	return v, nil
}

// validName reports whether s can name a parameter: letters, digits, '-'
// and '_'.
func validName(s string) bool {
	for _, r := range s {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-' && r != '_' {
			return false
		}
	}
	return true
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// words splits s into words for the case filters: anything that is not a
// letter or a digit separates words, and so do a change from a lower-case
// letter or a digit to an upper-case one ("myApp" is my, App) and the last
// capital of a run of capitals followed by a lower-case letter
// ("HTTPServer" is HTTP, Server).
func words(s string) []string {
	var out []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			out = append(out, string(cur))
			cur = cur[:0]
		}
	}
	rs := []rune(s)
	for i, r := range rs {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			flush()
			continue
		}
		if len(cur) > 0 && unicode.IsUpper(r) {
			prev := cur[len(cur)-1]
			nextLower := i+1 < len(rs) && unicode.IsLower(rs[i+1])
			if unicode.IsLower(prev) || unicode.IsDigit(prev) || (unicode.IsUpper(prev) && nextLower) {
				flush()
			}
		}
		cur = append(cur, r)
	}
	flush()
	return out
}

// joinWords joins the words of s with sep after applying f to each.
func joinWords(s, sep string, f func(string) string) string {
	ws := words(s)
	for i, w := range ws {
		ws[i] = f(w)
	}
	return strings.Join(ws, sep)
}

// title upper-cases the first letter of w and lower-cases the rest.
func title(w string) string {
	rs := []rune(strings.ToLower(w))
	if len(rs) > 0 {
		rs[0] = unicode.ToUpper(rs[0])
	}
	return string(rs)
}

func pascalCase(s string) string { return joinWords(s, "", title) }

func camelCase(s string) string {
	ws := words(s)
	for i, w := range ws {
		if i == 0 {
			ws[i] = strings.ToLower(w)
		} else {
			ws[i] = title(w)
		}
	}
	return strings.Join(ws, "")
}

// dottedPascalCase keeps the dots and pascal-cases each part:
// "acme.pet-store" is "Acme.PetStore".
func dottedPascalCase(s string) string {
	parts := strings.Split(s, ".")
	for i, p := range parts {
		parts[i] = pascalCase(p)
	}
	return strings.Join(parts, ".")
}

// httpWildcard makes a route a wildcard route: "/api" is "/api/...".
func httpWildcard(s string) string {
	switch {
	case strings.HasSuffix(s, "/..."):
		return s
	case strings.HasSuffix(s, "/"):
		return s + "..."
	}
	return s + "/..."
}
