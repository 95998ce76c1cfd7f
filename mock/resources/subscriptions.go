package resources

import (
	"net/http"
	"time"

	"github.com/keaphook/keaphook/mock/internal/httpapi"
)

// subscriptionInput is Keap's CreateSubscription body.
type subscriptionInput struct {
	AllowDuplicate     *bool    `json:"allow_duplicate,omitempty"`
	AllowTax           *bool    `json:"allow_tax,omitempty"`
	AutoCharge         *bool    `json:"auto_charge,omitempty"`
	BillingAmount      *float64 `json:"billing_amount,omitempty"`
	ContactID          *int64   `json:"contact_id,omitempty"`
	CreditCardID       *int64   `json:"credit_card_id,omitempty"`
	FirstBillDate      *string  `json:"first_bill_date,omitempty"`
	PaymentGatewayID   *int64   `json:"payment_gateway_id,omitempty"`
	Quantity           *int32   `json:"quantity,omitempty"`
	SaleAffiliateID    *int64   `json:"sale_affiliate_id,omitempty"`
	SubscriptionPlanID *int64   `json:"subscription_plan_id,omitempty"`
}

func (in *subscriptionInput) check(c *check, _ mode) {
	c.required("contact_id", in.ContactID != nil)
	c.positive("contact_id", in.ContactID)
	c.positive("subscription_plan_id", in.SubscriptionPlanID)
	c.date("first_bill_date", in.FirstBillDate)
	if in.SubscriptionPlanID == nil && in.BillingAmount == nil {
		c.bad("give subscription_plan_id (a product's plan) or, for a subscription without a plan, billing_amount")
	}
	if in.BillingAmount != nil && *in.BillingAmount < 0 {
		c.bad("billing_amount must not be negative, got %v", *in.BillingAmount)
	}
	if in.Quantity != nil && *in.Quantity < 1 {
		c.bad("quantity must be at least 1, got %d", *in.Quantity)
	}
}

func (s *Store) subscriptionKind() *kind {
	return &kind{
		event: "subscription", createdStatus: http.StatusCreated,
		table:    func(d *db) *table { return d.subscriptions },
		newInput: func() input { return &subscriptionInput{} },
		apply:    applySubscription,
	}
}

// applySubscription creates a subscription: billing follows its plan (cycle, frequency,
// price) unless billing_amount overrides the price; billing starts today, or on
// first_bill_date. Without allow_duplicate, a second active subscription of a contact to
// the same plan is refused, as Keap does.
func applySubscription(d *db, _ object, raw input, _ mode) (object, error) {
	in := raw.(*subscriptionInput)
	if err := ref("contact_id", d.contacts, in.ContactID); err != nil {
		return nil, err
	}
	o := object{"contact_id": num(*in.ContactID), "active": true, "quantity": num(1),
		"billing_cycle": "MONTH", "billing_frequency": num(1), "auto_charge": false, "allow_tax": false,
		"use_default_payment_gateway": in.PaymentGatewayID == nil}
	if in.SubscriptionPlanID != nil {
		if err := d.applyPlan(o, *in.SubscriptionPlanID, in.AllowDuplicate != nil && *in.AllowDuplicate); err != nil {
			return nil, err
		}
	}
	body := *in
	body.AllowDuplicate, body.FirstBillDate = nil, nil
	o.merge(fieldsOf(&body))
	if in.BillingAmount != nil {
		o["billing_amount"] = money(*in.BillingAmount)
	}
	today := d.now().UTC()
	o["start_date"] = today.Format(time.DateOnly)
	o["next_bill_date"] = nextBill(today, o.str("billing_cycle"), o)
	if in.FirstBillDate != nil {
		o["next_bill_date"] = *in.FirstBillDate
	}
	return o, nil
}

func (d *db) applyPlan(o object, planID int64, allowDuplicate bool) error {
	plan, product, ok := d.plan(planID)
	if !ok {
		return refError("subscription_plan_id", "subscription plan", planID)
	}
	if !allowDuplicate {
		contact, _ := o.int("contact_id")
		for _, sub := range d.subscriptions.all() {
			if sub.boolean("active") && intFilter(sub, "contact_id", contact, true) && intFilter(sub, "subscription_plan_id", planID, true) {
				return httpapi.Errorf(http.StatusBadRequest, "contact %d already has subscription %d to plan %d; send allow_duplicate: true to add another",
					contact, sub.id(), planID)
			}
		}
	}
	o["product_id"] = product["id"]
	o["subscription_plan_id"] = num(planID)
	if cycle := plan.str("cycle_type"); cycle != "" {
		o["billing_cycle"] = cycle
	}
	if freq, ok := plan.int("frequency"); ok && freq > 0 {
		o["billing_frequency"] = num(freq)
	}
	o["billing_amount"] = money(plan.float("plan_price"))
	return nil
}

// nextBill is one billing period after start.
func nextBill(start time.Time, cycle string, o object) string {
	n, ok := o.int("billing_frequency")
	if !ok || n < 1 {
		n = 1
	}
	k := int(n)
	switch cycle {
	case "YEAR":
		return start.AddDate(k, 0, 0).Format(time.DateOnly)
	case "WEEK":
		return start.AddDate(0, 0, 7*k).Format(time.DateOnly)
	case "DAY":
		return start.AddDate(0, 0, k).Format(time.DateOnly)
	}
	return start.AddDate(0, k, 0).Format(time.DateOnly)
}

func (s *Store) subscriptionRoutes() []Route {
	return []Route{
		{http.MethodGet, "/subscriptions", s.listSubscriptions},
		{http.MethodPost, "/subscriptions", s.create(s.subscriptionKind())},
	}
}

// listSubscriptions is GET /subscriptions, filtered by contact_id.
func (s *Store) listSubscriptions(w http.ResponseWriter, r *http.Request) {
	q := newListQuery(r)
	contact, byContact := q.int("contact_id")
	s.listed(w, r, q, "subscriptions", func(d *db) ([]object, error) {
		var items []object
		for _, sub := range d.subscriptions.all() {
			if intFilter(sub, "contact_id", contact, byContact) {
				items = append(items, sub.clone())
			}
		}
		return items, nil
	})
}
