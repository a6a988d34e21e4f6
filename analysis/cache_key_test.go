package analysis

import (
	"reflect"
	"testing"
)

// Every field of Settings is part of the cache's key: a change of any of
// them, even one no per-server rule reads today, makes the cached findings
// stale. Equal settings give equal keys, whatever the order of their maps.
func TestCacheKeyCoversSettings(t *testing.T) {
	rules := []*Analyzer{Ignore}
	base := DefaultSettings()
	base.Rules = map[string]Severity{"a": Off, "b": Info, "c": Error}
	same := DefaultSettings()
	same.Rules = map[string]Severity{"c": Error, "b": Info, "a": Off}
	if !keyOf(rules, base).equal(keyOf(rules, same)) {
		t.Fatal("equal settings give different keys")
	}
	for i := range reflect.TypeFor[Settings]().NumField() {
		s := DefaultSettings()
		s.Rules = map[string]Severity{"a": Off, "b": Info, "c": Error}
		field := reflect.ValueOf(&s).Elem().Field(i)
		name := reflect.TypeFor[Settings]().Field(i).Name
		if !vary(field) {
			t.Errorf("cannot vary Settings.%s (%s): teach vary and check the cache's key", name, field.Type())
			continue
		}
		if keyOf(rules, base).equal(keyOf(rules, s)) {
			t.Errorf("a change of Settings.%s leaves the cache's key as it was", name)
		}
	}
	ambiguous := DefaultSettings()
	ambiguous.Rules = map[string]Severity{"a\"\"b": Info}
	ambiguous2 := DefaultSettings()
	ambiguous2.Rules = map[string]Severity{"a": Info, "b": Info}
	if keyOf(rules, ambiguous).equal(keyOf(rules, ambiguous2)) {
		t.Error("two sets of overrides give one key")
	}
	if keyOf(rules, base).equal(keyOf([]*Analyzer{{ID: "x"}}, base)) {
		t.Error("other rules leave the cache's key as it was")
	}
}

// vary changes a value, reporting false for a kind it does not know.
func vary(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.String:
		v.SetString(v.String() + "x")
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(v.Int() + 1)
	case reflect.Bool:
		v.SetBool(!v.Bool())
	case reflect.Struct:
		return v.NumField() > 0 && vary(v.Field(0))
	case reflect.Map:
		k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
		if !vary(k) || !vary(e) {
			return false
		}
		if v.IsNil() {
			v.Set(reflect.MakeMap(v.Type()))
		}
		v.SetMapIndex(k, e)
	default:
		return false
	}
	return true
}
