// Package syntax reads WIT source text into a syntax tree.
//
// It knows the lexical structure and grammar of WIT as written in
// component-model/design/mvp/WIT.md and nothing about name resolution: that
// is the job of package wit, which turns one or more syntax trees into a
// resolved set of packages.
package syntax

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Pos is a position in a WIT source file. Line and Col count from 1; Col
// counts bytes, as Go's own compiler does.
type Pos struct {
	File   string
	Line   int
	Col    int
	Offset int
}

func (p Pos) String() string {
	if p.File == "" {
		return fmt.Sprintf("%d:%d", p.Line, p.Col)
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
}

// Error is a problem found in WIT source, reported at a position.
type Error struct {
	Pos Pos
	Msg string
}

func (e *Error) Error() string { return e.Pos.String() + ": " + e.Msg }

// Kind is the kind of a token.
type Kind int

// Token kinds. Keywords are reported as Name with Keyword set, so that the
// parser can accept them where the grammar allows plain words (gate fields).
const (
	EOF Kind = iota
	Name
	Integer
	String
	Equals    // =
	Comma     // ,
	Colon     // :
	Semicolon // ;
	LParen    // (
	RParen    // )
	LBrace    // {
	RBrace    // }
	Less      // <
	Greater   // >
	Star      // *
	Arrow     // ->
	Slash     // /
	Dot       // .
	At        // @
	Underscore
)

var kindNames = [...]string{
	EOF: "end of file", Name: "identifier", Integer: "integer", String: "string literal",
	Equals: "'='", Comma: "','", Colon: "':'", Semicolon: "';'", LParen: "'('",
	RParen: "')'", LBrace: "'{'", RBrace: "'}'", Less: "'<'", Greater: "'>'",
	Star: "'*'", Arrow: "'->'", Slash: "'/'", Dot: "'.'", At: "'@'", Underscore: "'_'",
}

func (k Kind) String() string { return kindNames[k] }

// keywords may not be used bare as identifiers; `%name` escapes them.
var keywords = map[string]bool{
	"as": true, "async": true, "bool": true, "borrow": true, "char": true,
	"constructor": true, "enum": true, "export": true, "f32": true, "f64": true,
	"flags": true, "from": true, "func": true, "future": true, "import": true,
	"include": true, "interface": true, "list": true, "map": true, "option": true,
	"own": true, "package": true, "record": true, "resource": true, "result": true,
	"s16": true, "s32": true, "s64": true, "s8": true, "static": true,
	"stream": true, "string": true, "tuple": true, "type": true, "u16": true,
	"u32": true, "u64": true, "u8": true, "use": true, "variant": true,
	"with": true, "world": true, "error-context": true,
}

// IsKeyword reports whether name is reserved and must be written %name to
// be used as an identifier.
func IsKeyword(name string) bool { return keywords[name] }

// Token is one lexical token. Docs holds the doc comments (`///` lines and
// `/** */` blocks) that directly precede it, with the comment markers removed.
type Token struct {
	Kind    Kind
	Text    string // identifier (without a leading %), integer digits or string value
	Keyword bool   // an unescaped reserved word
	Pos     Pos
	End     int // byte offset just past the token
	Docs    []string
}

func (t Token) String() string {
	switch t.Kind {
	case Name:
		if t.Keyword {
			return fmt.Sprintf("keyword '%s'", t.Text)
		}
		return fmt.Sprintf("identifier '%s'", t.Text)
	case Integer:
		return fmt.Sprintf("integer %s", t.Text)
	case String:
		return fmt.Sprintf("string %q", t.Text)
	}
	return t.Kind.String()
}

// lexer turns source text into tokens on demand.
type lexer struct {
	file string
	src  string
	off  int
	line int
	col  int // byte column of src[off], from 1
}

func newLexer(file, src string) *lexer {
	return &lexer{file: file, src: src, line: 1, col: 1}
}

func (l *lexer) pos() Pos { return Pos{File: l.file, Line: l.line, Col: l.col, Offset: l.off} }

func (l *lexer) errorf(p Pos, format string, args ...any) *Error {
	return &Error{Pos: p, Msg: fmt.Sprintf(format, args...)}
}

// advance moves past n bytes, keeping line and column current.
func (l *lexer) advance(n int) {
	for i := 0; i < n; i++ {
		if l.src[l.off] == '\n' {
			l.line++
			l.col = 1
		} else {
			l.col++
		}
		l.off++
	}
}

// checkChar rejects characters WIT forbids anywhere in a file: control codes
// other than tab, newline and carriage return, and bidirectional overrides.
func (l *lexer) checkChar() (rune, int, error) {
	r, size := utf8.DecodeRuneInString(l.src[l.off:])
	switch {
	case r == utf8.RuneError && size == 1:
		return 0, 0, l.errorf(l.pos(), "invalid UTF-8 byte 0x%02x", l.src[l.off])
	case r < 0x20 && r != '\t' && r != '\n' && r != '\r', r == 0x7f:
		return 0, 0, l.errorf(l.pos(), "control character U+%04X is not allowed in WIT", r)
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f:
		return 0, 0, l.errorf(l.pos(), "bidirectional override character U+%04X is not allowed in WIT", r)
	}
	return r, size, nil
}

// skipTrivia skips whitespace and comments and returns the doc comments seen.
func (l *lexer) skipTrivia() ([]string, error) {
	var docs []string
	for l.off < len(l.src) {
		c := l.src[l.off]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			l.advance(1)
		case strings.HasPrefix(l.src[l.off:], "//"):
			end := strings.IndexByte(l.src[l.off:], '\n')
			if end < 0 {
				end = len(l.src) - l.off
			}
			text := l.src[l.off : l.off+end]
			for i := 0; i < end; {
				_, size, err := l.checkChar()
				if err != nil {
					return nil, err
				}
				l.advance(size)
				i += size
			}
			// `///` is a doc comment, `////` and longer are plain comments.
			if strings.HasPrefix(text, "///") && !strings.HasPrefix(text, "////") {
				docs = append(docs, strings.TrimSuffix(strings.TrimPrefix(text[3:], " "), "\r"))
			}
		case strings.HasPrefix(l.src[l.off:], "/*"):
			start := l.pos()
			isDoc := strings.HasPrefix(l.src[l.off:], "/**") && !strings.HasPrefix(l.src[l.off:], "/**/")
			depth := 0
			bodyStart := l.off + 2
			bodyEnd := -1
			for l.off < len(l.src) {
				if strings.HasPrefix(l.src[l.off:], "/*") {
					depth++
					l.advance(2)
					continue
				}
				if strings.HasPrefix(l.src[l.off:], "*/") {
					depth--
					l.advance(2)
					if depth == 0 {
						bodyEnd = l.off - 2
						break
					}
					continue
				}
				_, size, err := l.checkChar()
				if err != nil {
					return nil, err
				}
				l.advance(size)
			}
			if bodyEnd < 0 {
				return nil, l.errorf(start, "unterminated block comment: '/*' has no matching '*/'")
			}
			if isDoc {
				body := l.src[bodyStart+1 : bodyEnd]
				for _, line := range strings.Split(strings.Trim(body, "\n"), "\n") {
					docs = append(docs, strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(line), "*")))
				}
			}
		default:
			return docs, nil
		}
	}
	return docs, nil
}

func isIdentStart(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func isIdentChar(c byte) bool {
	return isIdentStart(c) || c >= '0' && c <= '9' || c == '-'
}

// next returns the next token.
func (l *lexer) next() (Token, error) {
	docs, err := l.skipTrivia()
	if err != nil {
		return Token{}, err
	}
	tok := Token{Pos: l.pos(), Docs: docs}
	if l.off >= len(l.src) {
		tok.Kind = EOF
		tok.End = l.off
		return tok, nil
	}
	c := l.src[l.off]
	single := map[byte]Kind{
		'=': Equals, ',': Comma, ':': Colon, ';': Semicolon, '(': LParen, ')': RParen,
		'{': LBrace, '}': RBrace, '<': Less, '>': Greater, '*': Star, '/': Slash,
		'.': Dot, '@': At,
	}
	switch {
	case c == '-' && strings.HasPrefix(l.src[l.off:], "->"):
		tok.Kind = Arrow
		l.advance(2)
	case single[c] != 0:
		tok.Kind = single[c]
		l.advance(1)
	case c == '_' && (l.off+1 >= len(l.src) || !isIdentChar(l.src[l.off+1])):
		tok.Kind = Underscore
		l.advance(1)
	case c >= '0' && c <= '9':
		start := l.off
		for l.off < len(l.src) && l.src[l.off] >= '0' && l.src[l.off] <= '9' {
			l.advance(1)
		}
		tok.Kind, tok.Text = Integer, l.src[start:l.off]
	case c == '"':
		s, err := l.stringLit()
		if err != nil {
			return Token{}, err
		}
		tok.Kind, tok.Text = String, s
	case c == '%' || isIdentStart(c):
		escaped := c == '%'
		if escaped {
			l.advance(1)
		}
		start := l.off
		for l.off < len(l.src) && isIdentChar(l.src[l.off]) {
			l.advance(1)
		}
		text := l.src[start:l.off]
		if text == "" {
			return Token{}, l.errorf(tok.Pos, "expected an identifier after '%%'")
		}
		if err := ValidateID(text); err != nil {
			return Token{}, l.errorf(tok.Pos, "invalid identifier '%s': %v", text, err)
		}
		tok.Kind, tok.Text = Name, text
		tok.Keyword = !escaped && keywords[text]
	default:
		if _, _, err := l.checkChar(); err != nil {
			return Token{}, err
		}
		r, _ := utf8.DecodeRuneInString(l.src[l.off:])
		return Token{}, l.errorf(tok.Pos, "unexpected character %q", r)
	}
	tok.End = l.off
	return tok, nil
}

// stringLit reads a double-quoted literal with the escapes of the core
// WebAssembly text format's names: \t \n \r \" \' \\, \hh and \u{h+}.
func (l *lexer) stringLit() (string, error) {
	start := l.pos()
	l.advance(1)
	var b strings.Builder
	for {
		if l.off >= len(l.src) || l.src[l.off] == '\n' {
			return "", l.errorf(start, "unterminated string literal")
		}
		c := l.src[l.off]
		switch {
		case c == '"':
			l.advance(1)
			return b.String(), nil
		case c == '\\':
			esc := l.pos()
			if l.off+1 >= len(l.src) {
				return "", l.errorf(esc, "unterminated escape in string literal")
			}
			switch e := l.src[l.off+1]; e {
			case 't', 'n', 'r', '"', '\'', '\\':
				b.WriteByte(map[byte]byte{'t': '\t', 'n': '\n', 'r': '\r', '"': '"', '\'': '\'', '\\': '\\'}[e])
				l.advance(2)
			case 'u':
				end := strings.IndexByte(l.src[l.off:], '}')
				if !strings.HasPrefix(l.src[l.off+2:], "{") || end < 0 {
					return "", l.errorf(esc, "invalid unicode escape, expected \\u{hex}")
				}
				var r rune
				if _, err := fmt.Sscanf(l.src[l.off+3:l.off+end], "%x", &r); err != nil || !utf8.ValidRune(r) {
					return "", l.errorf(esc, "invalid unicode escape %q", l.src[l.off:l.off+end+1])
				}
				b.WriteRune(r)
				l.advance(end + 1)
			default:
				var v byte
				if l.off+2 >= len(l.src) {
					return "", l.errorf(esc, "unterminated escape in string literal")
				}
				if _, err := fmt.Sscanf(l.src[l.off+1:l.off+3], "%02x", &v); err != nil {
					return "", l.errorf(esc, "invalid escape %q in string literal", l.src[l.off:l.off+2])
				}
				b.WriteByte(v)
				l.advance(3)
			}
		default:
			_, size, err := l.checkChar()
			if err != nil {
				return "", err
			}
			b.WriteString(l.src[l.off : l.off+size])
			l.advance(size)
		}
	}
}

// version reads a semantic version directly from the source, as the grammar's
// `valid-semver` does not fit the token structure (`1.0.0-rc-2026-03-15`).
// A trailing '.' belongs to what follows (`@1.0.0.{name}`).
func (l *lexer) version() (string, Pos, error) {
	if _, err := l.skipTrivia(); err != nil {
		return "", Pos{}, err
	}
	p := l.pos()
	end := l.off
	for end < len(l.src) {
		c := l.src[end]
		if isIdentChar(c) || c == '.' || c == '+' {
			end++
			continue
		}
		break
	}
	for end > l.off && l.src[end-1] == '.' {
		end--
	}
	text := l.src[l.off:end]
	if text == "" {
		return "", p, l.errorf(p, "expected a semantic version after '@'")
	}
	if _, err := ParseVersion(text); err != nil {
		return "", p, l.errorf(p, "invalid version '%s': %v", text, err)
	}
	l.advance(end - l.off)
	return text, p, nil
}

// ValidateID reports whether s is a kebab-case label as the component model
// defines it: fragments separated by '-', the first starting with a letter,
// each fragment all lower-case or all upper-case (digits allowed).
func ValidateID(s string) error {
	if s == "" {
		return fmt.Errorf("empty identifier")
	}
	for i, part := range strings.Split(s, "-") {
		if part == "" {
			return fmt.Errorf("empty word between '-' separators")
		}
		if i == 0 && !isIdentStart(part[0]) {
			return fmt.Errorf("must start with a letter")
		}
		lower, upper := false, false
		for j := 0; j < len(part); j++ {
			c := part[j]
			switch {
			case c >= 'a' && c <= 'z':
				lower = true
			case c >= 'A' && c <= 'Z':
				upper = true
			case c >= '0' && c <= '9':
			default:
				return fmt.Errorf("character %q is not allowed", c)
			}
		}
		if lower && upper {
			return fmt.Errorf("word '%s' mixes upper and lower case", part)
		}
	}
	return nil
}
