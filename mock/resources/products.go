package resources

import (
	"net/http"
)

// productInput is Keap's CreateProduct body (POST, PATCH).
type productInput struct {
	Active           *bool    `json:"active,omitempty"`
	ProductDesc      *string  `json:"product_desc,omitempty"`
	ProductName      *string  `json:"product_name,omitempty"`
	ProductPrice     *float64 `json:"product_price,omitempty"`
	ProductShortDesc *string  `json:"product_short_desc,omitempty"`
	SKU              *string  `json:"sku,omitempty"`
	SubscriptionOnly *bool    `json:"subscription_only,omitempty"`
}

func (in *productInput) check(c *check, m mode) {
	if m.full() || in.ProductName != nil {
		c.requiredString("product_name", in.ProductName)
	}
	if in.ProductPrice != nil && *in.ProductPrice < 0 {
		c.bad("product_price must not be negative, got %v", *in.ProductPrice)
	}
}

func (s *Store) productKind() *kind {
	return &kind{
		event: "product", idVar: "productId", createdStatus: http.StatusCreated,
		table:    func(d *db) *table { return d.products },
		newInput: func() input { return &productInput{} },
		apply:    applyProduct,
	}
}

func applyProduct(d *db, old object, raw input, m mode) (object, error) {
	in := raw.(*productInput)
	o := object{"active": true, "subscription_only": false, "subscription_plans": []any{}}
	if old != nil {
		o = old
	}
	f := fieldsOf(in)
	if in.ProductPrice != nil {
		f["product_price"] = money(*in.ProductPrice)
	}
	o.merge(f)
	return o, nil
}

func (s *Store) productRoutes() []Route {
	k := s.productKind()
	return []Route{
		{http.MethodGet, "/products", s.listProducts},
		{http.MethodPost, "/products", s.create(k)},
		{http.MethodGet, "/products/{productId}", s.get(k)},
		{http.MethodPatch, "/products/{productId}", s.update(k, patching)},
		{http.MethodDelete, "/products/{productId}", s.remove(k)},
	}
}

// listProducts is GET /products, filtered by active. Its items are Keap's Product_, which
// says status (1 active, 0 not) where one product says active, and numbers plan cycles.
func (s *Store) listProducts(w http.ResponseWriter, r *http.Request) {
	q := newListQuery(r)
	active, byActive := q.boolean("active")
	s.listed(w, r, q, "products", func(d *db) ([]object, error) {
		var items []object
		for _, pr := range d.products.all() {
			if !byActive || pr.boolean("active") == active {
				items = append(items, listedProduct(pr))
			}
		}
		return items, nil
	})
}

// cycleNumbers are Keap's legacy numbers for billing cycles, used by list items.
var cycleNumbers = map[string]int64{"YEAR": 1, "MONTH": 2, "WEEK": 3, "DAY": 6}

func listedProduct(pr object) object {
	out := pr.clone()
	delete(out, "active")
	out["status"] = num(0)
	if pr.boolean("active") {
		out["status"] = num(1)
	}
	plans := []any{}
	for _, plan := range pr.list("subscription_plans") {
		p := plan.clone()
		if n, ok := cycleNumbers[p.str("cycle_type")]; ok {
			p["cycle"] = num(n)
		}
		delete(p, "cycle_type")
		plans = append(plans, p)
	}
	out["subscription_plans"] = plans
	return out
}

// plan finds a subscription plan of any product, with its product.
func (d *db) plan(id int64) (plan, product object, ok bool) {
	for _, pr := range d.products.all() {
		for _, p := range pr.list("subscription_plans") {
			if p.id() == id {
				return p, pr, true
			}
		}
	}
	return nil, nil, false
}
