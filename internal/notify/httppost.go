package notify

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
)

// Post sends body to a URL that is a secret (a Slack hook, a webhook):
// errors never include the URL. A 2xx reply is success; a 429 or 5xx
// reply, or a transport failure, may succeed later (retry); other replies
// will not.
func Post(ctx context.Context, client *http.Client, rawURL string, header http.Header, body []byte) (retry bool, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, rawURL, bytes.NewReader(body))
	if err != nil {
		return false, errors.New("invalid destination URL")
	}
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // drop the URL
		}
		return true, fmt.Errorf("post: %w", err)
	}
	defer resp.Body.Close()
	reply, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return false, nil
	}
	err = fmt.Errorf("post: %s: %s", resp.Status, bytes.TrimSpace(reply))
	return resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500, err
}
