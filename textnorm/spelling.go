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
	from, to string
	stem     int
}{
	{"isations", "izations", 2}, {"isation", "ization", 2},
	{"ising", "izing", 3}, {"ised", "ized", 3}, {"ises", "izes", 3}, {"isers", "izers", 3}, {"iser", "izer", 3}, {"ise", "ize", 3},
	{"ysing", "yzing", 3}, {"ysed", "yzed", 3}, {"yses", "yzes", 3}, {"yse", "yze", 3},
	{"ourites", "orites", 3}, {"ourite", "orite", 3}, {"ourable", "orable", 3},
	{"ouring", "oring", 3}, {"oured", "ored", 3}, {"ourers", "orers", 3}, {"ourer", "orer", 3},
	{"ours", "ors", 3}, {"our", "or", 3},
	{"elled", "eled", 3}, {"elling", "eling", 3}, {"ellers", "elers", 3}, {"eller", "eler", 3},
	{"alled", "aled", 3}, {"alling", "aling", 3},
	{"ogues", "ogs", 4}, {"ogue", "og", 4},
}

// appendSpelling appends the American form of the lower-case token tok to dst.
func appendSpelling(dst, tok []byte) []byte {
	if len(tok) < 4 {
		return append(dst, tok...)
	}
	if to, ok := spellingTable[string(tok)]; ok {
		return append(dst, to...)
	}
	if tok[len(tok)-1] == 's' {
		if to, ok := spellingTable[string(tok[:len(tok)-1])]; ok {
			return append(append(dst, to...), 's')
		}
	}
	for _, r := range spellingRules {
		if len(tok) >= len(r.from)+r.stem && bytes.HasSuffix(tok, []byte(r.from)) {
			dst = append(dst, tok[:len(tok)-len(r.from)]...)
			return append(dst, r.to...)
		}
	}
	return append(dst, tok...)
}
