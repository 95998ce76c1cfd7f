package resources

import (
	"net/http"
)

// Subscriptions through v2: create (subscription.add), update and :deactivate (both
// subscription.edit: a cancelled subscription is still there, inactive).

func (s *Store) subscriptionRoutes2() []Route {
	k := &v2Kind{kind: s.subscriptionKind(), idVar2: "subscription_id", render2: func(_ *db, o object) object { return subscription2(o) },
		newBody: func() v2Body { return &subscriptionBody2{} }}
	return []Route{
		{http.MethodGet, "/subscriptions", s.v2List(subscriptionListing2, func(d *db, _ *http.Request) ([]object, error) {
			return mapAll(d.subscriptions.all(), subscription2), nil
		})},
		{http.MethodPost, "/subscriptions", s.v2Create(k)},
		{http.MethodGet, "/subscriptions/{subscription_id}", s.v2Get2(k, nil)},
		{http.MethodPatch, "/subscriptions/{subscription_id}", s.updateSubscription2},
		{http.MethodPost, "/subscriptions/{subscription_id}:deactivate", s.cancelSubscription2},
	}
}

// subscription2 is a stored subscription as v2's Subscription.
func subscription2(o object) object {
	out := object{"id": idString(o["id"]), "active": o.boolean("active"), "auto_charge": o.boolean("auto_charge"),
		"allow_tax": o.boolean("allow_tax")}
	for _, k := range []string{"contact_id", "product_id", "subscription_plan_id", "sale_affiliate_id", "lead_affiliate_id"} {
		setID(out, k, o[k])
	}
	for _, k := range []string{"quantity", "billing_amount", "billing_cycle", "billing_frequency", "start_date",
		"next_bill_date", "end_date", "reason_stopped"} {
		copyAs(o, out, k, k)
	}
	return out
}

var subscriptionListing2 = &v2Listing{
	key: "subscriptions",
	filters: map[string]v2Filter{
		"contact_id":            {fSet, nil},
		"subscription_plan_id":  {fSet, nil},
		"subscription_plan_ids": {fSet, func(o object) []string { return valuesOf(o["subscription_plan_id"]) }},
		"status": {fText, func(o object) []string {
			if o.boolean("active") {
				return []string{"ACTIVE"}
			}
			return []string{"INACTIVE"}
		}},
		"id":             {fNumber, idValues},
		"ids":            {fSet, idValues},
		"billing_amount": {fNumber, nil},
	},
	orders: orderBy("id", "contact_id", "subscription_plan_id", "modification_time"),
}

// subscriptionBody2 is v2's CreateSubscriptionRequest; payment, shipping and promotion
// properties are accepted, not kept.
type subscriptionBody2 struct {
	Active             *bool           `json:"active,omitempty"`
	AllowDuplicate     *bool           `json:"allow_duplicate,omitempty"`
	AllowTax           *bool           `json:"allow_tax,omitempty"`
	AutoCharge         *bool           `json:"auto_charge,omitempty"`
	BillingAmount      *float64        `json:"billing_amount,omitempty"`
	ContactID          *string         `json:"contact_id,omitempty"`
	CustomFields       *[]customField2 `json:"custom_fields,omitempty"`
	DaysBetweenRetries *int32          `json:"days_between_retries,omitempty"`
	LeadAffiliateID    *string         `json:"lead_affiliate_id,omitempty"`
	MaxChargeAttempts  *int32          `json:"max_charge_attempts,omitempty"`
	PaymentMethodID    *string         `json:"payment_method_id,omitempty"`
	PromoCode          *string         `json:"promo_code,omitempty"`
	Quantity           *int32          `json:"quantity,omitempty"`
	ReasonStopped      *string         `json:"reason_stopped,omitempty"`
	SaleAffiliateID    *string         `json:"sale_affiliate_id,omitempty"`
	ShippingAddress    *address2       `json:"shipping_address,omitempty"`
	ShippingOptionID   *string         `json:"shipping_option_id,omitempty"`
	StartDate          *string         `json:"start_date,omitempty"`
	SubscriptionPlanID *string         `json:"subscription_plan_id,omitempty"`
}

func (b *subscriptionBody2) toV1(c *check) input {
	c.required("subscription_plan_id", b.SubscriptionPlanID != nil)
	return &subscriptionInput{AllowDuplicate: b.AllowDuplicate, AllowTax: b.AllowTax, AutoCharge: b.AutoCharge,
		BillingAmount: b.BillingAmount, Quantity: b.Quantity, FirstBillDate: b.StartDate,
		ContactID: c.idField("contact_id", b.ContactID), SubscriptionPlanID: c.idField("subscription_plan_id", b.SubscriptionPlanID),
		SaleAffiliateID: c.idField("sale_affiliate_id", b.SaleAffiliateID)}
}

// subscriptionUpdate2 is v2's UpdateSubscriptionRequest. The store keeps quantity, active,
// billing, dates, the sale affiliate and reason_stopped; the rest is accepted, not kept.
type subscriptionUpdate2 struct {
	Active             *bool           `json:"active,omitempty"`
	AllowTax           *bool           `json:"allow_tax,omitempty"`
	AutoCharge         *bool           `json:"auto_charge,omitempty"`
	BillingAmount      *float64        `json:"billing_amount,omitempty"`
	BillingCycle       *string         `json:"billing_cycle,omitempty"`
	BillingFrequency   *int32          `json:"billing_frequency,omitempty"`
	ContactID          *string         `json:"contact_id,omitempty"`
	CustomFields       *[]customField2 `json:"custom_fields,omitempty"`
	DaysBetweenRetries *int32          `json:"days_between_retries,omitempty"`
	EndDate            *string         `json:"end_date,omitempty"`
	LeadAffiliateID    *string         `json:"lead_affiliate_id,omitempty"`
	MaxChargeAttempts  *int32          `json:"max_charge_attempts,omitempty"`
	NextBillDate       *string         `json:"next_bill_date,omitempty"`
	PaymentMethodID    *string         `json:"payment_method_id,omitempty"`
	PromoCode          *string         `json:"promo_code,omitempty"`
	Quantity           *int32          `json:"quantity,omitempty"`
	ReasonStopped      *string         `json:"reason_stopped,omitempty"`
	SaleAffiliateID    *string         `json:"sale_affiliate_id,omitempty"`
	ShippingAddress    *address2       `json:"shipping_address,omitempty"`
	ShippingOptionID   *string         `json:"shipping_option_id,omitempty"`
	SubscriptionPlanID *string         `json:"subscription_plan_id,omitempty"`
}

var subscriptionMask2 = []string{"contact_id", "subscription_plan_id", "quantity", "billing_amount", "auto_charge",
	"max_charge_attempts", "days_between_retries", "active", "billing_frequency", "billing_cycle", "next_bill_date",
	"end_date", "payment_method_id", "allow_tax", "lead_affiliate_id", "sale_affiliate_id", "promo_code",
	"shipping_option_id", "reason_stopped", "shipping_address", "custom_fields"}

// kept are the properties of an update the store keeps, as stored values.
func (b *subscriptionUpdate2) kept(c *check) object {
	c.enum("billing_cycle", b.BillingCycle, "YEAR", "MONTH", "WEEK", "DAY")
	c.date("next_bill_date", b.NextBillDate)
	c.date("end_date", b.EndDate)
	if b.Quantity != nil && *b.Quantity < 1 {
		c.bad("quantity must be at least 1, got %d", *b.Quantity)
	}
	f := fieldsOf(struct {
		Active           *bool   `json:"active,omitempty"`
		AllowTax         *bool   `json:"allow_tax,omitempty"`
		AutoCharge       *bool   `json:"auto_charge,omitempty"`
		Quantity         *int32  `json:"quantity,omitempty"`
		BillingCycle     *string `json:"billing_cycle,omitempty"`
		BillingFrequency *int32  `json:"billing_frequency,omitempty"`
		EndDate          *string `json:"end_date,omitempty"`
		NextBillDate     *string `json:"next_bill_date,omitempty"`
		ReasonStopped    *string `json:"reason_stopped,omitempty"`
	}{b.Active, b.AllowTax, b.AutoCharge, b.Quantity, b.BillingCycle, b.BillingFrequency, b.EndDate, b.NextBillDate, b.ReasonStopped})
	if b.BillingAmount != nil {
		f["billing_amount"] = money(*b.BillingAmount)
	}
	if id := c.idField("sale_affiliate_id", b.SaleAffiliateID); id != nil {
		f["sale_affiliate_id"] = num(*id)
	}
	return f
}

func (s *Store) updateSubscription2(w http.ResponseWriter, r *http.Request) {
	id, err := v2ID(r, "subscription_id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	mask, err := parseMask("update_mask", r.URL.Query()["update_mask"], subscriptionMask2)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var b subscriptionUpdate2
	if err := s.decode(w, r, &b); err != nil {
		s.fail(w, r, err)
		return
	}
	var c check
	f := b.kept(&c)
	if err := c.err(); err != nil {
		s.fail(w, r, err)
		return
	}
	keepMasked(f, mask)
	s.exec(w, r, func(d *db) (reply, error) {
		sub, err := d.subscriptions.find(id)
		if err != nil {
			return reply{}, err
		}
		sub.merge(f)
		return reply{http.StatusOK, subscription2(sub), emitted("subscription.edit", id)}, nil
	})
}

type cancelBody2 struct {
	Reason *string `json:"reason,omitempty"`
}

// cancelSubscription2 is :deactivate: the subscription stays, inactive, with the reason.
func (s *Store) cancelSubscription2(w http.ResponseWriter, r *http.Request) {
	id, err := v2ID(r, "subscription_id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var b cancelBody2
	if r.ContentLength != 0 {
		if err := s.decode(w, r, &b); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	s.exec(w, r, func(d *db) (reply, error) {
		sub, err := d.subscriptions.find(id)
		if err != nil {
			return reply{}, err
		}
		if !sub.boolean("active") {
			return reply{status: http.StatusOK}, nil
		}
		sub["active"] = false
		sub["end_date"] = d.now().UTC().Format("2006-01-02")
		if b.Reason != nil {
			sub["reason_stopped"] = *b.Reason
		}
		return reply{status: http.StatusOK, events: emitted("subscription.edit", id)}, nil
	})
}
