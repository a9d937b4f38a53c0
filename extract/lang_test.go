package extract

import (
	"os"
	"testing"
	"time"
)

// TestChineseReport: a short Chinese report and its republication, read
// from plain text: title line, date line (ISO or 2023年7月14日), language.
func TestChineseReport(t *testing.T) {
	for _, tc := range []struct {
		file, title, date string
		paras             int
	}{
		{"testdata/zh/report.txt", "东盟外长会在雅加达开幕 中美外长举行会晤", "2023-07-13", 4},
		{"testdata/zh/republished.txt", "中美外长在雅加达会晤", "2023-07-14", 4},
	} {
		data, err := os.ReadFile(tc.file)
		if err != nil {
			t.Fatal(err)
		}
		a, err := Text(tc.file, data)
		if err != nil {
			t.Fatal(err)
		}
		if a.Title != tc.title || a.Published.Format("2006-01-02") != tc.date || a.Lang != "zh" || len(a.Body) != tc.paras {
			t.Errorf("%s: title %q date %v lang %q paragraphs %d, want %q %s zh %d", tc.file, a.Title, a.Published, a.Lang, len(a.Body), tc.title, tc.date, tc.paras)
		}
	}
}

func TestForeignDates(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"2023年7月13日", "2023-07-13"},
		{"2023年7月13日 10:30 来源：新华社", "2023-07-13"},
		{"2023년 7월 13일", "2023-07-13"},
		{"13. Juli 2023", "2023-07-13"},
		{"Wien, 3. März 2021", "2021-03-03"},
		{"13 июля 2023", "2023-07-13"},
		{"13 juillet 2023", "2023-07-13"},
		{"13 de julio de 2023", "2023-07-13"},
		{"13 de julho de 2023", "2023-07-13"},
		{"13 luglio 2023", "2023-07-13"},
		{"13 يوليو 2023", "2023-07-13"},
		{"2023-07-13", "2023-07-13"},
		{"31. Februar 2023", ""},
		{"13 bananas 2023", ""},
	} {
		got, ok := findDate(tc.in, 5)
		s := ""
		if ok {
			s = got.Format(time.DateOnly)
		}
		if s != tc.want {
			t.Errorf("findDate(%q)=%q, want %q", tc.in, s, tc.want)
		}
	}
}

func TestDetectLang(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"The foreign ministers of the ten member states met in Jakarta on Thursday to discuss the region.", "en"},
		{"Die Außenminister der zehn Mitgliedstaaten trafen sich am Donnerstag in Jakarta, um über die Region zu sprechen.", "de"},
		{"第56届东盟外长会议13日在印度尼西亚首都雅加达开幕，各国外长就地区合作和国际形势交换意见。", "zh"},
		{"Министры иностранных дел встретились в четверг в Джакарте, чтобы обсудить положение в регионе.", "ru"},
		{"東京で会議が開かれ、各国の外相が地域の協力について意見を交わした。", "ja"},
		{"외교장관들이 목요일 자카르타에서 만나 지역 정세를 논의했다.", "ko"},
		// Latin product names in Chinese text: still Chinese.
		{"苹果公司发布了新款iPhone 15 Pro Max和Apple Watch Series 9，售价为7999元。", "zh"},
		{"", ""},
	} {
		if got := DetectLang(tc.in); got != tc.want {
			t.Errorf("DetectLang(%q)=%q, want %q", tc.in, got, tc.want)
		}
	}
}
