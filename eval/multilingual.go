package eval

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/newsdedup/newsdedup"
	"github.com/newsdedup/newsdedup/ingest"
)

// MultilingualSeed is the seed of the generated multilingual copy sets, fixed
// so that every run scores the same records.
const MultilingualSeed = 19

// Multilingual returns the records of a generated copy-detection set in lang
// ("zh" or "de"), made from the raw news texts of dir/multilingual/<lang>.jsonl
// (dir is SharedDir by default): 150 of the texts are republished 1 to 3
// times each, every copy in a house style and, at random, wrapped in
// chrome, trimmed, updated with a paragraph of another text, and with two
// paragraphs swapped; the remaining texts stand alone as unrelated articles
// of the same corpus. Each record's family label is its original's id.
// The same seed gives the same records.
func Multilingual(dir, lang string, seed uint64) ([]ingest.Record, error) {
	if dir == "" {
		dir = SharedDir
	}
	hs, ok := houseStyles[lang]
	if !ok {
		return nil, newsdedup.Errorf(newsdedup.EINVALID, "no generated copies in language %q: want zh or de", lang)
	}
	var docs []mlDoc
	path := filepath.Join(dir, "multilingual", lang+".jsonl")
	err := readLines(path, func(n int, line []byte) error {
		var d mlDoc
		if err := json.Unmarshal(line, &d); err != nil {
			return err
		}
		d.paras = ingest.Paragraphs(d.Text)
		if len(d.paras) > 0 {
			docs = append(docs, d)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	docs = distinct(docs)
	rng := rand.New(rand.NewPCG(seed, 0x6d6c))
	rng.Shuffle(len(docs), func(i, j int) { docs[i], docs[j] = docs[j], docs[i] })
	const donors, families = 40, 150
	if len(docs) < donors+families+50 {
		return nil, fmt.Errorf("%s: %d texts, want at least %d", path, len(docs), donors+families+50)
	}
	g := &generator{rng: rng, hs: hs, donors: docs[:donors]}
	for _, d := range docs {
		for _, p := range d.paras {
			g.words = append(g.words, hs.words(p)...)
		}
	}
	base := time.Date(2023, 7, 1, 6, 0, 0, 0, time.UTC)
	var recs []ingest.Record
	for i, d := range docs[donors:] {
		pub := base.Add(time.Duration(i) * 37 * time.Minute)
		orig := ingest.Record{
			ID: d.ID, Text: strings.Join(d.paras, "\n\n"), Published: pub.Format(time.RFC3339),
			Source: fmt.Sprintf("%s-news%d.example", lang, i%23), URL: fmt.Sprintf("https://%s-news%d.example/a/%s", lang, i%23, d.ID),
			Family: json.RawMessage(fmt.Sprintf("%q", d.ID)),
		}
		recs = append(recs, orig)
		if i >= families {
			continue
		}
		for c := range 1 + rng.IntN(3) {
			src := fmt.Sprintf("%s-outlet%d.example", lang, rng.IntN(40))
			recs = append(recs, ingest.Record{
				ID: fmt.Sprintf("%s-copy%d", d.ID, c), Text: g.copy(d.paras, src),
				Published: pub.Add(time.Duration(1+rng.IntN(48)) * time.Hour).Format(time.RFC3339),
				Source:    src, URL: fmt.Sprintf("https://%s/%s/%d", src, d.ID, c),
				Family: orig.Family,
			})
		}
	}
	rng.Shuffle(len(recs), func(i, j int) { recs[i], recs[j] = recs[j], recs[i] })
	return recs, nil
}

// distinct returns docs without the texts that share over a fifth of their
// 8-character strings with an earlier one: the corpora hold a few copies of
// their own (THUCNews reprints), which would be unlabelled families.
func distinct(docs []mlDoc) []mlDoc {
	const n = 8
	seen := make(map[string]int) // 8-gram → index in out of its first text
	var out []mlDoc
	for _, d := range docs {
		rs := []rune(strings.Join(d.paras, "\n"))
		grams := make(map[string]bool)
		for i := 0; i+n <= len(rs); i++ {
			grams[string(rs[i:i+n])] = true
		}
		shared := make(map[int]int)
		for g := range grams {
			if j, ok := seen[g]; ok {
				shared[j]++
			}
		}
		dup := false
		for j, c := range shared {
			if float64(c) > 0.2*float64(min(len(grams), out[j].grams)) {
				dup = true
				break
			}
		}
		if dup {
			continue
		}
		d.grams = len(grams)
		for g := range grams {
			if _, ok := seen[g]; !ok {
				seen[g] = len(out)
			}
		}
		out = append(out, d)
	}
	return out
}

type mlDoc struct {
	ID    string `json:"id"`
	Text  string `json:"text"`
	paras []string
	grams int
}

// multilingual loads Multilingual's records as a dataset.
func multilingual(dir, lang, split string) (*Dataset, error) {
	if split == "test" {
		return nil, newsdedup.Errorf(newsdedup.EINVALID, "multilingual-%s is generated from the shared (development) half: use --split all or dev", lang)
	}
	recs, err := Multilingual(dir, lang, MultilingualSeed)
	if err != nil {
		return nil, err
	}
	return recordsDataset(recs, "multilingual-"+lang)
}

func recordsDataset(recs []ingest.Record, name string) (*Dataset, error) {
	ds := &Dataset{}
	for i := range recs {
		rec := &recs[i]
		a, err := rec.Article(fmt.Sprintf("%s:%s", name, rec.ID))
		if err != nil {
			return nil, err
		}
		fam, err := labels(rec.Family)
		if err != nil {
			return nil, err
		}
		ds.Items = append(ds.Items, Item{Article: a, Family: fam})
	}
	return ds, nil
}

type generator struct {
	rng    *rand.Rand
	hs     houseStyle
	donors []mlDoc
	words  []string // words of the corpus, for changed words
	swiss  bool     // the copy being made writes ss for ß
}

// copy returns a republication of paras by the outlet src.
func (g *generator) copy(paras []string, src string) string {
	ps := slices.Clone(paras)
	g.swiss = g.rng.Float64() < 0.5
	if len(ps) >= 4 && g.rng.Float64() < 0.4 { // trimmed at the end
		ps = ps[:len(ps)-1-g.rng.IntN(min(2, len(ps)-3))]
	}
	if len(ps) >= 3 && g.rng.Float64() < 0.3 { // two paragraphs swapped
		i := 1 + g.rng.IntN(len(ps)-2)
		ps[i], ps[i+1] = ps[i+1], ps[i]
	}
	for i, p := range ps {
		ps[i] = g.hs.edit(g, p)
	}
	if g.rng.Float64() < 0.3 { // updated: a paragraph added
		d := g.donors[g.rng.IntN(len(g.donors))]
		add := d.paras[g.rng.IntN(len(d.paras))]
		at := len(ps)
		if g.rng.IntN(2) == 0 {
			at = 1 + g.rng.IntN(len(ps))
		}
		ps = slices.Insert(ps, min(at, len(ps)), add)
	}
	if g.rng.Float64() < 0.7 { // chrome around the article
		head, tail := g.hs.chrome(g, src)
		ps = append(head, append(ps, tail...)...)
	}
	return strings.Join(ps, "\n\n")
}

func (g *generator) pick(list []string) string { return list[g.rng.IntN(len(list))] }

// houseStyle is one language's way of rewriting a text.
type houseStyle struct {
	edit   func(g *generator, para string) string
	words  func(para string) []string
	chrome func(g *generator, src string) (head, tail []string)
}

var houseStyles = map[string]houseStyle{
	"zh": {edit: zhEdit, words: zhWords, chrome: zhChrome},
	"de": {edit: deEdit, words: strings.Fields, chrome: deChrome},
}

// Chinese house style: a lead-in (据悉, 另悉…) before some sentences,
// traditional variants of some characters, synonyms, and one character
// changed in about half the sentences.
var (
	zhLeadIns  = []string{"据悉，", "另悉，", "据了解，", "记者获悉，", "据报道，"}
	zhVariants = map[rune]rune{'时': '時', '间': '間', '国': '國', '说': '說', '这': '這', '会': '會', '们': '們',
		'为': '為', '发': '發', '对': '對', '进': '進', '经': '經', '现': '現', '实': '實', '场': '場'}
	zhSynonyms = [][2]string{{"表示", "称"}, {"目前", "当前"}, {"已经", "已"}, {"但是", "但"}, {"进行", "开展"},
		{"因为", "由于"}, {"今年", "本年度"}, {"可以", "能够"}, {"非常", "十分"}, {"所以", "因此"},
		{"认为", "觉得"}, {"如果", "假如"}, {"同时", "与此同时"}, {"北京时间", "北京時間"}, {"记者", "本报记者"}}
)

func zhEdit(g *generator, para string) string {
	var b strings.Builder
	for _, s := range zhSentences(para) {
		if g.rng.Float64() < 0.15 {
			b.WriteString(g.pick(zhLeadIns))
		}
		for _, syn := range zhSynonyms {
			if g.rng.Float64() < 0.5 {
				s = strings.Replace(s, syn[0], syn[1], 1)
			}
		}
		if g.rng.Float64() < 0.5 { // one character changed
			rs := []rune(s)
			var han []int
			for i, r := range rs {
				if unicode.Is(unicode.Han, r) {
					han = append(han, i)
				}
			}
			if len(han) > 0 {
				w := []rune(g.pick(g.words))
				rs[han[g.rng.IntN(len(han))]] = w[g.rng.IntN(len(w))]
				s = string(rs)
			}
		}
		rs := []rune(s)
		for i, r := range rs {
			if v, ok := zhVariants[r]; ok && g.rng.Float64() < 0.3 {
				rs[i] = v
			}
		}
		b.WriteString(string(rs))
	}
	return b.String()
}

// zhSentences splits para after every sentence-ending mark.
func zhSentences(para string) []string {
	var out []string
	start := 0
	for i, r := range para {
		if r == '。' || r == '！' || r == '？' {
			end := i + utf8.RuneLen(r)
			out = append(out, para[start:end])
			start = end
		}
	}
	if start < len(para) {
		out = append(out, para[start:])
	}
	return out
}

// zhWords returns the runs of Han characters of para, as the pool of
// replacement characters.
func zhWords(para string) []string {
	return strings.FieldsFunc(para, func(r rune) bool { return !unicode.Is(unicode.Han, r) })
}

func zhChrome(g *generator, src string) (head, tail []string) {
	heads := []string{"首页 > 新闻中心 > 正文", "来源：" + src, "分享到：微博 微信 QQ空间", "【字体：大 中 小】", "扫描二维码 关注我们"}
	tails := []string{"责任编辑：" + g.pick([]string{"王磊", "李娜", "张伟", "刘洋"}), "（原标题已修改）", "相关新闻", "版权所有 " + src + " 未经授权禁止转载", "分享到：", "热门推荐"}
	for range 1 + g.rng.IntN(2) {
		head = append(head, g.pick(heads))
	}
	for range 1 + g.rng.IntN(3) {
		tail = append(tail, g.pick(tails))
	}
	return head, tail
}

// German house style: Swiss ß→ss for a whole copy, house abbreviations,
// other quotation marks, and one word changed or dropped in about half the
// sentences.
var deAbbrev = [][2]string{{"Prozent", "%"}, {"zum Beispiel", "z. B."}, {"Millionen", "Mio."}, {"Milliarden", "Mrd."},
	{"beziehungsweise", "bzw."}, {"unter anderem", "u. a."}, {"Nummer", "Nr."}, {"Euro", "EUR"}, {"Doktor", "Dr."},
	{"und so weiter", "usw."}, {"circa", "ca."}, {"Jahrhundert", "Jh."}}

func deEdit(g *generator, para string) string {
	var out []string
	for _, w := range strings.Fields(para) {
		if g.rng.Float64() < 0.05 { // about one word a sentence changed or dropped
			if g.rng.IntN(2) == 0 {
				continue
			}
			w = g.pick(g.words)
		}
		out = append(out, w)
	}
	s := strings.Join(out, " ")
	for _, ab := range deAbbrev {
		if g.rng.Float64() < 0.7 {
			s = strings.ReplaceAll(s, ab[0], ab[1])
		}
	}
	if g.swiss {
		s = strings.ReplaceAll(s, "ß", "ss")
	}
	return strings.NewReplacer("„", "«", "“", "»", "\"", "«").Replace(s)
}

func deChrome(g *generator, src string) (head, tail []string) {
	heads := []string{"Startseite > Politik > Inland", "Teilen auf Facebook Twitter WhatsApp", "Lesezeit: 3 Minuten", src, "Foto: APA/dpa"}
	tails := []string{"Mehr zum Thema", "Kommentare (12)", "© " + src + " – Alle Rechte vorbehalten", "Artikel teilen", "Das könnte Sie auch interessieren", "(red, APA)"}
	for range 1 + g.rng.IntN(2) {
		head = append(head, g.pick(heads))
	}
	for range 1 + g.rng.IntN(3) {
		tail = append(tail, g.pick(tails))
	}
	return head, tail
}
