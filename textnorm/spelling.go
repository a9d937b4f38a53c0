package textnorm

import "bytes"

// British spellings whose American form no suffix rule below produces.
// Plural forms are handled by the caller (a trailing "s" is tried off).
var spellingTable = map[string]string{
	"defence": "defense", "offence": "offense", "licence": "license", "pretence": "pretense",
	"centre": "center", "theatre": "theater", "metre": "meter", "litre": "liter",
	"fibre": "fiber", "calibre": "caliber", "sombre": "somber", "spectre": "specter",
	"manoeuvre": "maneuver", "programme": "program", "grey": "gray", "tyre": "tire",
	"plough": "plow", "aluminium": "aluminum", "mould": "mold", "sceptic": "skeptic",
	"sceptical": "skeptical", "aeroplane": "airplane", "enrol": "enroll", "fulfil": "fulfill",
	"judgement": "judgment", "acknowledgement": "acknowledgment", "ageing": "aging",
	"kilometre": "kilometer", "centimetre": "centimeter", "millimetre": "millimeter",
	"jewellery": "jewelry", "storey": "story", "cheque": "check", "draught": "draft",
	"paediatric": "pediatric", "anaesthetic": "anesthetic", "orthopaedic": "orthopedic",
	"oestrogen": "estrogen", "haemorrhage": "hemorrhage", "diarrhoea": "diarrhea",
	"encyclopaedia": "encyclopedia", "foetus": "fetus", "leukaemia": "leukemia",
	"anaemia": "anemia", "whilst": "while", "amongst": "among", "towards": "toward",
	"practise": "practice", "practised": "practiced", "practising": "practicing",
	"centred": "centered", "centring": "centering", "pyjamas": "pajamas", "mum": "mom",
}

// Suffix rules, applied in order to the first that matches. stem is the
// shortest stem the rule applies to, so that short words ("four", "hour",
// "rise") are left alone.
var spellingRules = []struct {
	from, to []byte
	stem     int
}{
	{[]byte("isations"), []byte("izations"), 2}, {[]byte("isation"), []byte("ization"), 2},
	{[]byte("ising"), []byte("izing"), 3}, {[]byte("ised"), []byte("ized"), 3}, {[]byte("ises"), []byte("izes"), 3}, {[]byte("isers"), []byte("izers"), 3}, {[]byte("iser"), []byte("izer"), 3}, {[]byte("ise"), []byte("ize"), 3},
	{[]byte("ysing"), []byte("yzing"), 3}, {[]byte("ysed"), []byte("yzed"), 3}, {[]byte("yses"), []byte("yzes"), 3}, {[]byte("yse"), []byte("yze"), 3},
	{[]byte("ourites"), []byte("orites"), 3}, {[]byte("ourite"), []byte("orite"), 3}, {[]byte("ourable"), []byte("orable"), 3},
	{[]byte("ouring"), []byte("oring"), 3}, {[]byte("oured"), []byte("ored"), 3}, {[]byte("ourers"), []byte("orers"), 3}, {[]byte("ourer"), []byte("orer"), 3},
	{[]byte("ours"), []byte("ors"), 3}, {[]byte("our"), []byte("or"), 3},
	{[]byte("elled"), []byte("eled"), 3}, {[]byte("elling"), []byte("eling"), 3}, {[]byte("ellers"), []byte("elers"), 3}, {[]byte("eller"), []byte("eler"), 3},
	{[]byte("alled"), []byte("aled"), 3}, {[]byte("alling"), []byte("aling"), 3},
	{[]byte("ogues"), []byte("ogs"), 4}, {[]byte("ogue"), []byte("og"), 4},
}

// tableKeys has bit len(key) set at index key[0] for every table key, so most
// tokens skip the map lookup.
var tableKeys [256]uint32

// rulesByLast indexes spellingRules by the last byte of their suffix.
var rulesByLast [256][]int

func init() {
	for k := range spellingTable {
		if len(k) < 32 {
			tableKeys[k[0]] |= 1 << len(k)
		}
	}
	for i, r := range spellingRules {
		last := r.from[len(r.from)-1]
		rulesByLast[last] = append(rulesByLast[last], i)
	}
}

func inTable(tok []byte) bool {
	return len(tok) < 32 && tableKeys[tok[0]]&(1<<len(tok)) != 0
}

// appendSpelling appends the American form of the lower-case token tok to dst.
func appendSpelling(dst, tok []byte) []byte {
	if len(tok) < 4 {
		return append(dst, tok...)
	}
	if inTable(tok) {
		if to, ok := spellingTable[string(tok)]; ok {
			return append(dst, to...)
		}
	}
	if tok[len(tok)-1] == 's' && inTable(tok[:len(tok)-1]) {
		if to, ok := spellingTable[string(tok[:len(tok)-1])]; ok {
			return append(append(dst, to...), 's')
		}
	}
	for _, i := range rulesByLast[tok[len(tok)-1]] {
		r := &spellingRules[i]
		if len(tok) >= len(r.from)+r.stem && bytes.HasSuffix(tok, r.from) {
			dst = append(dst, tok[:len(tok)-len(r.from)]...)
			return append(dst, r.to...)
		}
	}
	return append(dst, tok...)
}
