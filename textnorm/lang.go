package textnorm

import "strings"

// stopwordsByLang are function words of other languages, in normalized
// form, for measuring how much a paragraph reads like prose: about as many
// as the English list, since the jusText thresholds were set for its size.
var stopwordsByLang = map[string]map[string]bool{}

func init() {
	for lang, words := range map[string]string{
		// The Snowball stop lists (snowballstem.org), abridged, plus a few
		// reporting verbs as in the English list.
		"de": `aber alle allem allen aller alles als also am an ander andere anderem anderen anderer anderes anders auch auf aus bei bin bis bist da damit dann der den des dem die das dass daß dazu dein deine deinem deinen deiner denn derer dessen dich dir du dies diese diesem diesen dieser dieses doch dort durch ein eine einem einen einer eines einige einigem einigen einiger einiges einmal er ihn ihm es etwas euer eure euch für gegen gewesen hab habe haben hat hatte hatten hier hin hinter ich mich mir ihr ihre ihrem ihren ihrer ihres im in indem ins ist jede jedem jeden jeder jedes jene jenem jenen jener jenes jetzt kann kein keine keinem keinen keiner keines können könnte machen man manche manchem manchen mancher manches mein meine meinem meinen meiner mit muss musste nach nicht nichts noch nun nur ob oder ohne sehr sein seine seinem seinen seiner seines selbst sich sie ihnen sind so solche solchem solchen solcher soll sollte sondern sonst über um und uns unsere unserem unseren unser unter viel vom von vor während war waren was weg weil weiter welche welchem welchen welcher welches wenn werde werden wie wieder will wir wird wirst wo wollen wollte würde würden zu zum zur zwar zwischen`,
		"fr": `au aux avec ce ces cette dans de des du elle elles en et eux il ils je la le les leur leurs lui ma mais me même mes moi mon ne nos notre nous on ou où par pas pour qu que qui sa se ses son sur ta te tes toi ton tu un une vos votre vous c d j l à m n s t y été était étaient est sont être avait avaient a ont ai as avons avez sera seront fait faire plus comme aussi tout tous toute toutes cet sans sous entre après avant depuis contre selon donc alors si ni`,
		"es": `de la que el en y a los del se las por un para con no una su al lo como más pero sus le ya o este sí porque esta entre cuando muy sin sobre también me hasta hay donde quien desde todo nos durante todos uno les ni contra otros ese eso ante ellos e esto mí antes algunos qué unos yo otro otras otra él tanto esa estos mucho quienes nada muchos cual poco ella estar estas algunas algo nosotros es son fue ha han había era eran ser sido será están está estaba tiene tienen hace dijo según tras`,
		"it": `ad al allo ai agli all alla alle con col coi da dal dallo dai dagli dall dalla dalle di del dello dei degli dell della delle in nel nello nei negli nell nella nelle su sul sullo sui sugli sull sulla sulle per tra contro io tu lui lei noi voi loro mio mia miei mie tuo tua suo sua suoi sue nostro nostra vostro vostra il lo la i gli le un uno una ma ed se perché anche come dove che chi cui non più quale quanto quanti quello quelli questo questi questa queste si tutto tutti a c e l o è sono era erano stato stata essere ha hanno aveva avevano fa detto dopo prima già ancora solo`,
		"pt": `de a o que e do da em um para com não uma os no se na por mais as dos como mas ao ele das à seu sua ou quando muito nos já eu também só pelo pela até isso ela entre depois sem mesmo aos seus quem nas me esse eles você essa num nem suas meu às minha numa pelos elas qual nós lhe deles essas esses pelas este dele tu te vocês vos lhes meus minhas teu tua nossa nosso dela delas esta estes estas aquele aquela isto aquilo é são foi foram era eram ser sido está estão estava tem têm tinha há disse segundo após sobre`,
		"ru": `и в во не что он на я с со как а то все она так его но да ты к у же вы за бы по только ее её мне было вот от меня еще ещё нет о из ему теперь когда даже ну вдруг ли если уже или ни быть был него до вас нибудь опять уж вам ведь там потом себя ничего ей может они тут где есть надо ней для мы тебя их чем была сам чтоб без будто чего раз тоже себе под будет ж тогда кто этот того потому этого какой совсем ним здесь этом один почти мой тем чтобы нее сейчас были куда зачем всех никогда можно при наконец два об другой хоть после над больше тот через эти нас про всего них какая много разве три эту моя впрочем хорошо свою этой перед иногда лучше чуть том нельзя такой им более всегда конечно всю между это также заявил сообщил года году`,
	} {
		m := make(map[string]bool)
		for _, w := range strings.Fields(words) {
			m[Fold(w)] = true
		}
		stopwordsByLang[lang] = m
	}
}

// IsStopwordIn reports whether the normalized token tok is a function word
// of the language lang (an ISO 639-1 code), with the English list for "en",
// "" and languages without a list of their own.
func IsStopwordIn(lang, tok string) bool {
	if m, ok := stopwordsByLang[lang]; ok {
		return m[tok]
	}
	return stopwords[tok]
}
