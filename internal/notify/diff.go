package notify

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/secmonkey/monkey/internal/change"
)

// DiffLine is one line of a configuration diff: Op is ' ' (context), '+'
// (added), '-' (removed) or '~' (an elision: Text says how many lines).
type DiffLine struct {
	Op   string
	Text string
}

// diffContext is the number of unchanged lines kept around changes.
const diffContext = 3

// maxDiffLines bounds the lines of one item's diff in a report.
const maxDiffLines = 300

// maxDiffCells bounds the work of the line diff (lines before × lines
// after, once common ends are trimmed); larger diffs list the changed paths.
const maxDiffCells = 2_000_000

// ConfigDiff renders the difference between two canonical JSON configs
// (nil: none) as lines of indented JSON: a new item's config all added, a
// deleted item's all removed, a changed item's changed lines with context.
func ConfigDiff(before, after []byte) []DiffLine {
	a, b := jsonLines(before), jsonLines(after)
	var out []DiffLine
	switch {
	case len(a) == 0:
		out = allLines("+", b)
	case len(b) == 0:
		out = allLines("-", a)
	default:
		out = lineDiff(a, b)
		if out == nil {
			out = pathDiff(before, after)
		}
	}
	if len(out) > maxDiffLines {
		n := len(out) - maxDiffLines
		out = append(out[:maxDiffLines], DiffLine{Op: "~", Text: fmt.Sprintf("… %d more lines", n)})
	}
	return out
}

func jsonLines(cfg []byte) []string {
	if len(bytes.TrimSpace(cfg)) == 0 {
		return nil
	}
	var v any
	if err := json.Unmarshal(cfg, &v); err != nil {
		return strings.Split(string(cfg), "\n")
	}
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return strings.Split(string(cfg), "\n")
	}
	return strings.Split(string(b), "\n")
}

func allLines(op string, lines []string) []DiffLine {
	out := make([]DiffLine, len(lines))
	for i, l := range lines {
		out[i] = DiffLine{Op: op, Text: l}
	}
	return out
}

// lineDiff is a longest-common-subsequence diff of two line lists with
// diffContext lines of context; nil when too large.
func lineDiff(a, b []string) []DiffLine {
	pre := 0
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	ma, mb := a[pre:len(a)-suf], b[pre:len(b)-suf]
	if (len(ma)+1)*(len(mb)+1) > maxDiffCells {
		return nil
	}
	// lcs[i][j] = LCS length of ma[i:], mb[j:].
	w := len(mb) + 1
	lcs := make([]int32, (len(ma)+1)*w)
	for i := len(ma) - 1; i >= 0; i-- {
		for j := len(mb) - 1; j >= 0; j-- {
			if ma[i] == mb[j] {
				lcs[i*w+j] = lcs[(i+1)*w+j+1] + 1
			} else {
				lcs[i*w+j] = max(lcs[(i+1)*w+j], lcs[i*w+j+1])
			}
		}
	}
	full := allLines(" ", a[:pre])
	i, j := 0, 0
	for i < len(ma) || j < len(mb) {
		switch {
		case i < len(ma) && j < len(mb) && ma[i] == mb[j]:
			full = append(full, DiffLine{Op: " ", Text: ma[i]})
			i++
			j++
		case i < len(ma) && (j == len(mb) || lcs[(i+1)*w+j] >= lcs[i*w+j+1]):
			full = append(full, DiffLine{Op: "-", Text: ma[i]}) // removals before additions
			i++
		default:
			full = append(full, DiffLine{Op: "+", Text: mb[j]})
			j++
		}
	}
	full = append(full, allLines(" ", a[len(a)-suf:])...)
	return withContext(full)
}

// withContext keeps the changed lines and diffContext lines around them,
// replacing the other runs of unchanged lines by an elision.
func withContext(full []DiffLine) []DiffLine {
	keep := make([]bool, len(full))
	for i, l := range full {
		if l.Op == " " {
			continue
		}
		for k := max(0, i-diffContext); k <= min(len(full)-1, i+diffContext); k++ {
			keep[k] = true
		}
	}
	var out []DiffLine
	skipped := 0
	for i, l := range full {
		if keep[i] {
			if skipped > 0 {
				out = append(out, DiffLine{Op: "~", Text: fmt.Sprintf("… %d unchanged lines", skipped)})
				skipped = 0
			}
			out = append(out, l)
			continue
		}
		skipped++
	}
	if skipped > 0 && len(out) > 0 {
		out = append(out, DiffLine{Op: "~", Text: fmt.Sprintf("… %d unchanged lines", skipped)})
	}
	return out
}

// pathDiff lists the changed paths of two configs (diffs too large for
// the line diff).
func pathDiff(before, after []byte) []DiffLine {
	a, errA := change.Decode(before)
	b, errB := change.Decode(after)
	if errA != nil || errB != nil {
		return []DiffLine{{Op: "~", Text: "configuration changed (not JSON objects)"}}
	}
	var out []DiffLine
	for _, d := range change.Diff(a, b) {
		path := strings.ReplaceAll(d.Path, "$", ".")
		switch d.Kind {
		case "added":
			out = append(out, DiffLine{Op: "+", Text: path + ": " + compact(d.New)})
		case "removed":
			out = append(out, DiffLine{Op: "-", Text: path + ": " + compact(d.Old)})
		default:
			out = append(out, DiffLine{Op: "-", Text: path + ": " + compact(d.Old)}, DiffLine{Op: "+", Text: path + ": " + compact(d.New)})
		}
	}
	return out
}

func compact(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}
