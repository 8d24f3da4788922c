"""Synthetic bilingual news corpora for the benchmark, written as article files like docs_src/.

    python3 benchmarks/corpus.py 10k [--dir /tmp/citebot-bench/10k]

Each article is a UTF-8 .txt file with a `---` metadata header (title, language,
publisher), a little page chrome before the title (a banner in capitals, "Log in",
a section name), a dateline, a lead and 10-30 paragraphs in all (body paragraphs,
now and then a photo with its caption or a sub-heading), then a chrome tail
("Related news" / "Tin bài liên quan" and a list of other headlines). Roughly half
the articles are Vietnamese and half English; the text is made from word lists of
both languages (Vietnamese syllables with diacritics, two-syllable words, English
news vocabulary, person and city names, dates like "24/6/2022" or "September 4-6",
numbers like "7.79%") with random.Random(42), so a size always gives the same files.

The size counts the paragraphs the indexer is expected to number (title, lead, body,
headings and captions). Files are written one at a time; the corpus is never held in
memory. A folder is reused when its `.complete` marker matches the size, seed and
generator version.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import time
import unicodedata
from pathlib import Path

GENERATOR_VERSION = 2
SEED = 42
DEFAULT_ROOT = Path("/tmp/citebot-bench")
MARKER = ".complete"
FILE_PREFIX = "gen_"
SIZES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000}


def parse_size(text: str) -> int:
    text = text.strip().lower()
    if text in SIZES:
        return SIZES[text]
    mult = {"k": 1_000, "m": 1_000_000}.get(text[-1:], 1)
    return int(float(text.rstrip("km")) * mult)


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# --- word lists ------------------------------------------------------------------

VI_SURNAMES = "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đinh Trương Lương Tạ Mai Châu".split()
VI_MIDDLE = "Văn Thị Hữu Đức Minh Quốc Tiến Thanh Xuân Hoàng Ngọc Sỹ Công Đình Quang Thu Kim Mạnh".split()
VI_GIVEN = ("An Bình Cường Dũng Hùng Hải Lan Mai Nam Phương Quang Sơn Tâm Thắng Tuấn Việt Hà Hạnh Long Khoa "
            "Thanh Huy Tùng Trung Hiếu Nghĩa Phúc Thảo Trang Yến Hòa Thủy Khánh Lộc Quyết Tuyên Hưng").split()
FOREIGN_NAMES = {
    "kh": ("Khuong Sok Chea Hun Heng Say Men Keo Ouk Prak".split(), "Sreng Samrin Chhum Sokha Vuthy Rithy Sophal Dara".split()),
    "la": ("Somsak Bounmy Khampheng Phouvong Sisouk Thongsing".split(), "Phommachanh Keomany Sayasone Vongsa Inthavong".split()),
    "th": ("Chadchart Somchai Prayut Anutin Srettha Wiroj".split(), "Sittipunt Chaiyaporn Wongsuwan Charnvirakul Thavisin".split()),
    "kr": ("Kim Park Lee Choi Jung Kang".split(), "Seong-ho Min-jun Ji-hoon Soo-young Hyun-woo Dong-hyun".split()),
    "jp": ("Tanaka Suzuki Sato Takahashi Watanabe Ito".split(), "Hiroshi Kenji Yuki Takeshi Akira Haruto".split()),
    "west": ("John Maria Peter Anna David Sophie Michael Laura Thomas Elena".split(),
             "Carter Schmidt Dubois Rossi Novak Petrov Andersen Walker Moreau Fischer".split()),
}
# (Vietnamese, English) spellings of places.
CITIES = [
    ("Hà Nội", "Hanoi"), ("Thành phố Hồ Chí Minh", "Ho Chi Minh City"), ("Đà Nẵng", "Da Nang"),
    ("Hải Phòng", "Hai Phong"), ("Cần Thơ", "Can Tho"), ("Huế", "Hue"), ("Quảng Ninh", "Quang Ninh"),
    ("Nghệ An", "Nghe An"), ("Bắc Ninh", "Bac Ninh"), ("Khánh Hòa", "Khanh Hoa"), ("Lào Cai", "Lao Cai"),
    ("Phnom Penh", "Phnom Penh"), ("Viêng Chăn", "Vientiane"), ("Băng Cốc", "Bangkok"), ("Busan", "Busan"),
    ("Seoul", "Seoul"), ("Tokyo", "Tokyo"), ("Singapore", "Singapore"), ("Jakarta", "Jakarta"),
    ("Kuala Lumpur", "Kuala Lumpur"), ("Manila", "Manila"), ("Yangon", "Yangon"), ("Mát-xcơ-va", "Moscow"),
    ("Paris", "Paris"), ("Berlin", "Berlin"), ("Thượng Hải", "Shanghai"), ("Sydney", "Sydney"),
]
COUNTRIES = [("Việt Nam", "Vietnam"), ("Campuchia", "Cambodia"), ("Lào", "Laos"), ("Thái Lan", "Thailand"),
             ("Hàn Quốc", "South Korea"), ("Nhật Bản", "Japan"), ("Singapore", "Singapore"), ("Nga", "Russia"),
             ("Pháp", "France"), ("Đức", "Germany"), ("Trung Quốc", "China"), ("Australia", "Australia")]
VI_TITLES = ["Chủ tịch UBND thành phố", "Bí thư Thành ủy", "Đô trưởng", "Thủ tướng", "Bộ trưởng Bộ Ngoại giao",
             "Đại sứ", "Phó Chủ tịch UBND", "Thống đốc", "Giám đốc Sở Du lịch", "Chủ tịch HĐND", "Thị trưởng",
             "Phó Thủ tướng", "Bộ trưởng Bộ Công Thương", "Tổng Lãnh sự"]
EN_TITLES = ["Chairman of the {city} People's Committee", "Party Secretary", "Governor", "Prime Minister",
             "Foreign Minister", "Ambassador", "Vice Chairman", "Mayor", "Director of the Department of Tourism",
             "Deputy Prime Minister", "Minister of Industry and Trade", "Consul General", "Municipal Governor"]
VI_WORDS2 = (
    "hợp tác|phát triển|kinh tế|xã hội|đầu tư|du lịch|giao thông|văn hóa|giáo dục|y tế|môi trường|doanh nghiệp|"
    "nhân dân|chính phủ|thành phố|thủ đô|hội nghị|hội đàm|quan hệ|hữu nghị|truyền thống|chiến lược|đối tác|"
    "toàn diện|bền vững|công nghệ|khoa học|đổi mới|sáng tạo|an ninh|quốc phòng|ngoại giao|thương mại|xuất khẩu|"
    "nhập khẩu|tăng trưởng|lãnh đạo|đại biểu|chuyến thăm|kế hoạch|dự án|công trình|hạ tầng|đô thị|nông nghiệp|"
    "công nghiệp|dịch vụ|ngân sách|nguồn lực|thị trường|sinh viên|học sinh|trường học|bệnh viện|người dân|"
    "cộng đồng|khu vực|quốc tế|song phương|đa phương|hiệu quả|thiết thực|tích cực|quan trọng|mạnh mẽ|sâu rộng|"
    "tiềm năng|cơ hội|thách thức|khó khăn|giải pháp|chính sách|pháp luật|quy hoạch|năng lượng|điện lực|cảng biển|"
    "sân bay|đường sắt|cao tốc|logistics|chuyển đổi số|kinh tế số|nhân lực|đào tạo|lao động|việc làm|thu nhập|"
    "di sản|lễ hội|ẩm thực|nghệ thuật|thể thao|báo chí|truyền thông|tài chính|ngân hàng|bảo hiểm|nhà ở|"
    "cải cách|hành chính|thủ tục|minh bạch|phòng chống|thiên tai|biến đổi khí hậu|nước sạch|rác thải|cây xanh"
).split("|")
VI_SYLLABLES = ("của và các những với trong cho được đã sẽ đang tại về từ này là có không hai nhiều mới lớn cao "
                "tốt người nước năm ngày tháng việc cùng theo để khi đến ra vào thêm nhằm đồng thời bên phía "
                "mọi cả hơn gần khoảng trên dưới sau trước giữa nhất").split()
VI_VERBS = ["nhấn mạnh", "khẳng định", "đề xuất", "cam kết", "thúc đẩy", "tăng cường", "mở rộng", "triển khai",
            "thực hiện", "đánh giá cao", "cho biết", "chia sẻ", "đẩy mạnh", "hỗ trợ", "ưu tiên", "nâng cao",
            "kêu gọi", "đề nghị", "xây dựng", "tháo gỡ", "củng cố", "phối hợp"]
VI_CONNECT = ["nhằm", "để", "trong bối cảnh", "góp phần", "hướng tới", "đồng thời", "qua đó", "nhất là"]
EN_NOUNS = ("cooperation investment tourism infrastructure trade economy culture education healthcare environment "
            "business partnership relations delegation conference agreement development growth recovery policy "
            "transport railway airport seaport logistics technology innovation digital transformation workforce "
            "training students universities heritage festival security defense diplomacy exports imports budget "
            "resources market enterprises residents community region pandemic vaccine planning housing energy "
            "climate resilience urbanization governance reform capital funding projects programs exchanges").split()
EN_ADJ = ("bilateral multilateral comprehensive sustainable strategic practical effective long-term mutual "
          "regional international economic cultural historical urban social digital green traditional "
          "high-ranking municipal national new major key").split()
EN_VERBS = ["stressed", "affirmed", "proposed", "pledged", "promoted", "strengthened", "expanded", "implemented",
            "highly appreciated", "said", "shared", "boosted", "supported", "prioritized", "improved",
            "called for", "suggested", "built", "removed obstacles to", "consolidated", "coordinated"]
EN_INFINITIVES = ["promote", "strengthen", "expand", "boost", "support", "prioritize", "improve", "build",
                  "step up", "facilitate", "enhance", "develop", "coordinate on"]
EN_FILLER = ["the", "of", "and", "in", "for", "with", "to", "on", "at", "from", "by", "between", "the two", "both"]
EN_MONTHS = "January February March April May June July August September October November December".split()
PUBLISHERS_VI = ["Thời Đại", "Tin Tức", "Hà Nội Mới", "Tuổi Trẻ", "Thanh Niên", "Nhân Dân", "Kinh tế & Đô thị"]
PUBLISHERS_EN = ["The Hanoi Times", "VnExpress International", "Vietnam News", "VietnamPlus", "Saigon Times"]
BANNERS_VI = ["THỜI SỰ", "TIN TỨC - SỰ KIỆN", "ĐỐI NGOẠI", "KINH TẾ", "XÃ HỘI"]
BANNERS_EN = ["14TH NATIONAL CONGRESS OF THE COMMUNIST PARTY OF VIETNAM", "NATIONAL NEWS", "WORLD", "BUSINESS"]
SECTIONS_VI = ["Thời sự", "Đối ngoại", "Kinh tế", "Xã hội", "Văn hóa"]
SECTIONS_EN = ["Hanoi", "Politics", "Economy", "Society", "Travel"]
CHROME_LOGIN = {"vi": ["Đăng nhập", "Tìm kiếm", "Trang chủ"], "en": ["Log in", "Search", "Subscribe"]}
TAIL = {"vi": ["Tin bài liên quan", "Các tin bài khác", "Đọc nhiều", "Tin cùng chuyên mục"],
        "en": ["Related news", "Read more", "Most read", "More news"]}


class Writer:
    """Makes bilingual news text from the word lists with one random.Random."""

    def __init__(self, rng: random.Random):
        self.r = rng

    # names, places, dates, numbers
    def person(self, lang: str) -> tuple[str, str]:
        """(full name, short name) as written in an article of `lang`."""
        r = self.r
        if r.random() < 0.6:
            name = f"{r.choice(VI_SURNAMES)} {r.choice(VI_MIDDLE)} {r.choice(VI_GIVEN)}"
            if lang == "en" and r.random() < 0.7:
                name = fold(name)  # English sites usually drop the diacritics
            return name, name.split()[-1]
        first, last = FOREIGN_NAMES[r.choice(list(FOREIGN_NAMES))]
        name = f"{r.choice(first)} {r.choice(last)}"
        return name, name

    def city(self, lang: str) -> str:
        return self.r.choice(CITIES)[0 if lang == "vi" else 1]

    def country(self, lang: str) -> str:
        return self.r.choice(COUNTRIES)[0 if lang == "vi" else 1]

    def title(self, lang: str, city: str) -> str:
        if lang == "vi":
            return self.r.choice(VI_TITLES)
        return self.r.choice(EN_TITLES).format(city=city)

    def year(self) -> int:
        return self.r.randint(1990, 2025)

    def date(self, lang: str) -> str:
        r = self.r
        d, m, y = r.randint(1, 28), r.randint(1, 12), self.year()
        if lang == "vi":
            return r.choice([f"ngày {d}/{m}/{y}", f"ngày {d}/{m}", f"tháng {m}/{y}", f"từ ngày {d} đến {d + 2}/{m}"])
        month = EN_MONTHS[m - 1]
        return r.choice([f"on {month} {d}, {y}", f"from {month} {d}-{d + 2}", f"in {month} {y}",
                         f"on {d}/{m}/{y}", f"in the first {r.choice(['three', 'six', 'nine'])} months of {y}"])

    def number(self, lang: str) -> str:
        r = self.r
        pct = f"{r.randint(1, 40)}.{r.randint(0, 99):02d}%"
        if lang == "vi":
            pct = pct.replace(".", ",")
            return r.choice([pct, f"{r.randint(2, 900)} dự án", f"{r.randint(1, 99)},{r.randint(1, 9)} triệu lượt khách",
                             f"{r.randint(10, 999)} triệu USD", f"{r.randint(1, 60)}.{r.randint(100, 999)} tỷ đồng",
                             f"{r.randint(2, 60)} năm"])
        return r.choice([pct, f"{r.randint(2, 900)} projects", f"{r.randint(1, 99)}.{r.randint(1, 9)} million visitors",
                         f"US${r.randint(10, 999)} million", f"{r.randint(1, 9)},{r.randint(100, 999)} students",
                         f"the {r.randint(2, 70)}th anniversary", f"nearly {r.choice(['two', 'five', 'nine'])} million"])

    # text
    def vi_phrase(self, n: int) -> str:
        r = self.r
        out = []
        for _ in range(n):
            out.append(r.choice(VI_WORDS2) if r.random() < 0.65 else r.choice(VI_SYLLABLES))
        return " ".join(out)

    def en_phrase(self, n: int) -> str:
        r = self.r
        out = []
        for i in range(n):
            x = r.random()
            out.append(r.choice(EN_ADJ) if x < 0.3 else r.choice(EN_NOUNS) if x < 0.75 else r.choice(EN_FILLER))
        return " ".join(out)

    def sentence(self, lang: str, cast: dict) -> str:
        r = self.r
        (p1, s1), t1, (p2, s2), t2 = cast["p1"], cast["t1"], cast["p2"], cast["t2"]
        city, other = cast["city"], cast["other"]
        kind = r.random()
        if lang == "vi":
            if kind < 0.15:
                return (f"Tại cuộc hội đàm, {t1} {p1} và {t2} {p2} nhất trí {self.vi_phrase(r.randint(3, 6))}; "
                        f"{r.choice(VI_VERBS)} {self.vi_phrase(r.randint(3, 6))}; {r.choice(VI_VERBS)} "
                        f"{self.vi_phrase(r.randint(3, 5))}.")
            if kind < 0.27:
                return (f"Chuyến thăm {city} của {t2} {p2} diễn ra {self.date('vi')}, {r.choice(VI_CONNECT)} "
                        f"{self.vi_phrase(r.randint(4, 8))}.")
            if kind < 0.40:
                return (f"Năm {self.year()}, {r.choice([city, other])} đạt {self.number('vi')}, tăng "
                        f"{self.number('vi')} so với cùng kỳ, {r.choice(VI_CONNECT)} {self.vi_phrase(r.randint(3, 6))}.")
            subject = r.choice([f"{t1} {p1}", f"{t2} {p2}", f"Ông {s1}", f"Bà {s2}", city, f"Phía {other}"])
            extra = r.choice(["", f" tại {city}", f" {self.date('vi')}", f" với {self.number('vi')}"])
            return (f"{subject} {r.choice(VI_VERBS)} {self.vi_phrase(r.randint(3, 8))}{extra}, "
                    f"{r.choice(VI_CONNECT)} {self.vi_phrase(r.randint(2, 6))}.")
        if kind < 0.15:
            return (f"At the talks, {t1} {p1} and {t2} {p2} agreed to {r.choice(EN_INFINITIVES)} "
                    f"{self.en_phrase(r.randint(3, 6))}; {self.en_phrase(r.randint(3, 6))}; and "
                    f"{self.en_phrase(r.randint(3, 5))}.")
        if kind < 0.27:
            return (f"{t2} {p2} is on a visit to {city} {self.date('en')}, to discuss {self.en_phrase(r.randint(4, 8))}.")
        if kind < 0.40:
            return (f"In {self.year()}, {r.choice([city, other])} recorded {self.number('en')}, up "
                    f"{self.number('en')} year-on-year, thanks to {self.en_phrase(r.randint(3, 6))}.")
        subject = r.choice([f"{t1} {p1}", f"{t2} {p2}", s1, s2, city, f"The {other} side"])
        extra = r.choice(["", f" in {city}", f" {self.date('en')}", f" with {self.number('en')}"])
        return (f"{subject} {r.choice(EN_VERBS)} {self.en_phrase(r.randint(3, 8))}{extra}, "
                f"{r.choice(['as', 'while', 'and'])} {self.en_phrase(r.randint(2, 6))}.")

    def paragraph(self, lang: str, cast: dict) -> str:
        text = " ".join(self.sentence(lang, cast) for _ in range(self.r.choice((1, 1, 2, 2, 2, 3))))
        return text[0].upper() + text[1:]

    def headline(self, lang: str, cast: dict) -> str:
        r = self.r
        if lang == "vi":
            return r.choice([f"{cast['city']} - {cast['other']} nhất trí {self.vi_phrase(3)}",
                             f"{cast['city']} {r.choice(VI_VERBS)} {self.vi_phrase(r.randint(2, 4))}",
                             (f"{cast['t1']} {cast['p1']} {r.choice(['tiếp', 'hội đàm với', 'gặp'])} "
                              f"{cast['t2']} {cast['p2']}")])
        return r.choice([f"{cast['city']} pushes for closer ties with {cast['other']}",
                         f"{cast['city']} {r.choice(EN_VERBS)} {self.en_phrase(r.randint(2, 4))}",
                         f"{cast['p1']} {r.choice(['receives', 'holds talks with', 'meets'])} {cast['p2']}"])

    def caption(self, lang: str, cast: dict) -> str:
        if self.r.random() < 0.5:  # a person and the photo credit
            if lang == "vi":
                return f"{cast['t1']} {cast['p1']} phát biểu về {self.vi_phrase(3)}. Ảnh: {cast['publisher']}"
            return f"{cast['t1']} {cast['p1']} speaks on {self.en_phrase(3)}. Photos: {cast['publisher']}"
        return (f"Đại biểu dự {self.vi_phrase(2)} tại {cast['city']}." if lang == "vi"
                else f"Delegates at the {self.en_phrase(2)} in {cast['city']}.")


def write_article(w: Writer, path: Path, n_paragraphs: int) -> int:
    """One article file with n_paragraphs numbered paragraphs (title included). Returns them."""
    r = w.r
    lang = "vi" if r.random() < 0.5 else "en"
    city = w.city(lang)
    other = w.city(lang) if r.random() < 0.6 else w.country(lang)
    publisher = r.choice(PUBLISHERS_VI if lang == "vi" else PUBLISHERS_EN)
    cast = {"p1": w.person(lang), "p2": w.person(lang), "city": city, "other": other, "publisher": publisher}
    cast["t1"], cast["t2"] = w.title(lang, city), w.title(lang, other)
    cast_text = dict(cast, p1=cast["p1"][0], p2=cast["p2"][0])
    title = w.headline(lang, cast_text)
    lines = ["---", f"title: {title}", f"language: {lang}", f"publisher: {publisher}", "---"]
    # chrome before the title
    if r.random() < 0.6:
        lines.append(r.choice(BANNERS_VI if lang == "vi" else BANNERS_EN))
    if r.random() < 0.6:
        lines.append(r.choice(CHROME_LOGIN[lang]))
    lines += [r.choice(SECTIONS_VI if lang == "vi" else SECTIONS_EN), "", title, ""]
    if r.random() < 0.5:
        lines += [f"{r.randint(1, 28):02d}/{r.randint(1, 12):02d}/{w.year()} {r.randint(6, 22)}:{r.randint(0, 59):02d} GMT+7", ""]
    numbered = 1  # the title
    body = 0
    while numbered < n_paragraphs:
        left = n_paragraphs - numbered
        x = r.random()
        if body >= 1 and left >= 2 and x < 0.08:  # photo, caption, then a paragraph
            lines += [f"![](https://img.example.org/{r.randint(10**6, 10**7)}.jpg) |",
                      w.caption(lang, cast_text) + " |", "", w.paragraph(lang, cast), ""]
            numbered += 2
            body += 1
        elif body >= 1 and left >= 2 and x < 0.12:  # a sub-heading, then a paragraph
            heading = (w.vi_phrase(r.randint(2, 4)) if lang == "vi" else w.en_phrase(r.randint(2, 5)))
            if heading.endswith(" trước"):  # the cleaner reads "... trước" as a dateline ("2 giờ trước")
                heading += " " + r.choice(VI_WORDS2)
            lines += [heading[0].upper() + heading[1:], "", w.paragraph(lang, cast), ""]
            numbered += 2
            body += 1
        else:
            lines += [w.paragraph(lang, cast), ""]
            numbered += 1
            body += 1
    # chrome after the article
    if r.random() < 0.3:
        lines.append("Chia sẻ" if lang == "vi" else "Share")
    lines += [r.choice(TAIL[lang]), ""]
    for _ in range(r.randint(3, 6)):
        lines += [w.headline(lang, dict(cast_text, city=w.city(lang), other=w.city(lang))), ""]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return numbered


def _marker(size: int) -> dict:
    return {"paragraphs": size, "seed": SEED, "generator": GENERATOR_VERSION}


def ensure_corpus(size: int, folder: Path, progress=None) -> Path:
    """Write (or reuse) a corpus of `size` paragraphs in `folder`."""
    folder = Path(folder)
    marker = folder / MARKER
    if marker.exists():
        try:
            if json.loads(marker.read_text()) == _marker(size):
                return folder
        except ValueError:
            pass
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob(f"{FILE_PREFIX}*.txt"):  # only files this generator writes
        stale.unlink()
    if marker.exists():
        marker.unlink()
    w = Writer(random.Random(SEED))
    written, n, started = 0, 0, time.perf_counter()
    reported = started
    width = len(str(size // 10 + 1))
    while written < size:
        want = min(w.r.randint(10, 30), size - written)
        written += write_article(w, folder / f"{FILE_PREFIX}{n:0{width}d}.txt", want)
        n += 1
        if progress and time.perf_counter() - reported >= 5:
            reported = time.perf_counter()
            progress(f"  generated {n} articles, {written}/{size} paragraphs ({reported - started:.0f} s)")
    marker.write_text(json.dumps(_marker(size)))
    return folder


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("size", help="paragraphs: 10k, 100k, 1m or a number")
    ap.add_argument("--dir", type=Path, help="output folder (default /tmp/citebot-bench/<size>)")
    args = ap.parse_args(argv)
    folder = args.dir or DEFAULT_ROOT / args.size
    started = time.perf_counter()
    ensure_corpus(parse_size(args.size), folder, progress=lambda m: print(m, file=sys.stderr))
    print(f"{folder} ({time.perf_counter() - started:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
