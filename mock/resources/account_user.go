package resources

import (
	"net/http"
	"strings"

	"github.com/keaphook/keaphook/mock/internal/httpapi"
)

// userInfo is GET /oauth/connect/userinfo: who the token belongs to. The mock's tokens are
// not tied to a user, so it is the account's owner, its first user.
func (s *Store) userInfo(w http.ResponseWriter, r *http.Request) {
	s.read(w, r, func(d *db) (any, error) {
		users := d.users.all()
		if len(users) == 0 {
			return nil, httpapi.Errorf(http.StatusNotFound,
				"the account has no user to sign in as: start the mock with its seed data, or create one with POST /crm/rest/v1/users")
		}
		u := users[0]
		email := u.str("email_address")
		global := stringOf(u["global_user_id"])
		if global == "" {
			global = stringOf(u["id"])
		}
		info := object{
			"email": email, "given_name": u.str("given_name"), "family_name": u.str("family_name"),
			"global_user_id": u["global_user_id"], "infusionsoft_id": cmpOr(u.str("infusionsoft_id"), email),
			"sub": global, "is_admin": true,
		}
		if info["global_user_id"] == nil {
			info["global_user_id"] = u["id"]
		}
		setIf(info, "preferred_name", u.str("preferred_name"))
		setIf(info, "middle_name", u.str("middle_name"))
		return info, nil
	})
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// applicationEnabled is GET /setting/application/enabled. The mock's account is always up,
// so it answers Keap's Setting with "true" (the value keap-python's test_connection reads).
func (s *Store) applicationEnabled(w http.ResponseWriter, r *http.Request) {
	s.read(w, r, func(*db) (any, error) { return object{"value": "true"}, nil })
}

// model is GET /{kind}/model: the custom fields the account defines for kind, and the
// optional properties its GET takes.
func (s *Store) model(kind string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.read(w, r, func(d *db) (any, error) {
			fields := make([]object, 0, len(d.account.customFields[kind]))
			for _, f := range d.account.customFields[kind] {
				fields = append(fields, f.clone())
			}
			props := append([]string{}, optionalProperties[kind]...)
			return object{"custom_fields": fields, "optional_properties": props}, nil
		})
	}
}

// createCustomField is POST /{kind}/model/customFields: a field the model then lists.
func (s *Store) createCustomField(kind string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var in customFieldInput
		if err := s.decode(w, r, &in); err != nil {
			s.fail(w, r, err)
			return
		}
		var c check
		c.requiredString("label", in.Label)
		c.required("field_type", in.FieldType != nil)
		c.enum("field_type", in.FieldType, fieldTypes...)
		if err := c.err(); err != nil {
			s.fail(w, r, err)
			return
		}
		s.exec(w, r, func(d *db) (reply, error) {
			d.account.lastFieldID++
			f := object{
				"id": num(d.account.lastFieldID), "label": *in.Label, "field_type": *in.FieldType,
				"field_name": fieldName(*in.Label), "options": options(in.Options),
			}
			d.account.customFields[kind] = append(d.account.customFields[kind], f)
			return reply{status: http.StatusCreated, body: f.clone()}, nil
		})
	}
}

// fieldName is how Keap names a custom field in its database: its label's letters and
// digits, for use with XML-RPC and the legacy API.
func fieldName(label string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, label)
}

// options keeps the id and label of each option a custom field was created with.
func options(in []map[string]any) []any {
	out := make([]any, 0, len(in))
	for _, o := range in {
		kept := map[string]any{}
		for _, k := range []string{"id", "label"} {
			if v, ok := o[k].(string); ok {
				kept[k] = v
			}
		}
		out = append(out, kept)
	}
	return out
}

// accountData is the configuration the account holds besides its objects.
type accountData struct {
	customFields map[string][]object // by kind: "contacts", "notes"...
	lastFieldID  int64
}

func newAccountData() accountData {
	return accountData{customFields: map[string][]object{}}
}
