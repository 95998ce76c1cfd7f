package resources

import (
	"fmt"
	"math"
	"net/http"
	"strings"
)

// Products through v2: product.add, .edit and .delete. v2 gives money as a CurrencyValue
// whose amount is an integer; the mock reads it as the currency's minor unit (cents), the
// common reading of an integer amount, and a product's price in a create or update body
// likewise.

func (s *Store) productRoutes2() []Route {
	k := &v2Kind{kind: s.productKind(), idVar2: "product_id", render2: product2, masks: productMask2,
		newBody: func() v2Body { return &productBody2{} }, check2: checkProduct2}
	return []Route{
		{http.MethodGet, "/products", s.v2List(productListing2, func(d *db, _ *http.Request) ([]object, error) {
			return mapAll(d.products.all(), func(o object) object { return product2(d, o) }), nil
		})},
		{http.MethodPost, "/products", s.v2Create(k)},
		{http.MethodGet, "/products/{product_id}", s.v2Get2(k, nil)},
		{http.MethodPatch, "/products/{product_id}", s.v2Update(k)},
		{http.MethodDelete, "/products/{product_id}", s.v2Remove(k)},
	}
}

var productMask2 = []string{"active", "name", "description", "price", "sku", "shippable", "short_description",
	"subscription_only", "storefront_hidden", "weight", "taxable", "country_taxable", "city_taxable", "state_taxable",
	"inventory_limit", "out_of_stock_enabled", "email_for_inventory_notifications", "top_html", "bottom_html",
	"is_package", "needs_digital_delivery", "delivery_description"}

// currency2 is v2's CurrencyValue for an amount in dollars.
func currency2(dollars float64) object {
	cents := int64(math.Round(dollars * 100))
	return object{"amount": num(cents), "currency_code": "USD", "formatted_amount": formatUSD(cents)}
}

func formatUSD(cents int64) string {
	sign := ""
	if cents < 0 {
		sign, cents = "-", -cents
	}
	whole := fmt.Sprint(cents / 100)
	var groups []string
	for len(whole) > 3 {
		groups = append([]string{whole[len(whole)-3:]}, groups...)
		whole = whole[:len(whole)-3]
	}
	groups = append([]string{whole}, groups...)
	return fmt.Sprintf("%s$%s.%02d", sign, strings.Join(groups, ","), cents%100)
}

// v1's plan cycles as v2's product plans spell them.
var planCycles2 = map[string]string{"YEAR": "YEARLY", "MONTH": "MONTHLY", "WEEK": "WEEKLY", "DAY": "DAILY"}

// product2 is a stored product as v2's RestV2Product_Detail (and _List: the same fields).
func product2(_ *db, p object) object {
	out := object{"id": idString(p["id"]), "name": p.str("product_name"), "price": currency2(p.float("product_price")),
		"active": p.boolean("active"), "subscription_only": p.boolean("subscription_only")}
	setIf(out, "sku", p.str("sku"))
	setIf(out, "description", p.str("product_desc"))
	setIf(out, "short_description", p.str("product_short_desc"))
	out["subscription_plans"] = project(p.list("subscription_plans"), func(plan object) object {
		o := object{"id": idString(plan["id"]), "active": plan.boolean("active"), "prorate": plan.boolean("prorate"),
			"plan_price": currency2(plan.float("plan_price"))}
		if c, ok := planCycles2[plan.str("cycle_type")]; ok {
			o["billing_cycle"] = c
		}
		copyAs(plan, o, "frequency", "billing_frequency")
		copyAs(plan, o, "number_of_cycles", "number_of_cycles")
		copyAs(plan, o, "subscription_plan_index", "order_index")
		return o
	})
	return out
}

var productListing2 = &v2Listing{
	key: "products",
	filters: map[string]v2Filter{
		"name":              {kind: fText},
		"sku":               {kind: fText},
		"description":       {kind: fText},
		"short_description": {kind: fText},
		"product_id":        {fNumber, idValues},
		"product_ids":       {fSet, idValues},
	},
	// The store keeps no update time for products: last_updated_time orders by id.
	orders: map[string]func(o object) string{"name": nil, "sku": nil, "last_updated_time": func(o object) string { return "" }},
}

// productBody2 is v2's CreateProductRequest_Detail and UpdateProductRequest_Detail. Of its
// properties the store keeps name, sku, price, active, description, short_description and
// subscription_only; the rest (shipping, tax, inventory, HTML) are accepted, not kept.
type productBody2 struct {
	Active                         *bool    `json:"active,omitempty"`
	BottomHTML                     *string  `json:"bottom_html,omitempty"`
	CityTaxable                    *bool    `json:"city_taxable,omitempty"`
	CountryTaxable                 *bool    `json:"country_taxable,omitempty"`
	DeliveryDescription            *string  `json:"delivery_description,omitempty"`
	Description                    *string  `json:"description,omitempty"`
	EmailForInventoryNotifications *string  `json:"email_for_inventory_notifications,omitempty"`
	Inventory                      *object  `json:"inventory,omitempty"`
	InventoryLimit                 *int32   `json:"inventory_limit,omitempty"`
	IsPackage                      *bool    `json:"is_package,omitempty"`
	Name                           *string  `json:"name,omitempty"`
	NeedsDigitalDelivery           *bool    `json:"needs_digital_delivery,omitempty"`
	OutOfStockEnabled              *bool    `json:"out_of_stock_enabled,omitempty"`
	Price                          *int64   `json:"price,omitempty"`
	Shippable                      *bool    `json:"shippable,omitempty"`
	ShortDescription               *string  `json:"short_description,omitempty"`
	SKU                            *string  `json:"sku,omitempty"`
	StateTaxable                   *bool    `json:"state_taxable,omitempty"`
	StorefrontHidden               *bool    `json:"storefront_hidden,omitempty"`
	SubscriptionOnly               *bool    `json:"subscription_only,omitempty"`
	Taxable                        *bool    `json:"taxable,omitempty"`
	TopHTML                        *string  `json:"top_html,omitempty"`
	Weight                         *float64 `json:"weight,omitempty"`
}

func (b *productBody2) toV1(c *check) input {
	in := &productInput{Active: b.Active, ProductDesc: b.Description, ProductName: b.Name,
		ProductShortDesc: b.ShortDescription, SKU: b.SKU, SubscriptionOnly: b.SubscriptionOnly}
	if b.Price != nil {
		dollars := float64(*b.Price) / 100
		in.ProductPrice = &dollars
	}
	return in
}

// checkProduct2 is v2's rule: a new product needs a name, a price and a short description.
func checkProduct2(raw input, c *check, m mode) {
	in := raw.(*productInput)
	if m == creating {
		c.required("price", in.ProductPrice != nil)
		c.requiredString("short_description", in.ProductShortDesc)
		c.requiredString("name", in.ProductName)
	}
	if in.ProductPrice != nil && *in.ProductPrice < 0 {
		c.bad("price must not be negative, got %v cents", *in.ProductPrice*100)
	}
	if m == patching && in.ProductName != nil {
		c.requiredString("name", in.ProductName)
	}
}
