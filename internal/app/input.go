package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
)

// errInterrupted is the error of a command cancelled while it waited for
// its input (Ctrl-C, SIGTERM).
var errInterrupted = errors.New("interrupted while reading the input")

// readInput reads a whole input of at most limit bytes: the file at path,
// or r when path is "" or "-" (stdin). Opening a FIFO and reading a pipe
// block without regard to ctx, so both run aside: a cancelled ctx returns
// at once (the process is about to exit; the blocked read goes with it).
func readInput(ctx context.Context, path string, r io.Reader, limit int64) ([]byte, error) {
	name := path
	if path == "" || path == "-" {
		name = "stdin"
	}
	type result struct {
		data []byte
		err  error
	}
	done := make(chan result, 1)
	go func() {
		in := r
		if name != "stdin" {
			f, err := os.Open(path)
			if err != nil {
				done <- result{err: err}
				return
			}
			defer func() { _ = f.Close() }()
			in = f
		}
		data, err := io.ReadAll(io.LimitReader(in, limit+1))
		if err != nil {
			err = fmt.Errorf("read %s: %w", name, err)
		}
		done <- result{data, err}
	}()
	select {
	case <-ctx.Done():
		return nil, fmt.Errorf("%s: %w", name, errInterrupted)
	case res := <-done:
		if res.err == nil && int64(len(res.data)) > limit {
			return nil, fmt.Errorf("%s is larger than %d MiB", name, limit>>20)
		}
		return res.data, res.err
	}
}
