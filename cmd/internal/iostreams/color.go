package iostreams

// ColorScheme colours text for the output stream, or leaves it plain when
// colour is not wanted there.
type ColorScheme struct{ enabled bool }

// ColorScheme is the scheme of the output stream.
func (s *Streams) ColorScheme() ColorScheme { return ColorScheme{enabled: s.Color} }

func (c ColorScheme) wrap(code, text string) string {
	if !c.enabled {
		return text
	}
	return "\x1b[" + code + "m" + text + "\x1b[0m"
}

// Enabled reports whether the scheme colours anything.
func (c ColorScheme) Enabled() bool { return c.enabled }

// Green is text for what passes.
func (c ColorScheme) Green(text string) string { return c.wrap("32", text) }

// Red is text for what fails.
func (c ColorScheme) Red(text string) string { return c.wrap("31", text) }

// Bold is text that stands out.
func (c ColorScheme) Bold(text string) string { return c.wrap("1", text) }

// SuccessBold is a result to celebrate.
func (c ColorScheme) SuccessBold(text string) string { return c.wrap("1;32", text) }

// FailureBold is a result that went wrong.
func (c ColorScheme) FailureBold(text string) string { return c.wrap("1;31", text) }

// Reverse is text on inverted colours (a pager's prompt).
func (c ColorScheme) Reverse(text string) string { return c.wrap("7", text) }

// SuccessMark marks a passing item in a list: a green check mark, or
// "ok  " in plain output.
func (c ColorScheme) SuccessMark() string {
	if !c.enabled {
		return "ok  "
	}
	return c.Green("✓")
}

// FailureMark marks a failing item in a list: a red cross, or "FAIL" in
// plain output.
func (c ColorScheme) FailureMark() string {
	if !c.enabled {
		return "FAIL"
	}
	return c.Red("✗")
}
