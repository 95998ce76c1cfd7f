package resources

// writePaths maps every event key a Keap v1 write causes to one such write (method and path
// relative to /crm/rest/v1). Some writes cause more than one key: a POST /orders is both
// order.add and invoice.add, a payment also edits its order, and a PATCH that moves an
// opportunity to another stage is both opportunity.edit and opportunity.stage_move.
var writePaths = map[string]string{
	"appointment.add":        "POST /appointments",
	"appointment.edit":       "PATCH /appointments/{appointmentId}",
	"appointment.delete":     "DELETE /appointments/{appointmentId}",
	"company.add":            "POST /companies",
	"company.edit":           "PATCH /companies/{companyId}",
	"contact.add":            "POST /contacts",
	"contact.edit":           "PATCH /contacts/{contactId}",
	"contact.delete":         "DELETE /contacts/{contactId}",
	"contactGroup.add":       "POST /tags",
	"contactGroup.applied":   "POST /contacts/{contactId}/tags",
	"contactGroup.removed":   "DELETE /contacts/{contactId}/tags/{tagId}",
	"invoice.add":            "POST /orders",
	"invoice.edit":           "POST /orders/{orderId}/payments",
	"invoice.delete":         "DELETE /orders/{orderId}",
	"invoice.payment.add":    "POST /orders/{orderId}/payments",
	"note.add":               "POST /notes",
	"note.edit":              "PATCH /notes/{noteId}",
	"note.delete":            "DELETE /notes/{noteId}",
	"opportunity.add":        "POST /opportunities",
	"opportunity.edit":       "PATCH /opportunities/{opportunityId}",
	"opportunity.stage_move": "PATCH /opportunities/{opportunityId}",
	"order.add":              "POST /orders",
	"order.edit":             "POST /orders/{orderId}/payments",
	"order.delete":           "DELETE /orders/{orderId}",
	"product.add":            "POST /products",
	"product.edit":           "PATCH /products/{productId}",
	"product.delete":         "DELETE /products/{productId}",
	"subscription.add":       "POST /subscriptions",
	"task.add":               "POST /tasks",
	"task.edit":              "PATCH /tasks/{taskId}",
	"task.delete":            "DELETE /tasks/{taskId}",
	"user.add":               "POST /users",
}

// WritePath returns the Keap v1 request that causes eventKey on the mock, such as
// "POST /contacts" (relative to /crm/rest/v1), or "" when Keap's v1 API has no write that
// does: those keys happen only through the mock's POST /_mock/events. They are
//
//	company.delete      v1 cannot delete a company
//	contact.redact      redaction is done in Keap's app, not v1
//	contactGroup.edit   v1 cannot rename or delete a tag
//	contactGroup.delete
//	invoice.payment.edit, invoice.payment.delete   v1 cannot change or remove a payment
//	leadsource.add, .edit, .delete                 v1 has no lead source resource
//	opportunity.delete  v1 cannot delete an opportunity
//	subscription.edit, subscription.delete         v1 only creates and lists subscriptions
//	user.edit, user.activate                       v1 only creates and lists users
func WritePath(eventKey string) string {
	return writePaths[eventKey]
}
