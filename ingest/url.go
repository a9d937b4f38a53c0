package ingest

import (
	"net/url"
	"strings"
)

// trackingParams are query parameters that say how a reader arrived, not
// which page it is: campaign tags and click IDs.
var trackingParams = map[string]bool{
	"fbclid": true, "gclid": true, "dclid": true, "msclkid": true, "mc_cid": true, "mc_eid": true,
	"igshid": true, "_ga": true, "yclid": true, "ocid": true, "cmpid": true, "ncid": true,
}

// CanonicalURL returns u with what does not name the page removed: the
// scheme and host in lower case, a default port, the fragment, and
// tracking parameters (utm_* and click IDs). The path, its trailing slash
// and the other parameters are kept: they may name another page. A URL that
// does not parse is returned as it is.
func CanonicalURL(u string) string {
	p, err := url.Parse(u)
	if err != nil || p.Host == "" || (p.Scheme != "http" && p.Scheme != "https") {
		return u
	}
	p.Scheme = strings.ToLower(p.Scheme)
	p.Host = strings.ToLower(p.Host)
	if h, port, ok := strings.Cut(p.Host, ":"); ok && (p.Scheme == "http" && port == "80" || p.Scheme == "https" && port == "443") {
		p.Host = h
	}
	p.Fragment, p.RawFragment = "", ""
	if p.RawQuery != "" {
		var kept []string
		for _, kv := range strings.Split(p.RawQuery, "&") {
			k, _, _ := strings.Cut(kv, "=")
			if k, err := url.QueryUnescape(k); err == nil && (strings.HasPrefix(strings.ToLower(k), "utm_") || trackingParams[strings.ToLower(k)]) {
				continue
			}
			if kv != "" {
				kept = append(kept, kv)
			}
		}
		p.RawQuery = strings.Join(kept, "&")
		p.ForceQuery = false
	}
	if p.Path == "" {
		p.Path = "/"
	}
	return p.String()
}
