package textnorm

// stopwords are common English function words, in normalized form. They
// measure how much a paragraph reads like prose (jusText) and are left out
// of the terms that describe a story.
var stopwords = make(map[string]bool)

func init() {
	for _, w := range []string{
		"a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any", "are", "as", "at",
		"be", "because", "been", "before", "being", "below", "between", "both", "but", "by", "can", "could",
		"did", "do", "does", "doing", "down", "during", "each", "even", "few", "for", "from", "further", "had", "has", "have",
		"having", "he", "her", "here", "hers", "herself", "him", "himself", "his", "how", "however", "i", "if", "in", "into",
		"is", "it", "its", "itself", "just", "last", "least", "less", "like", "made", "make", "many", "may", "me", "might", "more", "most", "much", "must", "my",
		"myself", "new", "no", "nor", "not", "now", "of", "off", "on", "once", "one", "only", "or", "other", "our", "ours",
		"ourselves", "out", "over", "own", "said", "same", "say", "says", "she", "should", "since", "so", "some", "still", "such", "than", "that",
		"the", "their", "theirs", "them", "themselves", "then", "there", "these", "they", "this", "those", "though", "through",
		"to", "too", "two", "under", "until", "up", "upon", "us", "very", "was", "we", "were", "what", "when", "where", "whether", "which",
		"while", "who", "whom", "whose", "why", "will", "with", "within", "without", "would", "yet", "you", "your", "yours", "yourself",
		"yourselves", "it's", "he's", "she's", "that's", "there's", "they're", "we're", "i'm", "don't", "didn't", "won't", "can't",
		"isn't", "wasn't", "aren't", "weren't", "hasn't", "haven't", "doesn't", "according", "told", "get", "got", "well",
		"year", "years", "three", "first", "around", "week", "time", "people", "day", "days", "way", "back", "another", "among",
		"several", "across", "already", "along", "later", "next", "often", "per", "put", "see", "set", "take", "took", "went",
		"come", "came", "going", "go", "know", "let", "look", "need", "want", "around", "yes", "monday", "tuesday", "wednesday",
		"thursday", "friday", "saturday", "sunday",
	} {
		stopwords[w] = true
	}
}

// IsStopword reports whether the normalized token tok is a function word.
func IsStopword(tok string) bool { return stopwords[tok] }
