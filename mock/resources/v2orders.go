package resources

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// Orders through v2, with their payments and the account's transactions. Creating an
// order emits order.add and invoice.add, deleting one order.delete and invoice.delete, a
// payment invoice.payment.add (the transaction's id), invoice.edit and order.edit: the keys
// the same writes emit through v1. v2's money is a CurrencyValue in cents (see products).

func (s *Store) orderRoutes2() []Route {
	return []Route{
		{http.MethodGet, "/orders", s.v2List(orderListing2, func(d *db, _ *http.Request) ([]object, error) {
			return mapAll(d.orders.all(), d.order2), nil
		})},
		{http.MethodPost, "/orders", s.createOrder2},
		{http.MethodGet, "/orders/{order_id}", s.v2Get("order_id", func(d *db) *table { return d.orders }, (*db).order2, nil)},
		{http.MethodPatch, "/orders/{order_id}", s.updateOrder2},
		{http.MethodDelete, "/orders/{order_id}", s.v2Delete("order_id", func(d *db) *table { return d.orders }, (*db).deleteOrder)},
		{http.MethodGet, "/orders/{order_id}/payments", s.v2List(orderPaymentListing2, (*db).orderPayments2)},
		{http.MethodPost, "/orders/{order_id}/payments", s.createPayment2},
		{http.MethodGet, "/sales/transactions", s.v2List(transactionListing2, func(d *db, _ *http.Request) ([]object, error) {
			return mapAll(d.transactions.all(), transaction2), nil
		})},
	}
}

// v1's order source types as v2 spells them.
var orderSources2 = map[string]string{"QBO_SYNC": "QUICKBOOKS"}

// order2 is a stored order as v2's OrderV2.
func (d *db) order2(o object) object {
	out := object{"id": idString(o["id"]), "title": o.str("title"), "total": currency2(o.float("total")),
		"total_paid": currency2(o.float("total_paid")), "total_due": currency2(o.float("total_due")),
		"refund_total": currency2(o.float("refund_total")), "allow_payment": o.boolean("allow_payment"),
		"allow_paypal": o.boolean("allow_paypal"), "order_type": strings.ToUpper(o.str("order_type")),
		"source_type":    v2Spelling(orderSources2, cmpOr(o.str("source_type"), "UNKNOWN")),
		"invoice_number": idString(o["invoice_number"]), "invoice_id": idString(o["id"]), "status": "SENT"}
	if o.str("status") == "PAID" {
		out["status"] = "PAID"
	}
	copyAs(o, out, "creation_date", "creation_time")
	copyAs(o, out, "modification_date", "modification_time")
	copyAs(o, out, "order_date", "order_time")
	setIf(out, "terms", o.str("terms"))
	setIf(out, "notes", o.str("notes"))
	setID(out, "lead_affiliate_id", o["lead_affiliate_id"])
	setID(out, "sales_affiliate_id", o["sales_affiliate_id"])
	if id, ok := o.sub("contact").int("id"); ok {
		contact := object{"id": idString(id)}
		if c, ok := d.contacts.get(id); ok {
			setIf(contact, "email", primaryEmail(c))
			setIf(contact, "given_name", c.str("given_name"))
			setIf(contact, "family_name", c.str("family_name"))
		}
		out["contact"] = contact
	}
	out["order_items"] = project(o.list("order_items"), orderItem2)
	return out
}

func orderItem2(it object) object {
	out := object{"id": idString(it["id"]), "price_per_unit": currency2(it.float("price")),
		"cost_per_unit": currency2(it.float("cost")), "discount": currency2(it.float("discount")),
		"item_type": strings.ToUpper(cmpOr(it.str("type"), "PRODUCT"))}
	if !slices.Contains([]string{"PRODUCT", "SHIPPING", "TAX", "SERVICE", "UPSELL", "FINANCE_CHARGE", "DISCOUNT", "PROGRAM", "SUBSCRIPTION"}, out.str("item_type")) {
		out["item_type"] = "PRODUCT"
	}
	setIf(out, "name", it.str("name"))
	setIf(out, "description", it.str("description"))
	copyAs(it, out, "quantity", "quantity")
	if p := it.sub("product"); p != nil {
		product := p.only("name", "sku", "description", "shippable", "taxable")
		product["id"] = idString(p["id"])
		out["product"] = product
	}
	return out
}

var orderListing2 = &v2Listing{
	key: "orders",
	filters: map[string]v2Filter{
		"contact_id": {fSet, func(o object) []string { return valuesOf(o.sub("contact")["id"]) }},
		"status":     {fSet, nil},
		"product_id": {fSet, func(o object) []string {
			var ids []string
			for _, it := range o.list("order_items") {
				ids = append(ids, valuesOf(it.sub("product")["id"])...)
			}
			return ids
		}},
		"since_time": {fSince, func(o object) []string { return valuesOf(o["order_time"]) }},
		"until_time": {fUntil, func(o object) []string { return valuesOf(o["order_time"]) }},
		"paid":       {fBool, func(o object) []string { return []string{strconv.FormatBool(o.str("status") == "PAID")} }},
	},
	orders: orderBy("id", "order_time", "creation_time", "modification_time"),
}

// orderBody2 is v2's RestCreateOrderRequest; notes, terms, promotion, custom fields and the
// external_* properties are accepted, not kept.
type orderBody2 struct {
	ContactID          *string          `json:"contact_id,omitempty"`
	CustomFields       *[]customField2  `json:"custom_fields,omitempty"`
	DueTime            *string          `json:"due_time,omitempty"`
	ExternalCreateTime *string          `json:"external_create_time,omitempty"`
	ExternalCreateUser *string          `json:"external_create_user,omitempty"`
	ExternalUpdateTime *string          `json:"external_update_time,omitempty"`
	InvoiceNumber      *string          `json:"invoice_number,omitempty"`
	LeadAffiliateID    *string          `json:"lead_affiliate_id,omitempty"`
	Notes              *string          `json:"notes,omitempty"`
	OrderItems         *[]orderItem2In  `json:"order_items,omitempty"`
	OrderTime          *string          `json:"order_time,omitempty"`
	OrderTitle         *string          `json:"order_title,omitempty"`
	OrderType          *string          `json:"order_type,omitempty"`
	PromoCodes         *[]string        `json:"promo_codes,omitempty"`
	SalesAffiliateID   *string          `json:"sales_affiliate_id,omitempty"`
	SentTime           *string          `json:"sent_time,omitempty"`
	ShippingAddress    *shippingAddress `json:"shipping_address,omitempty"`
	Terms              *string          `json:"terms,omitempty"`
	Title              *string          `json:"title,omitempty"`
}

// orderItem2In is v2's CreateOrderItemRequest.
type orderItem2In struct {
	CostPerUnit                 *float64 `json:"cost_per_unit,omitempty"`
	Description                 *string  `json:"description,omitempty"`
	ItemType                    *string  `json:"item_type,omitempty"`
	Name                        *string  `json:"name,omitempty"`
	Notes                       *string  `json:"notes,omitempty"`
	PricePerUnit                *float64 `json:"price_per_unit,omitempty"`
	ProductID                   *string  `json:"product_id,omitempty"`
	Quantity                    *int32   `json:"quantity,omitempty"`
	SubscriptionPlanDescription *string  `json:"subscription_plan_description,omitempty"`
	SubscriptionPlanID          *string  `json:"subscription_plan_id,omitempty"`
}

// orderType1 checks v2's order_type (ONLINE or OFFLINE) and returns v1's spelling of it
// (Online, Offline); nil when it is absent or refused.
func orderType1(c *check, t *string) *string {
	c.enum("order_type", t, "ONLINE", "OFFLINE")
	if t == nil || (*t != "ONLINE" && *t != "OFFLINE") {
		return nil
	}
	v1 := (*t)[:1] + strings.ToLower((*t)[1:])
	return &v1
}

func (b *orderBody2) v1(c *check) *orderInput {
	in := &orderInput{OrderDate: b.OrderTime, OrderTitle: firstSet(b.OrderTitle, b.Title), PromoCodes: b.PromoCodes,
		ShippingAddress: b.ShippingAddress, ContactID: c.idField("contact_id", b.ContactID),
		LeadAffiliateID: c.idField("lead_affiliate_id", b.LeadAffiliateID), SalesAffiliateID: c.idField("sales_affiliate_id", b.SalesAffiliateID)}
	in.OrderType = orderType1(c, b.OrderType)
	if b.OrderItems != nil {
		items := make([]orderItemInput, len(*b.OrderItems))
		for i, it := range *b.OrderItems {
			items[i] = orderItemInput{Description: it.Description, ItemType: it.ItemType, Quantity: it.Quantity,
				ProductID: c.idField(field("order_items", i)+".product_id", it.ProductID)}
			if it.PricePerUnit != nil {
				p := strconv.FormatFloat(*it.PricePerUnit, 'f', -1, 64)
				items[i].Price = &p
			}
		}
		in.OrderItems = &items
	}
	return in
}

func (s *Store) createOrder2(w http.ResponseWriter, r *http.Request) {
	var b orderBody2
	if err := s.decode(w, r, &b); err != nil {
		s.fail(w, r, err)
		return
	}
	var c check
	in := b.v1(&c)
	if c.err() == nil {
		in.check(&c, creating)
	}
	if err := c.err(); err != nil {
		s.fail(w, r, err)
		return
	}
	s.exec(w, r, func(d *db) (reply, error) {
		o, events, err := d.placeOrder(in)
		if err != nil {
			return reply{}, err
		}
		return reply{http.StatusCreated, d.order2(o), events}, nil
	})
}

// paymentBody2 is v2's RestCreatePaymentRequest; the external_* properties are accepted,
// not kept.
type paymentBody2 struct {
	ApplyToCommissions  *bool    `json:"apply_to_commissions,omitempty"`
	ExternalCreateTime  *string  `json:"external_create_time,omitempty"`
	ExternalCreateUser  *string  `json:"external_create_user,omitempty"`
	ExternalSource      *string  `json:"external_source,omitempty"`
	ExternalSourceValue *string  `json:"external_source_value,omitempty"`
	ExternalStatusValue *string  `json:"external_status_value,omitempty"`
	ExternalUpdateTime  *string  `json:"external_update_time,omitempty"`
	Notes               *string  `json:"notes,omitempty"`
	PaymentAmount       *float64 `json:"payment_amount,omitempty"`
	PaymentMethodID     *string  `json:"payment_method_id,omitempty"`
	PaymentMethodType   *string  `json:"payment_method_type,omitempty"`
	PaymentTime         *string  `json:"payment_time,omitempty"`
}

func (b *paymentBody2) v1(c *check) *paymentInput {
	c.required("apply_to_commissions", b.ApplyToCommissions != nil)
	in := &paymentInput{ApplyToCommissions: b.ApplyToCommissions, Notes: b.Notes, Date: b.PaymentTime, PaymentMethodType: b.PaymentMethodType}
	if b.PaymentAmount != nil {
		a := strconv.FormatFloat(*b.PaymentAmount, 'f', -1, 64)
		in.PaymentAmount = &a
	}
	return in
}

// createPayment2 records a payment as v1's POST /orders/{orderId}/payments does, and
// answers v2's PaymentResult.
func (s *Store) createPayment2(w http.ResponseWriter, r *http.Request) {
	orderID, err := v2ID(r, "order_id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var b paymentBody2
	if err := s.decode(w, r, &b); err != nil {
		s.fail(w, r, err)
		return
	}
	var c check
	in := b.v1(&c)
	in.check(&c, creating)
	if err := c.err(); err != nil {
		s.fail(w, r, err)
		return
	}
	s.exec(w, r, func(d *db) (reply, error) {
		p, tx, amount, events, err := d.pay(orderID, in)
		if err != nil {
			return reply{}, err
		}
		body := object{"id": idString(p["id"]), "invoice_id": idString(orderID), "payment_amount": fromCents(amount),
			"payment_status_message": "Payment recorded", "transaction_id": idString(tx)}
		return reply{http.StatusCreated, body, events}, nil
	})
}

var orderPaymentListing2 = &v2Listing{
	key: "invoice_order_payments",
	filters: map[string]v2Filter{
		"invoice_id": {fSet, nil}, "payment_id": {fSet, nil}, "amount": {fNumber, nil},
		"pay_status": {fSet, nil}, "skip_commission": {fBool, nil},
	},
	orders: orderBy("invoice_id", "payment_id", "amount", "pay_time", "pay_status", "skip_commission", "last_updated_time"),
}

func (d *db) orderPayments2(r *http.Request) ([]object, error) {
	id, err := v2ID(r, "order_id")
	if err != nil {
		return nil, err
	}
	if _, err := d.orders.find(id); err != nil {
		return nil, err
	}
	return mapAll(d.paymentsOf(id), func(p object) object {
		out := object{"id": idString(p["id"]), "amount": p["amount"], "pay_status": "MANUAL_PAID",
			"skip_commission": p.boolean("skip_commission")}
		setID(out, "invoice_id", p["invoice_id"])
		setID(out, "payment_id", p["payment_id"])
		setIf(out, "note", p.str("note"))
		copyAs(p, out, "pay_date", "pay_time")
		copyAs(p, out, "last_updated", "last_updated_time")
		return out
	}), nil
}

// transaction2 is a stored transaction as v2's TransactionV2.
func transaction2(tx object) object {
	out := object{"amount": tx["amount"], "status": "APPROVED", "transaction_method": "MANUAL", "is_successful": true}
	if tx.str("status") != "Successful" {
		out["status"], out["is_successful"] = "FAILED", false
	}
	if tx.str("collection_method") == "Automatic" {
		out["transaction_method"] = "CAPTURE"
	}
	setID(out, "contact_id", tx["contact_id"])
	setID(out, "payment_id", tx["id"])
	copyAs(tx, out, "transaction_date", "transaction_time")
	orders := []any{} // an empty list in JSON, not null
	for part := range strings.SplitSeq(tx.str("order_ids"), ",") {
		if part = strings.TrimSpace(part); part != "" {
			orders = append(orders, part)
		}
	}
	out["order_ids"] = orders
	return out
}

var transactionListing2 = &v2Listing{
	key: "transactions",
	filters: map[string]v2Filter{
		"amount":             {fNumber, nil},
		"order_id":           {fSet, func(o object) []string { return valuesOf(o["order_ids"]) }},
		"contact_id":         {fSet, nil},
		"since_time":         {fSince, func(o object) []string { return valuesOf(o["transaction_time"]) }},
		"until_time":         {fUntil, func(o object) []string { return valuesOf(o["transaction_time"]) }},
		"status":             {fSet, nil},
		"transaction_method": {fSet, nil},
		"is_successful":      {fBool, nil},
	},
	orders: map[string]func(o object) string{"amount": nil, "transaction_time": nil, "contact_id": nil},
}

// orderMask2 are the properties v2's update_mask may name for an order.
var orderMask2 = []string{"notes", "terms", "title", "contact_id", "order_title", "order_time", "order_type", "promo_codes",
	"lead_affiliate_id", "sales_affiliate_id", "shipping_address", "payment_plan", "custom_fields", "sent_time", "due_time",
	"invoice_number", "external_create_user", "external_create_time", "external_update_time"}

// orderUpdate2 is the part of v2's UpdateOrderRequest the store keeps: title, notes, terms,
// order time and type, and the affiliates. An update emits order.edit and invoice.edit.
type orderUpdate2 struct {
	ContactID          *string          `json:"contact_id,omitempty"`
	CustomFields       *[]customField2  `json:"custom_fields,omitempty"`
	DueTime            *string          `json:"due_time,omitempty"`
	ExternalCreateTime *string          `json:"external_create_time,omitempty"`
	ExternalCreateUser *string          `json:"external_create_user,omitempty"`
	ExternalUpdateTime *string          `json:"external_update_time,omitempty"`
	InvoiceNumber      *string          `json:"invoice_number,omitempty"`
	LeadAffiliateID    *string          `json:"lead_affiliate_id,omitempty"`
	Notes              *string          `json:"notes,omitempty"`
	OrderTime          *string          `json:"order_time,omitempty"`
	OrderTitle         *string          `json:"order_title,omitempty"`
	OrderType          *string          `json:"order_type,omitempty"`
	PaymentPlan        *object          `json:"payment_plan,omitempty"`
	PromoCodes         *[]string        `json:"promo_codes,omitempty"`
	SalesAffiliateID   *string          `json:"sales_affiliate_id,omitempty"`
	SentTime           *string          `json:"sent_time,omitempty"`
	ShippingAddress    *shippingAddress `json:"shipping_address,omitempty"`
	Terms              *string          `json:"terms,omitempty"`
	Title              *string          `json:"title,omitempty"`
}

// kept is what the update sets on a stored order, only the masked properties when mask is
// not nil.
func (b *orderUpdate2) kept(c *check, mask []string) object {
	f := object{}
	set := func(name, key string, v any) {
		if mask == nil || slices.Contains(mask, name) {
			f[key] = v
		}
	}
	if t := firstSet(b.OrderTitle, b.Title); t != nil {
		set("order_title", "title", *t)
	}
	if b.Notes != nil {
		set("notes", "notes", *b.Notes)
	}
	if b.Terms != nil {
		set("terms", "terms", *b.Terms)
	}
	if b.OrderTime != nil {
		c.dateTime("order_time", b.OrderTime)
		set("order_time", "order_date", stampOf(*b.OrderTime))
	}
	if t := orderType1(c, b.OrderType); t != nil {
		set("order_type", "order_type", *t)
	}
	if id := c.idField("lead_affiliate_id", b.LeadAffiliateID); id != nil {
		set("lead_affiliate_id", "lead_affiliate_id", num(*id))
	}
	if id := c.idField("sales_affiliate_id", b.SalesAffiliateID); id != nil {
		set("sales_affiliate_id", "sales_affiliate_id", num(*id))
	}
	return f
}

func (s *Store) updateOrder2(w http.ResponseWriter, r *http.Request) {
	id, err := v2ID(r, "order_id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	mask, err := parseMask("update_mask", r.URL.Query()["update_mask"], orderMask2)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var b orderUpdate2
	if err := s.decode(w, r, &b); err != nil {
		s.fail(w, r, err)
		return
	}
	var c check
	f := b.kept(&c, mask)
	if err := c.err(); err != nil {
		s.fail(w, r, err)
		return
	}
	s.exec(w, r, func(d *db) (reply, error) {
		o, err := d.orders.find(id)
		if err != nil {
			return reply{}, err
		}
		o.merge(f)
		o["modification_date"] = d.stamp()
		return reply{http.StatusOK, d.order2(o), orderEdited(id)}, nil
	})
}
