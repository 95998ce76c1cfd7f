package resources

// ref checks that a body's reference names an object of t; nil passes.
func ref(field string, t *table, id *int64) error {
	if id == nil {
		return nil
	}
	if _, ok := t.get(*id); !ok {
		return refError(field, t.noun, *id)
	}
	return nil
}

// firstErr returns the first non-nil error.
func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// intFilter matches objects whose integer field equals want, when the filter was given.
func intFilter(o object, field string, want int64, given bool) bool {
	if !given {
		return true
	}
	got, ok := o.int(field)
	return ok && got == want
}
