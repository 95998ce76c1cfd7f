package resources

import (
	"math"
	"strconv"
	"strings"
)

// orderInput is Keap's CreateOrder body.
type orderInput struct {
	ContactID        *int64            `json:"contact_id,omitempty"`
	LeadAffiliateID  *int64            `json:"lead_affiliate_id,omitempty"`
	OrderDate        *string           `json:"order_date,omitempty"`
	OrderItems       *[]orderItemInput `json:"order_items,omitempty"`
	OrderTitle       *string           `json:"order_title,omitempty"`
	OrderType        *string           `json:"order_type,omitempty"`
	PromoCodes       *[]string         `json:"promo_codes,omitempty"`
	SalesAffiliateID *int64            `json:"sales_affiliate_id,omitempty"`
	ShippingAddress  *shippingAddress  `json:"shipping_address,omitempty"`
}

// orderItemInput is Keap's CreateOrderItem; price is a decimal string, and without it the
// product's price applies.
type orderItemInput struct {
	Description *string `json:"description,omitempty"`
	ItemType    *string `json:"item_type,omitempty"`
	Price       *string `json:"price,omitempty"`
	ProductID   *int64  `json:"product_id,omitempty"`
	Quantity    *int32  `json:"quantity,omitempty"`
}

// shippingAddress is Keap's RestV1AddressInformation.
type shippingAddress struct {
	Company            *string `json:"company,omitempty"`
	CountryCode        *string `json:"country_code,omitempty"`
	FirstName          *string `json:"first_name,omitempty"`
	IsInvoiceToCompany *bool   `json:"is_invoice_to_company,omitempty"`
	LastName           *string `json:"last_name,omitempty"`
	Line1              *string `json:"line1,omitempty"`
	Line2              *string `json:"line2,omitempty"`
	Locality           *string `json:"locality,omitempty"`
	MiddleName         *string `json:"middle_name,omitempty"`
	Phone              *string `json:"phone,omitempty"`
	Region             *string `json:"region,omitempty"`
	ZipCode            *string `json:"zip_code,omitempty"`
	ZipFour            *string `json:"zip_four,omitempty"`
}

var itemTypes = []string{"UNKNOWN", "SHIPPING", "TAX", "SERVICE", "PRODUCT", "UPSELL", "FINANCE_CHARGE", "SPECIAL",
	"PROGRAM", "SUBSCRIPTION", "SPECIAL_FREE_TRIAL_DAYS", "SPECIAL_ORDER_TOTAL", "SPECIAL_PRODUCT",
	"SPECIAL_CATEGORY", "SPECIAL_SHIPPING", "TIP", "OTHER"}

// maxOrderItems bounds one order; Keap states no figure, and a thousand lines is plenty.
const maxOrderItems = 1000

func (in *orderInput) check(c *check, _ mode) {
	c.required("contact_id", in.ContactID != nil)
	c.positive("contact_id", in.ContactID)
	c.required("order_date", in.OrderDate != nil)
	c.dateTime("order_date", in.OrderDate)
	c.requiredString("order_title", in.OrderTitle)
	c.required("order_type", in.OrderType != nil)
	c.enum("order_type", in.OrderType, "Offline", "Online")
	switch {
	case in.OrderItems == nil || len(*in.OrderItems) == 0:
		c.bad("order_items is required: at least one item")
	case len(*in.OrderItems) > maxOrderItems:
		c.bad("order_items holds %d items; at most %d", len(*in.OrderItems), maxOrderItems)
	default:
		for i, it := range *in.OrderItems {
			it.check(c, field("order_items", i))
		}
	}
	if in.ShippingAddress != nil {
		c.regionNeedsCountry("shipping_address", in.ShippingAddress.Region, in.ShippingAddress.CountryCode)
	}
}

func (it *orderItemInput) check(c *check, f string) {
	c.required(f+".product_id", it.ProductID != nil)
	c.positive(f+".product_id", it.ProductID)
	c.required(f+".quantity", it.Quantity != nil)
	if it.Quantity != nil && *it.Quantity < 1 {
		c.bad("%s.quantity must be at least 1, got %d", f, *it.Quantity)
	}
	c.enum(f+".item_type", it.ItemType, itemTypes...)
	c.amount(f+".price", it.Price, true)
}

// amount reports a decimal string that is not a sensible amount of money; nil passes.
func (c *check) amount(f string, v *string, zeroOK bool) {
	if v == nil {
		return
	}
	cents, ok := parseCents(*v)
	switch {
	case !ok:
		c.bad("%s must be a decimal amount such as \"49.95\", got %q", f, *v)
	case cents < 0 || cents == 0 && !zeroOK:
		c.bad("%s must be more than 0, got %q", f, *v)
	}
}

// maxCents keeps amounts where float64 and int64 both hold them exactly.
const maxCents = 1 << 50

// parseCents reads a decimal amount in cents, rounding to the cent.
func parseCents(v string) (int64, bool) {
	f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || math.Abs(f*100) > maxCents {
		return 0, false
	}
	return int64(math.Round(f * 100)), true
}

func centsOf(o object, key string) int64 { return int64(math.Round(o.float(key) * 100)) }

func fromCents(c int64) any { return money(float64(c) / 100) }
