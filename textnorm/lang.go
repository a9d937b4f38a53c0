package textnorm

import "strings"

// functionChars are common Chinese and Japanese function characters
// (particles, auxiliaries, pronouns). In text tokenized as character
// n-grams, a token holding one is the counterpart of a stop word.
const functionChars = "的了在是和与也就都而及着对这那有为被把从到等中上说将已并但其之以于所のはがをにでともへや"

// stopwordsByLang are short lists of function words of other languages, in
// normalized form, for measuring how much a paragraph reads like prose.
var stopwordsByLang = map[string]map[string]bool{}

func init() {
	for lang, words := range map[string]string{
		"de": "der die das den dem des ein eine einer eines einem einen und oder aber nicht mit von zu zum zur im in auf an am für ist sind war wurde werden hat haben sich er sie es wir auch als wie bei nach aus dass noch nur so",
		"fr": "le la les un une des du de et ou mais ne pas avec pour dans sur au aux est sont a ont été il elle ils nous vous que qui ce cette se sa son ses par plus",
		"es": "el la los las un una unos de del y o pero no con para en por al es son fue ha han se su sus que lo como más este esta",
		"it": "il lo la i gli le un una di del della e o ma non con per in su al è sono ha hanno si suo sua che come più questo questa anche",
		"pt": "o a os as um uma de do da dos das e ou mas não com para em no na por ao é são foi tem se seu sua que como mais este esta",
		"ru": "и в во не что он на я с со как а то все она так его но да ты к у же вы за бы по только ее мне было вот от меня еще нет о из ему теперь когда это был были для",
	} {
		m := make(map[string]bool)
		for _, w := range strings.Fields(words) {
			m[Fold(w)] = true
		}
		stopwordsByLang[lang] = m
	}
}

// IsStopwordIn reports whether the normalized token tok is a function word
// of the language lang (an ISO 639-1 code): English for "en", "" and
// languages without a list; for Chinese and Japanese, a character n-gram
// holding a function character.
func IsStopwordIn(lang, tok string) bool {
	switch lang {
	case "zh", "ja":
		return strings.ContainsAny(tok, functionChars)
	}
	if m, ok := stopwordsByLang[lang]; ok {
		return m[tok]
	}
	return stopwords[tok]
}
