"""Reviewed word lists that address resolution needs besides the places file.

Kept as plain Python data so a reviewer can diff them. Each ambiguity entry says *why* a spelling
cannot stand alone, because that sentence is what an analyst sees in the evidence. Sources: the
`AMBIGUOUS:` notes and the collision list of `uflpa/data/DATA_NOTES.md`, plus common brand and
personal-name collisions met in trade data.
"""

from __future__ import annotations


def _words(text: str) -> list[str]:
    return text.split()


# Ambiguity kinds: what context settles a spelling that also names something outside Xinjiang.
FOREIGN = "foreign"  # collides with a place or name outside China: China context settles it
DOMESTIC = "domestic"  # collides with a place or firm elsewhere in China: needs Xinjiang context
DISTRICT = "district"  # an Urumqi district name that is also a common word: needs Urumqi context
MILITARY = "military"  # generic army wording (1st Division, 第一师): needs XPCC/Xinjiang context

# Latin spellings (compared after folding case, diacritics, spaces, hyphens and apostrophes).
LATIN_AMBIGUOUS: dict[str, tuple[str, str]] = {}
_AKSU = "also a city in Pavlodar Region (Kazakhstan) and a district of Antalya (Turkey)"
_ALTAY = (
    "also the Altai Republic and Altai Krai (Russia), the Altai Mountains and places in Mongolia"
)
_KHORGOS = "also the town and dry port on the Kazakh side of the border"
for _k in ("Aksu", "Aqsu", "Aksu City", "Aqsu City"):
    LATIN_AMBIGUOUS[_k] = (FOREIGN, _AKSU)
for _k in ("Altay", "Altay City"):
    LATIN_AMBIGUOUS[_k] = (FOREIGN, _ALTAY)
for _k in ("Khorgos", "Khorgas", "Horgos", "Korgas", "Qorghas", "Khorgos City", "Horgos City"):
    LATIN_AMBIGUOUS[_k] = (FOREIGN, _KHORGOS)
LATIN_AMBIGUOUS.update(
    {
        "Manas": (
            FOREIGN,
            "also the airport near Bishkek (Kyrgyzstan) and a river in Assam (India)",
        ),
        "Aral": (FOREIGN, "also the Aral Sea and the town of Aral (Kazakhstan)"),
        "Aral City": (FOREIGN, "also the town of Aral (Kazakhstan)"),
        "Kashi": (FOREIGN, "also Kashi (Varanasi, India)"),
        "Bole": (FOREIGN, "also Bole in Addis Ababa (Ethiopia) and an English word"),
        "Urho": (FOREIGN, "also a Finnish given name"),
        "Maytag": (FOREIGN, "also a US appliance brand"),
        "Markit": (FOREIGN, "also a company name (IHS Markit)"),
        "Yuli": (FOREIGN, "also Yuli Township (Hualien, Taiwan) and a given name"),
        "Emin": (FOREIGN, "also a common personal name"),
        "Sanji": (FOREIGN, "also a Japanese word and name"),
        "Tarbagatay": (FOREIGN, "also the Tarbagatai range and district in Kazakhstan"),
        "Jinghe": (DOMESTIC, "pinyin 'Jinghe' is also 泾河 (Jinghe New City, Shaanxi)"),
        "Xinhe County": (DOMESTIC, "pinyin 'Xinhe County' is also 新河县 (Hebei)"),
        "Xinhe Xian": (DOMESTIC, "pinyin 'Xinhe Xian' is also 新河县 (Hebei)"),
        "Qinghe County": (DOMESTIC, "pinyin 'Qinghe County' is also 清河县 (Hebei)"),
        "Qinghe Xian": (DOMESTIC, "pinyin 'Qinghe Xian' is also 清河县 (Hebei)"),
        "Yutian Xian": (DOMESTIC, "pinyin 'Yutian Xian' is also 玉田县 (Hebei)"),
        "Yizhou Qu": (DOMESTIC, "pinyin 'Yizhou Qu' is also 宜州区 (Guangxi)"),
        "Dongshan Qu": (DOMESTIC, "Dongshan District (东山区) has existed elsewhere in China"),
        "Yutian": (DOMESTIC, "pinyin 'Yutian' is also 玉田县 (Yutian County, Hebei)"),
        "Yutian County": (DOMESTIC, "pinyin 'Yutian County' is also 玉田县 (Hebei)"),
        "Shawan": (DOMESTIC, "also Shawan District (Leshan, Sichuan) and a town in Guangzhou"),
        "Beitun": (DOMESTIC, "also Beitun District (北屯區) of Taichung, Taiwan"),
        "Xinxing": (DOMESTIC, "pinyin 'Xinxing' is also 新兴县 (Xinxing County, Guangdong)"),
        "Shuanghe": (DOMESTIC, "双河/Shuanghe names many towns elsewhere in China"),
        "Baiyang": (DOMESTIC, "白杨/Baiyang is a common word and place name"),
        "Caohu": (DOMESTIC, "草湖/Caohu is a common place word"),
        "Fukang": (DOMESTIC, "Fukang also occurs in company names elsewhere in China"),
        "Minfeng": (DOMESTIC, "Minfeng also occurs in company names elsewhere in China"),
        "Hekang": (DOMESTIC, "Hekang also occurs in company names elsewhere in China"),
        "He'an": (DOMESTIC, "He'an is also a common company-name word"),
        "Fuhai": (DOMESTIC, "Fuhai also occurs in company names elsewhere in China"),
        "Yumin": (DOMESTIC, "Yumin also occurs in company and bank names elsewhere in China"),
        "Kunyu": (DOMESTIC, "Kunyu (昆玉) is also a jade trade word"),
        "Cenling": (DOMESTIC, "Cenling is also a common word"),
        "Yanqi": (DOMESTIC, "pinyin 'Yanqi' is also 雁栖 (Yanqi Lake, Beijing)"),
        "Hejing": (DOMESTIC, "Hejing is also a common Chinese given name"),
        "Shaya": (DOMESTIC, "Shaya is also a given name"),
        "Wushi": (DOMESTIC, "pinyin 'Wushi' spells many other Chinese words and places"),
        "Keping": (DOMESTIC, "Keping is also a common Chinese given name"),
        "Jiashi": (DOMESTIC, "pinyin 'Jiashi' is also 嘉实 (company names)"),
        "Shanshan": (DOMESTIC, "pinyin 'Shanshan' is also 杉杉 (Shanshan Group, Ningbo)"),
        "Yizhou": (DOMESTIC, "pinyin 'Yizhou' is also 宜州 (Yizhou District, Guangxi)"),
        "Yizhou District": (DOMESTIC, "pinyin 'Yizhou District' is also 宜州区 (Guangxi)"),
        "Heshuo": (DOMESTIC, "pinyin 'Heshuo' is also 和硕 (Pegatron, Taiwan)"),
        "Yili": (DOMESTIC, "pinyin 'Yili' is also 伊利 (Yili dairy group, Inner Mongolia)"),
        "Dihua": (DOMESTIC, "also Dihua Street (迪化街), Taipei"),
        "Ningyuan": (DOMESTIC, "pinyin 'Ningyuan' is also 宁远县 (Hunan)"),
        "Chenghua": (DOMESTIC, "pinyin 'Chenghua' is also 成华区 (Chengdu)"),
        "Moyu": (DOMESTIC, "Moyu (墨玉) is also a jade trade word"),
        "Dongshan District": (
            DOMESTIC,
            "Dongshan District (东山区) has existed elsewhere in China",
        ),
    }
)

# Simplified Han forms (traditional input is converted with OpenCC t2s before comparison).
HAN_AMBIGUOUS: dict[str, tuple[str, str]] = {
    "和田": (FOREIGN, "和田 is also the Japanese surname Wada"),
    "和硕": (DOMESTIC, "和硕 is also the Chinese name of Pegatron (和硕联合科技, Taiwan)"),
    "沙湾": (DOMESTIC, "沙湾 is also Shawan District of Leshan (Sichuan) and a town in Guangzhou"),
    "北屯": (DOMESTIC, "北屯 is also Beitun District (北屯區) of Taichung, Taiwan"),
    "温泉": (DOMESTIC, "温泉 ('hot spring') names many towns across China"),
    "新和": (DOMESTIC, "新和 is also a common company-name word"),
    "青河": (DOMESTIC, "青河 is also a common place and company word"),
    "双河": (DOMESTIC, "双河 names many towns elsewhere in China"),
    "新星": (DOMESTIC, "新星 ('new star') is a common word"),
    "白杨": (DOMESTIC, "白杨 ('poplar') is a common word and place name"),
    "草湖": (DOMESTIC, "草湖 is a common place word"),
    "新源": (DOMESTIC, "新源 is a common company-name word"),
    "阜康": (DOMESTIC, "阜康 also occurs in company names elsewhere in China"),
    "民丰": (DOMESTIC, "民丰 also occurs in company names elsewhere in China"),
    "和康": (DOMESTIC, "和康 also occurs in company names elsewhere in China"),
    "和安": (DOMESTIC, "和安 is a common company-name word"),
    "福海": (DOMESTIC, "福海 also occurs in company names elsewhere in China"),
    "裕民": (DOMESTIC, "裕民 also occurs in company and bank names elsewhere in China"),
    "迪化": (DOMESTIC, "迪化 is also Dihua Street (迪化街) in Taipei"),
    "宁远": (DOMESTIC, "宁远 is also Ningyuan County (宁远县), Hunan"),
    "墨玉": (DOMESTIC, "墨玉 is also a jade trade word (black jade)"),
    "昆玉": (DOMESTIC, "昆玉 is also a jade trade word (Kunlun jade)"),
    "岑岭": (DOMESTIC, "岑岭 is also a common word"),
    "巴州": (DOMESTIC, "巴州 is also Bazhou District (巴州区) of Bazhong, Sichuan"),
    "克市": (DOMESTIC, "克市 is a very short colloquial form"),
    "东山区": (DOMESTIC, "东山区 has existed elsewhere in China"),
    "东山": (DOMESTIC, "东山 names many places across China"),
    "建设工程师": (DOMESTIC, "建设工程师 also means 'construction engineer'"),
    "洛浦": (DOMESTIC, "洛浦 is also a place name in Luoyang (Henan)"),
    "托里": (DOMESTIC, "托里 also occurs in transliterated foreign names"),
    "高昌": (DOMESTIC, "高昌 is also a historical kingdom and a personal name"),
}

# Every spelling of these places needs Urumqi context (the brief and the places notes).
DISTRICT_CODES: dict[str, str] = {
    "650102": "'Tianshan/天山' (the Tian Shan mountains) is a very common brand and company word",
    "650104": "新市区 is also a district of Tainan (Taiwan) and was one of Baoding (Hebei)",
}
URUMQI_CODE = "650100"

# Division spellings that are unambiguous despite naming a numbered division.
XPCC_QUALIFIERS = ("xpcc", "bingtuan", "agricultural", "construction", "兵团", "农", "新疆", "建工")

# Latin spellings added to every division, `{o}` = 1st, `{w}` = First (English forms).
DIVISION_FORMS_STRONG = (
    "Agricultural {w} Division",
    "{o} Agricultural Division",
    "{w} Agricultural Division",
    "XPCC {w} Division",
    "XPCC Division {n}",
    "Bingtuan {o} Division",
)
DIVISION_FORMS_HAN = ("农{n}师", "兵团{n}师", "兵团第{n}师", "第{n}师")

# Administrative type words appended to a base spelling, per level (Latin, folded later).
LATIN_TYPE_WORDS: dict[str, tuple[str, ...]] = {
    "autonomous_region": ("Autonomous Region", "Region", "Zizhiqu", "Province", "Sheng"),
    "prefecture_level_city": ("Shi", "City", "Municipality"),
    "prefecture": ("Diqu", "Prefecture", "Region"),
    "autonomous_prefecture": ("Zizhizhou", "Autonomous Prefecture", "Prefecture", "Zhou", "Region"),
    "county": ("Xian", "County"),
    "autonomous_county": ("Zizhixian", "Autonomous County", "County", "Xian"),
    "county_level_city": ("Shi", "City"),
    "xpcc_city": ("Shi", "City"),
    "district": ("Qu", "District"),
    "former_county": ("Xian", "County"),
    "former_county_level_city": ("Shi", "City"),
    "former_district": ("Qu", "District"),
    "former_prefecture": ("Diqu", "Prefecture"),
}
HAN_TYPE_SUFFIXES: dict[str, tuple[str, ...]] = {
    "autonomous_region": ("省", "自治区"),
    "prefecture": ("地区",),
    "autonomous_prefecture": ("州", "自治州"),
    "autonomous_county": ("县",),
}
# Words that end a Latin or Han administrative name (used to tell "Aksu District" of Antalya).
LATIN_ADMIN_WORDS = frozenset(
    _words(
        "district county city prefecture region town township village province krai oblast "
        "republic shi xian qu diqu zhen xiang cun sheng zhou il ilce"
    )
)
HAN_ADMIN_CHARS = frozenset("区县市镇乡村州省旗盟")

# Street words: "<place> Road" is a street name, found in Shanghai, Qingdao, Taipei and elsewhere.
LATIN_STREET_WORDS = frozenset(
    _words(
        "road rd street str st avenue ave av lane ln boulevard blvd highway hwy alley way "
        "lu jie dajie dadao hutong nong"
    )
)
LATIN_DIRECTION_WORDS = frozenset(
    _words("north south east west middle mid central n s e w bei nan dong xi zhong 1st 2nd 3rd")
)
HAN_STREET_PATTERN = r"[东南西北中]?[一二三四五六七八九十0-9]{0,3}(?:路|街|大道|大街|巷|弄|胡同)"

# Company words: a place spelled at the head of a firm's name is a weaker signal than an address.
LATIN_COMPANY_WORDS = frozenset(
    _words(
        "co company ltd limited corp corporation inc incorporated llc plc group gmbh ag sa bv srl "
        "pte pty llp factory mill cooperative coop enterprise enterprises trading"
    )
)
LATIN_ADDRESS_WORDS = frozenset(
    _words(
        "road rd street st avenue ave lane no room rm building bldg floor fl unit town township "
        "village province lu jie hao zhen cun"
    )
)
HAN_COMPANY_WORDS = ("公司", "集团", "厂", "合作社", "商行", "企业", "股份", "事务所")
HAN_ADDRESS_CHARS = frozenset("路街号弄巷镇乡村县区省楼室栋幢")

# Places outside Xinjiang: China's provinces, municipalities and big export cities; Hong Kong, Macau
# and Taiwan; and the countries whose place names collide with Xinjiang ones.
# One row each: label | ISO country | spellings (comma-separated; Han in simplified form).
_ELSEWHERE_TABLE = """
Beijing | CN | Beijing, Peking, 北京
Tianjin | CN | Tianjin, Tientsin, 天津
Shanghai | CN | Shanghai, 上海
Chongqing | CN | Chongqing, Chungking, 重庆
Hebei | CN | Hebei, 河北, Shijiazhuang, 石家庄, Baoding, 保定, Xingtai, 邢台, Tangshan, 唐山,
    新河县, 清河县, 玉田县, Gaoyang, 高阳
Shanxi | CN | Shanxi, 山西, Taiyuan, 太原
Inner Mongolia | CN | Inner Mongolia, Nei Mongol, Nei Menggu, 内蒙古, Hohhot, 呼和浩特, Baotou,
    包头, Ordos, 鄂尔多斯
Liaoning | CN | Liaoning, 辽宁, Shenyang, 沈阳, Dalian, 大连
Jilin | CN | Jilin, 吉林, Changchun, 长春, 白城
Heilongjiang | CN | Heilongjiang, 黑龙江, Harbin, 哈尔滨
Jiangsu | CN | Jiangsu, 江苏, Nanjing, 南京, Suzhou, 苏州, Wuxi, 无锡, Changzhou, 常州, Nantong,
    南通, Yangzhou, 扬州, Xuzhou, 徐州, Kunshan, 昆山, Changshu, 常熟, Jiangyin, 江阴,
    Zhangjiagang, 张家港, Wujiang, 吴江
Zhejiang | CN | Zhejiang, 浙江, Hangzhou, 杭州, Ningbo, 宁波, Wenzhou, 温州, 义乌, Shaoxing,
    绍兴, Jiaxing, 嘉兴, Huzhou, 湖州, Jinhua, 金华, Keqiao, 柯桥, Haining, 海宁, Tongxiang,
    桐乡
Anhui | CN | Anhui, 安徽, Hefei, 合肥
Fujian | CN | Fujian, 福建, Xiamen, Amoy, 厦门, Fuzhou, 福州, Quanzhou, 泉州, Jinjiang, 晋江,
    Putian, 莆田, Shishi, 石狮
Jiangxi | CN | Jiangxi, 江西, Nanchang, 南昌
Shandong | CN | Shandong, 山东, Qingdao, Tsingtao, 青岛, Jinan, 济南, Yantai, 烟台, Weihai,
    威海, Weifang, 潍坊, Zibo, 淄博, Binzhou, 滨州, Zouping, 邹平
Henan | CN | Henan, 河南, Zhengzhou, 郑州
Hubei | CN | Hubei, 湖北, Wuhan, 武汉
Hunan | CN | Hunan, 湖南, Changsha, 长沙, 宁远县
Guangdong | CN | Guangdong, 广东, Guangzhou, Canton, 广州, Shenzhen, 深圳, Dongguan, 东莞,
    Foshan, 佛山, Zhongshan, 中山市, Zhuhai, 珠海, Shantou, 汕头, Jiangmen, 江门, 新兴县,
    Shunde, 顺德, Humen, 虎门, Panyu, 番禺
Guangxi | CN | Guangxi, 广西, Nanning, 南宁, 宜州
Hainan | CN | Hainan, 海南, Haikou, 海口
Sichuan | CN | Sichuan, 四川, Chengdu, 成都, Leshan, 乐山, 成华区, 巴中
Guizhou | CN | Guizhou, 贵州, Guiyang, 贵阳
Yunnan | CN | Yunnan, 云南, Kunming, 昆明
Tibet | CN | Tibet, Xizang, 西藏, Lhasa, 拉萨
Shaanxi | CN | Shaanxi, Shensi, 陕西, 西安, Xianyang, 咸阳, 泾河
Gansu | CN | Gansu, 甘肃, Lanzhou, 兰州
Qinghai | CN | Qinghai, 青海, Xining, 西宁
Ningxia | CN | Ningxia, 宁夏, Yinchuan, 银川
Hong Kong | HK | Hong Kong, Hongkong, HKSAR, 香港, Kowloon, 九龙
Macau | MO | Macau, Macao, 澳门
Taiwan | TW | Taiwan, 台湾, Taipei, 台北, Taichung, 台中, Tainan, 台南, Kaohsiung, 高雄,
    New Taipei, 新北, Hsinchu, 新竹, Hualien, 花莲, Pegatron
Kazakhstan | KZ | Kazakhstan, Qazaqstan, Kazakstan, 哈萨克斯坦, Pavlodar, Almaty, Astana,
    Shymkent, Karaganda, Dostyk
Kyrgyzstan | KG | Kyrgyzstan, Kyrgyz Republic, Kirghizia, 吉尔吉斯斯坦, Bishkek
Turkey | TR | Turkey, Türkiye, Turkiye, 土耳其, Antalya, Istanbul, Izmir
Russia | RU | Russia, Russian Federation, 俄罗斯, Altai Krai, Altai Republic, Altay Krai,
    Altay Republic, Gorno-Altaysk, Barnaul, Moscow
Mongolia | MN | Mongolia, 蒙古国, Ulaanbaatar, Ulan Bator
Japan | JP | Japan, 日本, Tokyo, 东京, Osaka, 大阪
India | IN | India, 印度, Jharkhand, Bihar, Ranchi, Patna, Assam, Varanasi
Ethiopia | ET | Ethiopia, Addis Ababa
Finland | FI | Finland
United States | US | USA, U.S.A., United States, United States of America
Vietnam | VN | Vietnam, Viet Nam, 越南
South Korea | KR | South Korea, Republic of Korea, 韩国
Pakistan | PK | Pakistan, 巴基斯坦
Tajikistan | TJ | Tajikistan, 塔吉克斯坦
Uzbekistan | UZ | Uzbekistan, 乌兹别克斯坦
Bangladesh | BD | Bangladesh
Cambodia | KH | Cambodia
Indonesia | ID | Indonesia
Malaysia | MY | Malaysia
Thailand | TH | Thailand
"""


def _parse_elsewhere(table: str) -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    rows = []
    # A line that starts with spaces continues the spellings of the line above.
    for line in table.strip().replace(",\n    ", ", ").splitlines():
        label, country, spellings = (part.strip() for part in line.split("|"))
        rows.append((label, country, tuple(s.strip() for s in spellings.split(","))))
    return tuple(rows)


ELSEWHERE = _parse_elsewhere(_ELSEWHERE_TABLE)

# Spellings of a place elsewhere that are easily mistaken for a Xinjiang place: each also yields a
# `false_friend` signal with this explanation.
ELSEWHERE_CAUTIONS: dict[str, str] = {
    "义乌": "义乌 (Yiwu) is Yiwu City, Zhejiang; only 伊吾县 (Yiwu County) is in Xinjiang",
    "白城": "白城 (Baicheng) is in Jilin; Baicheng County in Xinjiang is 拜城县",
    "新河县": "新河县 (Xinhe County) is in Hebei; Xinhe County in Xinjiang is 新和县",
    "清河县": "清河县 (Qinghe County) is in Hebei; Qinghe County in Xinjiang is 青河县",
    "玉田县": "玉田县 (Yutian County) is in Hebei; Yutian County in Xinjiang is 于田县",
    "新兴县": "新兴县 (Xinxing County) is in Guangdong; Xinxing City in Xinjiang is 新星市",
    "宜州": "宜州 (Yizhou) is in Guangxi; Yizhou District in Xinjiang is 伊州区",
    "宁远县": "宁远县 (Ningyuan County) is in Hunan, not the old name of Yining",
    "成华区": "成华区 (Chenghua District) is in Chengdu, not the old name of Altay",
    "泾河": "泾河 (Jinghe) is in Shaanxi; Jinghe County in Xinjiang is 精河县",
    "Pegatron": "Pegatron (和硕联合科技) is a Taiwanese firm, not Heshuo County",
    "Dostyk": "Dostyk is the Kazakh side of the Alashankou border crossing",
}

# Latin spellings that are never a Xinjiang place on their own: (region label, ISO country, why).
_YIWU = "Yiwu County (伊吾县) is in Xinjiang"
_BAICHENG = "Baicheng County (拜城县) is in Xinjiang"
FALSE_FRIENDS: dict[str, tuple[str, str, str]] = {
    "Yiwu": ("Zhejiang", "CN", f"bare 'Yiwu' is Yiwu City, Zhejiang (义乌); only {_YIWU}"),
    "Yiwu City": ("Zhejiang", "CN", f"'Yiwu City' is 义乌市, Zhejiang; {_YIWU}"),
    "Baicheng": ("Jilin", "CN", f"bare 'Baicheng' is usually 白城, Jilin; {_BAICHENG}"),
    "Baicheng City": ("Jilin", "CN", f"'Baicheng City' is 白城市, Jilin; {_BAICHENG}"),
    "Xinxing County": ("Guangdong", "CN", "'Xinxing County' is 新兴县, Guangdong, not 新星市"),
    "Hami melon": ("", "", "'Hami melon' is a product name, not an address"),
    "哈密瓜": ("", "", "哈密瓜 (Hami melon) is a product name, not an address"),
    "和硕联合": ("Taiwan", "TW", "和硕联合科技 is Pegatron (Taiwan), not Heshuo County"),
    "Tianshan Mountains": ("", "", "the Tian Shan mountains span several countries"),
    "天山山脉": ("", "", "the Tian Shan mountains span several countries"),
    "乌苏里": ("Heilongjiang", "CN", "乌苏里 (Ussuri) is a river and region on the Russian border"),
}

# Words that say "this address is in China" (for postal codes and foreign-collision spellings).
CHINA_WORDS = ("China", "PRC", "P.R.C.", "P.R. China", "PR China", "中国", "中华人民共和国")
JAPAN_WORDS = ("株式会社", "Kabushiki Kaisha")
