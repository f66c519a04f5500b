package render

import (
	"strings"

	xast "github.com/yuin/goldmark/extension/ast"
)

// minColumn is the narrowest a table's column is made to fit the width.
const minColumn = 8

// table lays a table out in columns that fit width: when the widest row
// does not fit, the widest columns give way and their cells wrap inside
// them.
func (r *renderer) table(t *xast.Table, width int) []string {
	var rows [][]string
	for row := t.FirstChild(); row != nil; row = row.NextSibling() {
		var cells []string
		for cell := row.FirstChild(); cell != nil; cell = cell.NextSibling() {
			cells = append(cells, r.inline(cell))
		}
		rows = append(rows, cells)
	}
	cols := len(t.Alignments)
	widths, longest := make([]int, cols), make([]int, cols)
	for _, cells := range rows {
		for j, c := range cells[:min(len(cells), cols)] {
			widths[j] = max(widths[j], visibleWidth(c))
			for _, word := range strings.Fields(c) {
				longest[j] = max(longest[j], visibleWidth(word))
			}
		}
	}
	fitColumns(widths, longest, width)

	colSep, rowSep, cross := r.st.tableLines()
	var out []string
	for i, cells := range rows {
		out = append(out, r.tableRow(cells, widths, t.Alignments, colSep, i == 0)...)
		if i == 0 {
			seps := make([]string, cols)
			for j, w := range widths {
				seps[j] = strings.Repeat(rowSep, w+2)
			}
			out = append(out, r.st.faint(strings.Join(seps, cross)))
		}
	}
	return out
}

// fitColumns narrows the widest columns, one column at a time, until a row
// (each column padded by a space each side, and a separator between) fits
// width: first down to each column's longest word, then, when that is not
// enough, down to minColumn.
func fitColumns(widths, longest []int, width int) {
	total := func() int {
		n := len(widths) - 1
		for _, w := range widths {
			n += w + 2
		}
		return n
	}
	for _, floor := range []func(j int) int{
		func(j int) int { return max(minColumn, longest[j]) },
		func(int) int { return minColumn },
	} {
		for total() > width {
			widest := -1
			for j, w := range widths {
				if w > floor(j) && (widest < 0 || w > widths[widest]) {
					widest = j
				}
			}
			if widest < 0 {
				break
			}
			widths[widest]--
		}
	}
}

// tableRow is one row of cells, each wrapped in its column, as many lines
// as its tallest cell.
func (r *renderer) tableRow(cells []string, widths []int, align []xast.Alignment, sep string, header bool) []string {
	wrapped := make([][]string, len(widths))
	height := 1
	for j := range widths {
		cell := ""
		if j < len(cells) {
			cell = cells[j]
		}
		wrapped[j] = wrap(cell, widths[j], 0)
		height = max(height, len(wrapped[j]))
	}
	out := make([]string, height)
	for k := range height {
		parts := make([]string, len(widths))
		for j, w := range widths {
			part := ""
			if k < len(wrapped[j]) {
				part = wrapped[j][k]
			}
			if header && r.st.color {
				part = words(part, r.st.cs.Bold)
			}
			parts[j] = " " + pad(part, w, align[j]) + " "
		}
		out[k] = strings.TrimRight(strings.Join(parts, r.st.faint(sep)), " ")
	}
	return out
}

// pad fills s with spaces to w columns, as the column is aligned.
func pad(s string, w int, a xast.Alignment) string {
	gap := max(w-visibleWidth(s), 0)
	switch a {
	case xast.AlignRight:
		return strings.Repeat(" ", gap) + s
	case xast.AlignCenter:
		return strings.Repeat(" ", gap/2) + s + strings.Repeat(" ", gap-gap/2)
	default:
		return s + strings.Repeat(" ", gap)
	}
}
