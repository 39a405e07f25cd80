package store

import (
	"context"
	"database/sql"
	"fmt"
)

func nullID(id int64) sql.NullInt64 { return sql.NullInt64{Int64: id, Valid: id != 0} }

// AddItemComment adds a comment by userID on an item and returns its id.
func (s *Store) AddItemComment(ctx context.Context, itemID, userID int64, text string) (int64, error) {
	var id int64
	err := s.write().queryRow(ctx, "INSERT INTO item_comments (item_id, user_id, text, created) VALUES (?, ?, ?, ?) RETURNING id",
		itemID, nullID(userID), text, s.clock()).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("comment on item %d: %w", itemID, err)
	}
	return id, nil
}

// ItemComments returns the comments of an item, oldest first.
func (s *Store) ItemComments(ctx context.Context, itemID int64) ([]Comment, error) {
	return s.comments(ctx, `SELECT c.id, c.item_id, 0, COALESCE(c.user_id, 0), COALESCE(u.email, ''), c.text, c.created
		FROM item_comments c LEFT JOIN users u ON u.id = c.user_id WHERE c.item_id = ? ORDER BY c.created, c.id`, itemID)
}

// DeleteItemComment deletes an item comment.
func (s *Store) DeleteItemComment(ctx context.Context, id int64) error {
	return s.deleteByID(ctx, "item_comments", "item comment", id)
}

// AddRevisionComment adds a comment by userID on a revision and returns its
// id.
func (s *Store) AddRevisionComment(ctx context.Context, revisionID, userID int64, text string) (int64, error) {
	var id int64
	err := s.write().queryRow(ctx, "INSERT INTO revision_comments (revision_id, user_id, text, created) VALUES (?, ?, ?, ?) RETURNING id",
		revisionID, nullID(userID), text, s.clock()).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("comment on revision %d: %w", revisionID, err)
	}
	return id, nil
}

// RevisionComments returns the comments of a revision, oldest first.
func (s *Store) RevisionComments(ctx context.Context, revisionID int64) ([]Comment, error) {
	return s.comments(ctx, `SELECT c.id, 0, c.revision_id, COALESCE(c.user_id, 0), COALESCE(u.email, ''), c.text, c.created
		FROM revision_comments c LEFT JOIN users u ON u.id = c.user_id WHERE c.revision_id = ? ORDER BY c.created, c.id`, revisionID)
}

// DeleteRevisionComment deletes a revision comment.
func (s *Store) DeleteRevisionComment(ctx context.Context, id int64) error {
	return s.deleteByID(ctx, "revision_comments", "revision comment", id)
}

func (s *Store) comments(ctx context.Context, q string, id int64) ([]Comment, error) {
	rows, err := s.read().query(ctx, q, id)
	if err != nil {
		return nil, fmt.Errorf("read comments of %d: %w", id, err)
	}
	defer rows.Close()
	out := []Comment{}
	for rows.Next() {
		var c Comment
		if err := rows.Scan(&c.ID, &c.ItemID, &c.RevisionID, &c.UserID, &c.User, &c.Text, &c.CreatedAt); err != nil {
			return nil, fmt.Errorf("read comments of %d: %w", id, err)
		}
		c.CreatedAt = c.CreatedAt.UTC()
		out = append(out, c)
	}
	return out, rows.Err()
}

// ItemComment returns one item comment.
func (s *Store) ItemComment(ctx context.Context, id int64) (Comment, error) {
	list, err := s.comments(ctx, `SELECT c.id, c.item_id, 0, COALESCE(c.user_id, 0), COALESCE(u.email, ''), c.text, c.created
		FROM item_comments c LEFT JOIN users u ON u.id = c.user_id WHERE c.id = ?`, id)
	if err != nil {
		return Comment{}, err
	}
	if len(list) == 0 {
		return Comment{}, notFound("item comment %d", id)
	}
	return list[0], nil
}

// RevisionComment returns one revision comment.
func (s *Store) RevisionComment(ctx context.Context, id int64) (Comment, error) {
	list, err := s.comments(ctx, `SELECT c.id, 0, c.revision_id, COALESCE(c.user_id, 0), COALESCE(u.email, ''), c.text, c.created
		FROM revision_comments c LEFT JOIN users u ON u.id = c.user_id WHERE c.id = ?`, id)
	if err != nil {
		return Comment{}, err
	}
	if len(list) == 0 {
		return Comment{}, notFound("revision comment %d", id)
	}
	return list[0], nil
}

// ItemCommentCounts returns the number of comments of each given item.
func (s *Store) ItemCommentCounts(ctx context.Context, itemIDs []int64) (map[int64]int, error) {
	out := map[int64]int{}
	for _, ch := range chunks(itemIDs, inChunk) {
		rows, err := s.read().query(ctx, "SELECT item_id, COUNT(*) FROM item_comments WHERE item_id IN ("+inList(len(ch))+
			") GROUP BY item_id", int64Args(ch)...)
		if err != nil {
			return nil, fmt.Errorf("count item comments: %w", err)
		}
		for rows.Next() {
			var id int64
			var n int
			if err := rows.Scan(&id, &n); err != nil {
				rows.Close()
				return nil, fmt.Errorf("count item comments: %w", err)
			}
			out[id] = n
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("count item comments: %w", err)
		}
	}
	return out, nil
}
