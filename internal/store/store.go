// Package store keeps accounts, items, revisions, issues and settings in
// SQLite (embedded default) or Postgres, with one set of portable SQL.
package store

import (
	"context"
	"errors"
	"log/slog"
)

// Store is the database. PLACEHOLDER: replaced by the store implementation.
type Store struct{}

// Open opens the database at url.
func Open(ctx context.Context, url string, logger *slog.Logger) (*Store, error) {
	return nil, errors.New("store: not implemented")
}

func (s *Store) Engine() string                           { return "" }
func (s *Store) Close() error                             { return nil }
func (s *Store) Migrate(ctx context.Context) (int, error) { return 0, nil }
func (s *Store) SchemaCurrent(ctx context.Context) error  { return nil }
