"""Realistic, invented Chinese company names in Han, pinyin and English, for scale and speed runs.

A name is place + trade name + industry + legal form, the way PRC company names are registered
(新疆 + 华泰 + 硅业 + 有限公司), sometimes with the place in parentheses after the industry
(华泰硅业（鄯善）有限公司). Each company comes in three forms that share one id:

* `han`: 新疆华泰硅业有限公司
* `pinyin`: pypinyin of the Han name, one of three renderings seen in trade data: spaced by word
  (`Xinjiang Huatai Guiye Youxian Gongsi`), joined (`Xinjianghuataiguiyeyouxiangongsi`) or upper
  case (`XINJIANG HUATAI GUIYE YOUXIAN GONGSI`)
* `english`: conventional English place + pinyin trade name + translated industry + legal form
  (`Xinjiang Huatai Silicon Industry Co., Ltd.`; `Kashgar`, not `Kashi`)

Company `i` of a seed is always the same company whatever `n` is (a generated list is a prefix of
any longer one), and no two companies of one seed share a Han name: index `i` is sent through a
bijection of the whole combination space (an affine map modulo its size). English and pinyin forms
can coincide (homophone trade names; 有限公司 and 股份有限公司 both read "Co., Ltd."). The pieces
are romanised once, up front, so a million companies take seconds.

    .venv/bin/python -m benchmarks.synthetic_names --n 10 --seed 1
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from functools import cache

from pypinyin import lazy_pinyin

FORMS = ("han", "pinyin", "english")

# Places: Han words (pinyin is spaced between them) and the conventional English form.
PLACES: tuple[tuple[tuple[str, ...], str], ...] = (
    (("新疆",), "Xinjiang"),
    (("乌鲁木齐",), "Urumqi"),
    (("喀什",), "Kashgar"),
    (("阿克苏",), "Aksu"),
    (("昌吉",), "Changji"),
    (("和田",), "Hotan"),
    (("石河子",), "Shihezi"),
    (("哈密",), "Hami"),
    (("吐鲁番",), "Turpan"),
    (("库尔勒",), "Korla"),
    (("伊犁",), "Ili"),
    (("奎屯",), "Kuytun"),
    (("阿勒泰",), "Altay"),
    (("塔城",), "Tacheng"),
    (("五家渠",), "Wujiaqu"),
    (("鄯善",), "Shanshan"),
    (("江苏",), "Jiangsu"),
    (("浙江", "省"), "Zhejiang"),
    (("广东",), "Guangdong"),
    (("山东",), "Shandong"),
    (("福建",), "Fujian"),
    (("河北",), "Hebei"),
    (("安徽",), "Anhui"),
    (("四川",), "Sichuan"),
    (("湖南",), "Hunan"),
    (("内蒙古",), "Inner Mongolia"),
    (("宁夏",), "Ningxia"),
    (("青海",), "Qinghai"),
    (("宁波",), "Ningbo"),
    (("苏州",), "Suzhou"),
    (("无锡",), "Wuxi"),
    (("常州",), "Changzhou"),
    (("青岛",), "Qingdao"),
    (("深圳",), "Shenzhen"),
    (("东莞", "市"), "Dongguan"),
    (("佛山",), "Foshan"),
    (("义乌",), "Yiwu"),
    (("绍兴",), "Shaoxing"),
    (("温州",), "Wenzhou"),
    (("泉州",), "Quanzhou"),
    (("厦门",), "Xiamen"),
    (("合肥",), "Hefei"),
    (("包头",), "Baotou"),
    (("保定", "市"), "Baoding"),
    (("上海",), "Shanghai"),
    (("天津",), "Tianjin"),
    (("广州",), "Guangzhou"),
)

# Industries: Han words and the English an exporter would write.
INDUSTRIES: tuple[tuple[tuple[str, ...], str], ...] = (
    (("硅业",), "Silicon Industry"),
    (("新能源",), "New Energy"),
    (("纺织",), "Textile"),
    (("棉业",), "Cotton"),
    (("棉纺",), "Cotton Spinning"),
    (("化工",), "Chemical"),
    (("有色", "金属"), "Nonferrous Metals"),
    (("服饰",), "Apparel"),
    (("制衣",), "Garment"),
    (("针织",), "Knitting"),
    (("家纺",), "Home Textiles"),
    (("食品",), "Food"),
    (("番茄", "制品"), "Tomato Products"),
    (("农业", "科技"), "Agricultural Technology"),
    (("农产品",), "Agricultural Products"),
    (("科技",), "Technology"),
    (("生物", "科技"), "Biotechnology"),
    (("矿业",), "Mining"),
    (("铝业",), "Aluminum"),
    (("铜业",), "Copper"),
    (("能源",), "Energy"),
    (("光伏",), "Photovoltaic"),
    (("电子",), "Electronics"),
    (("电力",), "Electric Power"),
    (("新材料",), "New Materials"),
    (("机械",), "Machinery"),
    (("塑料",), "Plastics"),
    (("皮革",), "Leather"),
    (("鞋业",), "Shoes"),
    (("发制品",), "Hair Products"),
    (("实业",), "Industrial"),
    (("贸易",), "Trading"),
    (("进出口",), "Import and Export"),
    (("物流",), "Logistics"),
    (("建材",), "Building Materials"),
    (("水泥",), "Cement"),
)

# Legal forms: Han words and the English form; 有限公司 and 股份有限公司 both read "Co., Ltd.".
# No table may repeat a row: the Han names of one seed are unique because every combination is.
LEGAL_FORMS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("有限", "公司"), "Co., Ltd."),
    (("股份", "有限", "公司"), "Co., Ltd."),
    (("集团", "有限", "公司"), "Group Co., Ltd."),
    (("有限责任", "公司"), "Co., Ltd."),
)

# Characters common in trade names, without heteronyms whose default reading is wrong (长, 重).
TRADE_CHARS = (
    "华泰兴盛鑫恒达远宏源丰鼎金瑞祥和安天海东中昌荣隆正信德富佳联通汇利博创锦晨晟辉阳光明美嘉宇"
    "力诚益众康永顺旺腾飞龙凯银星百万润泽亿峰聚优睿智宝豪旭弘奥世蓝元新立启航景"
)


@dataclass(frozen=True, slots=True)
class SyntheticCompany:
    """One invented company in its three written forms."""

    id: str
    han: str
    pinyin: str
    english: str

    def form(self, name: str) -> str:
        if name == "han":
            return self.han
        if name == "pinyin":
            return self.pinyin
        if name == "english":
            return self.english
        raise ValueError(f"unknown form {name!r}; choose from {', '.join(FORMS)}")


@dataclass(frozen=True, slots=True)
class _Piece:
    """A name component, romanised once: Han, pinyin words (capitalised) and English."""

    han: str
    words: tuple[str, ...]
    english: str

    @property
    def spaced(self) -> str:
        return " ".join(self.words)

    @property
    def joined(self) -> str:
        return "".join(self.words).lower()


def _syllables(text: str) -> str:
    return "".join(lazy_pinyin(text)).capitalize()


def _piece(words: tuple[str, ...], english: str) -> _Piece:
    return _Piece("".join(words), tuple(_syllables(w) for w in words), english)


@cache
def _tables() -> tuple[tuple[_Piece, ...], tuple[_Piece, ...], tuple[_Piece, ...]]:
    places = tuple(_piece(w, e) for w, e in PLACES)
    industries = tuple(_piece(w, e) for w, e in INDUSTRIES)
    legal = tuple(_piece(w, e) for w, e in LEGAL_FORMS)
    return places, industries, legal


@cache
def _trade_names(excluded: frozenset[str]) -> tuple[_Piece, ...]:
    chars = list(dict.fromkeys(TRADE_CHARS))
    out = []
    for a in chars:
        for b in chars:
            if a == b:
                continue
            han = a + b
            py = _syllables(han)
            if han in excluded or py.lower() in excluded:
                continue
            out.append(_Piece(han, (py,), py))
    return tuple(out)


def _mix(k: int) -> int:
    # A cheap integer hash (Knuth's multiplicative constant) so that style choices do not follow
    # the mixed-radix digits of k.
    return (k * 2654435761) & 0xFFFFFFFF


class CompanyNames:
    """The generator: `companies(n)` and `names(n, form)` for one seed and one exclusion set."""

    def __init__(self, seed: int = 0, exclude_trade_names: Collection[str] = ()) -> None:
        self.seed = seed
        self.places, self.industries, self.legal = _tables()
        self.trades = _trade_names(frozenset(x.lower() for x in exclude_trade_names))
        self.size = len(self.places) * len(self.trades) * len(self.industries) * len(self.legal)
        self._a = self._coprime(1_000_003 + 7_919 * seed)
        self._b = (104_729 * seed) % self.size

    def _coprime(self, start: int) -> int:
        a = start % self.size or 1
        while math.gcd(a, self.size) != 1:
            a += 1
        return a

    def company(self, i: int) -> SyntheticCompany:
        """Company `i` (0-based) of this seed."""
        k = (self._a * i + self._b) % self.size
        k, p = divmod(k, len(self.places))
        k, t = divmod(k, len(self.trades))
        g, ind = divmod(k, len(self.industries))
        place, trade, industry = self.places[p], self.trades[t], self.industries[ind]
        legal = self.legal[g % len(self.legal)]
        h = _mix(i + self.seed)
        bracketed = h % 10 == 0  # one name in ten: 华泰硅业（鄯善）有限公司
        if bracketed:
            han = f"{trade.han}{industry.han}（{place.han}）{legal.han}"
            words = (*trade.words, *industry.words, f"({place.spaced})", *legal.words)
            english = f"{trade.english} {industry.english} ({place.english}) {legal.english}"
        else:
            han = f"{place.han}{trade.han}{industry.han}{legal.han}"
            words = (*place.words, *trade.words, *industry.words, *legal.words)
            english = f"{place.english} {trade.english} {industry.english} {legal.english}"
        # Renderings as often as they show up in trade data: spaced 50 %, upper case 35 %,
        # joined 15 %.
        style = (h >> 8) % 20
        if style < 10:
            pinyin = " ".join(words)
        elif style < 17:
            pinyin = " ".join(words).upper()
        else:
            pinyin = "".join(words).replace("(", "").replace(")", "").lower().capitalize()
        return SyntheticCompany(f"SYN-{self.seed}-{i:07d}", han, pinyin, english)

    def companies(self, n: int, start: int = 0) -> Iterator[SyntheticCompany]:
        if start + n > self.size:
            raise ValueError(f"only {self.size} distinct companies for this seed and exclusion")
        for i in range(start, start + n):
            yield self.company(i)

    def name(self, i: int, form: str = "mixed") -> str:
        """The name of company `i` in one form, or `mixed`: the form is drawn from the index
        (about a third each), as names arrive in a real supplier file."""
        company = self.company(i)
        if form == "mixed":
            form = FORMS[(_mix(i) >> 12) % 3]
        return company.form(form)

    def names(self, n: int, form: str = "mixed") -> list[tuple[str, str]]:
        """(id, name) pairs of the first `n` companies in one form (see `name`)."""
        if n > self.size:
            raise ValueError(f"only {self.size} distinct companies for this seed and exclusion")
        if form == "mixed":
            return [(c.id, c.form(FORMS[(_mix(i) >> 12) % 3])) for i, c in self._indexed(n)]
        return [(c.id, c.form(form)) for c in self.companies(n)]

    def _indexed(self, n: int) -> Iterator[tuple[int, SyntheticCompany]]:
        for i in range(n):
            yield i, self.company(i)


def synthetic_names(
    n: int, seed: int = 0, form: str = "mixed", exclude_trade_names: Collection[str] = ()
) -> list[tuple[str, str]]:
    """`n` (id, name) pairs; `form` is han, pinyin, english or mixed."""
    return CompanyNames(seed, exclude_trade_names).names(n, form)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Print invented Chinese company names.")
    parser.add_argument("--n", type=int, default=10)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    for c in CompanyNames(args.seed).companies(args.n):
        print(f"{c.id}\t{c.han}\t{c.pinyin}\t{c.english}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
