package linkheader

import (
	"slices"
	"strings"
)

// param records the parameter name=value in l, applying the rules given in
// the package documentation.
func (p *parser) param(l *Link, relSeen *bool, name, value string, hasValue bool) {
	name = lowerName(name)
	if name == "rel" {
		if !*relSeen {
			*relSeen = true
			l.Rel = value
		}
		return
	}
	if _, dup := l.Params[name]; dup {
		return
	}
	if name[len(name)-1] == '*' {
		if p.hasFailed(name) {
			return // the first occurrence did not decode; later ones are ignored
		}
		v, ok := "", false
		if hasValue {
			v, ok = decodeExtValue(value)
			p.work += len(value)
		}
		if !ok {
			p.addFailed(name)
			return
		}
		value = v
	}
	if l.Params == nil {
		l.Params = make(map[string]string, 4)
	}
	l.Params[name] = value
}

// maxFailedScan is how many failed names are searched linearly before
// they move to a map.
const maxFailedScan = 8

// hasFailed reports whether the extended parameter name of the current link
// already failed to decode.
func (p *parser) hasFailed(name string) bool {
	if p.failedSet != nil {
		p.work++
		_, ok := p.failedSet[name]
		return ok
	}
	p.work += len(p.failed)
	return slices.Contains(p.failed, name)
}

// addFailed records that the extended parameter name of the current link
// did not decode.
func (p *parser) addFailed(name string) {
	if p.failedSet == nil && len(p.failed) < maxFailedScan {
		p.failed = append(p.failed, name)
		return
	}
	if p.failedSet == nil {
		p.failedSet = make(map[string]struct{}, 2*maxFailedScan)
		for _, f := range p.failed {
			p.failedSet[f] = struct{}{}
		}
	}
	p.failedSet[name] = struct{}{}
}

// lowerName returns the token name in lower case, without allocating when it
// is lower case already or is one of the parameters RFC 8288 defines.
func lowerName(name string) string {
	upper := false
	for i := 0; i < len(name); i++ {
		if 'A' <= name[i] && name[i] <= 'Z' {
			upper = true
			break
		}
	}
	if !upper {
		return name
	}
	for _, known := range [...]string{"rel", "anchor", "title", "title*", "type", "hreflang", "media", "rev"} {
		if strings.EqualFold(name, known) {
			return known
		}
	}
	return strings.ToLower(name)
}
