package extract

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Dates in the main languages of news other than English: 2023年7月13日
// (Chinese, Japanese; also Korean 2023년 7월 13일), 13. Juli 2023 (German),
// 13 juillet 2023 (French), 13 de julio de 2023 (Spanish, Portuguese),
// 13 luglio 2023 (Italian), 13 июля 2023 (Russian), 13 يوليو 2023 (Arabic).
var (
	cjkDateRe  = regexp.MustCompile(`((?:19|20)\d\d)\s*[年년]\s*(\d{1,2})\s*[月월]\s*(\d{1,2})\s*[日일]`)
	wordDateRe = regexp.MustCompile(`(?i)(?:^|[^\p{L}\d])(\d{1,2})(?:\.|er)?\s+(?:de\s+)?(\p{L}+)\.?\s+(?:de\s+)?((?:19|20)\d\d)(?:[^\d]|$)`)
)

// foreignMonths maps month names (and their genitive or short forms) to
// months.
var foreignMonths = map[string]time.Month{}

func init() {
	for m, names := range [12]string{
		"januar jänner janvier enero janeiro gennaio января январь janv ene genn jan يناير كانون",
		"februar feber février fevrier febrero fevereiro febbraio февраля февраль févr feb fev فبراير شباط",
		"märz maerz mars marzo março marco марта март mär mar مارس آذار",
		"april avril abril aprile апреля апрель avr abr apr أبريل إبريل نيسان",
		"mai mayo maio maggio мая май mag مايو أيار",
		"juni juin junio junho giugno июня июнь giu jun يونيو حزيران",
		"juli juillet julio julho luglio июля июль juil lug jul يوليو تموز",
		"august août aout agosto августа август ago ag أغسطس آب",
		"september septembre septiembre setembro settembre сентября сентябрь sept set sep سبتمبر أيلول",
		"oktober octobre octubre outubro ottobre октября октябрь okt oct out ott أكتوبر تشرين",
		"november novembre noviembre novembro ноября ноябрь nov نوفمبر",
		"dezember décembre decembre diciembre dezembro dicembre декабря декабрь dez déc dic дек ديسمبر",
	} {
		for _, n := range strings.Fields(names) {
			foreignMonths[n] = time.Month(m + 1)
		}
	}
}

// findForeignDate returns the first date of s written in one of the forms
// above.
func findForeignDate(s string) (time.Time, bool) {
	if m := cjkDateRe.FindStringSubmatch(s); m != nil {
		return ymd(m[1], m[2], m[3])
	}
	for _, m := range wordDateRe.FindAllStringSubmatch(s, 3) {
		if mon, ok := foreignMonths[strings.ToLower(m[2])]; ok {
			return ymd(m[3], strconv.Itoa(int(mon)), m[1])
		}
	}
	return time.Time{}, false
}

func ymd(year, month, day string) (time.Time, bool) {
	y, _ := strconv.Atoi(year)
	mo, _ := strconv.Atoi(month)
	d, _ := strconv.Atoi(day)
	if mo < 1 || mo > 12 || d < 1 || d > 31 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d {
		return time.Time{}, false
	}
	return t, true
}
