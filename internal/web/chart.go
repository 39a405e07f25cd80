package web

import (
	"fmt"
	"strings"
)

// Charts are SVG drawn on the server: geometry computed here, markup in
// templates (escaped by html/template), numbers always written beside the
// shapes.

type bar struct {
	Label string
	Value int
	Note  string
	Link  string
}

// barChart is a horizontal bar chart.
type barChart struct{ Bars []bar }

// Chart geometry.
const (
	chartWidth  = 640
	barHeight   = 22
	barGap      = 6
	labelWidth  = 170
	valueMargin = 90
)

type barShape struct {
	bar
	Y, W, TextY int
	Level       string
}

// Shapes lays the bars out.
func (c barChart) Shapes() []barShape {
	maxV := 1
	for _, b := range c.Bars {
		maxV = max(maxV, b.Value)
	}
	span := chartWidth - labelWidth - valueMargin
	out := make([]barShape, 0, len(c.Bars))
	for i, b := range c.Bars {
		y := i * (barHeight + barGap)
		w := b.Value * span / maxV
		if b.Value > 0 {
			w = max(w, 2)
		}
		out = append(out, barShape{bar: b, Y: y, W: w, TextY: y + barHeight/2 + 4, Level: level(b.Value)})
	}
	return out
}

// Height is the SVG's height.
func (c barChart) Height() int { return max(1, len(c.Bars)*(barHeight+barGap)) }

// Width is the SVG's width.
func (c barChart) Width() int { return chartWidth }

// LabelWidth is where bars start.
func (c barChart) LabelWidth() int { return labelWidth }

type point struct {
	Label string
	Value int
}

// lineChart is a line over days.
type lineChart struct{ Points []point }

const (
	lineHeight = 180
	lineLeft   = 50
	lineBottom = 24
	lineTop    = 10
)

type dot struct {
	X, Y  int
	Label string
	Value int
}

// Dots places the points.
func (c lineChart) Dots() []dot {
	maxV := 1
	for _, p := range c.Points {
		maxV = max(maxV, p.Value)
	}
	n := max(1, len(c.Points)-1)
	span := chartWidth - lineLeft - 10
	out := make([]dot, 0, len(c.Points))
	for i, p := range c.Points {
		out = append(out, dot{X: lineLeft + i*span/n, Y: lineTop + (lineHeight-lineTop-lineBottom)*(maxV-p.Value)/maxV,
			Label: p.Label, Value: p.Value})
	}
	return out
}

// Path is the polyline's points attribute.
func (c lineChart) Path() string {
	var b strings.Builder
	for i, d := range c.Dots() {
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "%d,%d", d.X, d.Y)
	}
	return b.String()
}

// Max is the top of the scale.
func (c lineChart) Max() int {
	m := 0
	for _, p := range c.Points {
		m = max(m, p.Value)
	}
	return m
}

// Geometry for the template.
func (c lineChart) Width() int    { return chartWidth }
func (c lineChart) Height() int   { return lineHeight }
func (c lineChart) Left() int     { return lineLeft }
func (c lineChart) Top() int      { return lineTop }
func (c lineChart) Baseline() int { return lineHeight - lineBottom }
func (c lineChart) LabelY() int   { return lineHeight - 6 }
