package main

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/keaphook/keaphook/fixtures"
	"github.com/keaphook/keaphook/mock/keap"
)

// triggerOut prints trigger's results: readable lines through the ui, or with --json one
// JSON object per key.
type triggerOut struct {
	u    *ui
	enc  *json.Encoder
	root string
}

func newTriggerOut(e env, jsonMode bool, root string) *triggerOut {
	o := &triggerOut{u: newUI(e.stdout, e.getenv, jsonMode), root: root}
	if jsonMode {
		o.enc = json.NewEncoder(e.stdout)
	}
	return o
}

// triggerResult is one key's line with --json.
type triggerResult struct {
	EventKey string   `json:"eventKey"`
	IDs      []int64  `json:"ids"`
	APIURLs  []string `json:"apiUrls"`
	Requests []string `json:"requests"`
	Error    string   `json:"error,omitempty"`
}

func (o *triggerOut) result(key string, ids []int64, requests []string, err error) {
	r := triggerResult{EventKey: key, IDs: ids, APIURLs: o.apiURLs(key, ids), Requests: requests}
	if r.IDs == nil {
		r.IDs = []int64{}
	}
	if r.Requests == nil {
		r.Requests = []string{}
	}
	if err != nil {
		r.Error = err.Error()
	}
	if o.enc != nil {
		o.enc.Encode(r)
		return
	}
	if err != nil {
		o.u.Failf("✗ %s: %v", key, err)
	} else {
		o.u.Successf("✓ %s  %s", key, idText(ids))
	}
	for _, req := range requests {
		o.u.Infof("    %s", req)
	}
	if err == nil && len(r.APIURLs) > 0 {
		more := ""
		if len(r.APIURLs) > 1 {
			more = fmt.Sprintf(" (and %d more)", len(r.APIURLs)-1)
		}
		o.u.Infof("    apiUrl %s%s", r.APIURLs[0], more)
	}
}

// apiURLs are the apiUrls the deliveries carry for ids (none for keys without a v1 GET).
func (o *triggerOut) apiURLs(key string, ids []int64) []string {
	out := []string{}
	info, ok := fixtures.Lookup(key)
	if !ok {
		return out
	}
	for _, id := range ids {
		if u := info.APIURL(o.root+keap.BasePath, id); u != "" {
			out = append(out, u)
		}
	}
	return out
}

func (o *triggerOut) summary(keys, failed int) {
	if o.enc != nil {
		return
	}
	if failed > 0 {
		o.u.Failf("%d of %d event keys failed", failed, keys)
		return
	}
	o.u.Headf("triggered %d event keys; GET /_mock/deliveries shows what was sent", keys)
}

func (o *triggerOut) stopped(key string) {
	o.result(key, nil, nil, fmt.Errorf("interrupted before %s", key))
}

func idText(ids []int64) string {
	if len(ids) == 1 {
		return fmt.Sprintf("id %d", ids[0])
	}
	parts := make([]string, 0, min(len(ids), 10))
	for i, id := range ids {
		if i == 10 {
			parts = append(parts, fmt.Sprintf("… (%d in all)", len(ids)))
			break
		}
		parts = append(parts, fmt.Sprint(id))
	}
	return "ids " + strings.Join(parts, ", ")
}
