// Package phpser writes values in PHP's serialize() format. The core hands
// a whole request (headers, server and cookie arrays) to the PHP layer as
// one such string, so PHP builds every array with a single native
// unserialize() call instead of one FFI call per value; the format is
// length-prefixed and so binary-safe.
package phpser

import "strconv"

// Encoder appends serialized values to Buf.
type Encoder struct {
	Buf []byte
}

// Null appends N;.
func (e *Encoder) Null() { e.Buf = append(e.Buf, "N;"...) }

// Int appends i:N;.
func (e *Encoder) Int(n int64) {
	e.Buf = append(e.Buf, "i:"...)
	e.Buf = strconv.AppendInt(e.Buf, n, 10)
	e.Buf = append(e.Buf, ';')
}

// Float appends d:N; in a form unserialize() reads back exactly.
func (e *Encoder) Float(f float64) {
	e.Buf = append(e.Buf, "d:"...)
	e.Buf = strconv.AppendFloat(e.Buf, f, 'g', -1, 64)
	e.Buf = append(e.Buf, ';')
}

// String appends s:LEN:"bytes";.
func (e *Encoder) String(s string) {
	e.Buf = append(e.Buf, "s:"...)
	e.Buf = strconv.AppendInt(e.Buf, int64(len(s)), 10)
	e.Buf = append(e.Buf, ":\""...)
	e.Buf = append(e.Buf, s...)
	e.Buf = append(e.Buf, "\";"...)
}

// Array starts an array of n elements; the caller then appends n key/value
// pairs (a key is an Int or a String) and calls End.
func (e *Encoder) Array(n int) {
	e.Buf = append(e.Buf, "a:"...)
	e.Buf = strconv.AppendInt(e.Buf, int64(n), 10)
	e.Buf = append(e.Buf, ":{"...)
}

// End closes an array.
func (e *Encoder) End() { e.Buf = append(e.Buf, '}') }

// Pairs is an ordered string map: PHP arrays keep insertion order.
type Pairs []Pair

// Pair is one key and value.
type Pair struct{ Key, Value string }

// StringArray appends p as an array, or N; when p is empty. A key given
// more than once becomes a list of its values, at the key's first place.
func (e *Encoder) StringArray(p Pairs) {
	if len(p) == 0 {
		e.Null()
		return
	}
	var keys []string
	values := make(map[string][]string, len(p))
	for _, kv := range p {
		if _, seen := values[kv.Key]; !seen {
			keys = append(keys, kv.Key)
		}
		values[kv.Key] = append(values[kv.Key], kv.Value)
	}
	e.Array(len(keys))
	for _, k := range keys {
		e.Key(k)
		if vs := values[k]; len(vs) == 1 {
			e.String(vs[0])
		} else {
			e.Array(len(vs))
			for i, v := range vs {
				e.Int(int64(i))
				e.String(v)
			}
			e.End()
		}
	}
	e.End()
}

// Key appends an array key as PHP stores it: a decimal integer string
// without leading zeros becomes an int key.
func (e *Encoder) Key(k string) {
	if n, err := strconv.ParseInt(k, 10, 64); err == nil && strconv.FormatInt(n, 10) == k {
		e.Int(n)
		return
	}
	e.String(k)
}
