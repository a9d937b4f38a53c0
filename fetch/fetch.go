// Package fetch gets pages and feeds over HTTP politely and safely: only
// http and https, a timeout, a size cap, few redirects and a user agent
// that names the tool.
package fetch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/newsdedup/newsdedup"
)

// Options bound a fetch. The zero value uses the defaults.
type Options struct {
	Timeout   time.Duration // whole request; default 20 s
	MaxBytes  int64         // body cap; default 16 MiB
	UserAgent string        // default "github.com/newsdedup/newsdedup/0.1 (news copy detection)"
	Client    *http.Client  // default: a client with the timeout and at most 5 redirects
}

// Response is a fetched document.
type Response struct {
	URL         string // final URL, after redirects
	ContentType string
	Body        []byte
	Fetched     time.Time
}

// ErrScheme is returned for URLs that are not http or https.
var ErrScheme = newsdedup.Errorf(newsdedup.EINVALID, "only http and https URLs are fetched")

// Get fetches rawURL. A body over MaxBytes is an error, not a silent cut.
func Get(ctx context.Context, rawURL string, o Options) (*Response, error) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("%s: %w", rawURL, ErrScheme)
	}
	if o.Timeout == 0 {
		o.Timeout = 20 * time.Second
	}
	if o.MaxBytes == 0 {
		o.MaxBytes = 16 << 20
	}
	if o.UserAgent == "" {
		o.UserAgent = "github.com/newsdedup/newsdedup/0.1 (news copy detection)"
	}
	client := o.Client
	if client == nil {
		client = &http.Client{
			Timeout: o.Timeout,
			CheckRedirect: func(req *http.Request, via []*http.Request) error {
				if len(via) >= 5 {
					return errors.New("more than 5 redirects")
				}
				if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
					return ErrScheme
				}
				return nil
			},
		}
	}
	ctx, cancel := context.WithTimeout(ctx, o.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", rawURL, err)
	}
	req.Header.Set("User-Agent", o.UserAgent)
	req.Header.Set("Accept", "text/html, application/xhtml+xml, application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.5")
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", rawURL, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s: %w", rawURL, newsdedup.Errorf(newsdedup.EINVALID, "HTTP status %s", resp.Status))
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, o.MaxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", rawURL, err)
	}
	if int64(len(body)) > o.MaxBytes {
		return nil, fmt.Errorf("%s: %w", rawURL, newsdedup.Errorf(newsdedup.EINVALID, "body over %d bytes", o.MaxBytes))
	}
	return &Response{URL: resp.Request.URL.String(), ContentType: resp.Header.Get("Content-Type"), Body: body, Fetched: time.Now().UTC()}, nil
}
