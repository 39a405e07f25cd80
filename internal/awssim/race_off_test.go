//go:build !race

package awssim_test

const raceEnabled = false
