"""Build the bundled example shipment files (invented data) and check every row's verdict.

    .venv/bin/python scripts/make_example_shipments.py          # write the files
    .venv/bin/python scripts/make_example_shipments.py --check  # fail if they would change

Writes `uflpa/data/examples/shipments.csv` (UTF-8) and `shipments_gbk.csv` (the rows with
Chinese text and a sample of the others, GBK-encoded, as Chinese ERPs export them). The output is
deterministic (a fixed seed, no clock).

Every company below that is not on the UFLPA Entity List is invented, and so is every address,
code, date and shipment; the listed names are the public list's own. Each row carries a
`scenario` column saying what it demonstrates and the verdict it should get; after writing, the
script screens every row with the bundled Screener and fails if a verdict or the rule that
should fire differs, so the example cannot silently drift from what it claims.
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import sys
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

from uflpa.identifiers import uscc_check_char
from uflpa.text.script import has_han

OUT = Path(__file__).resolve().parent.parent / "uflpa" / "data" / "examples"
SEED = 20240621
HEADERS = [
    "id", "manufacturer", "manufacturer_address", "manufacturer_id", "seller", "exporter",
    "supplier", "country_of_origin", "hts", "description", "import_date", "origin_evidence",
    "scenario",
]  # fmt: skip
FIRST_DAY, LAST_DAY = date(2023, 1, 3), date(2026, 10, 30)

Row = dict[str, str]
ORIGIN_ON_FILE = "clear: China, high-priority sector, origin evidence on file"

# --- listed entities (names as the public list gives them, or as trade documents write them) ---
# (name as written, listed from, HTS, description, country of origin)
LISTED_MANUFACTURERS: list[tuple[str, date, str, str]] = [
    ("Xinjiang Daqo New Energy Co., Ltd.", date(2022, 6, 21), "2804.61.0000",
     "Polysilicon, solar grade, 99.9999% Si"),
    ("XINJIANG DAQO NEW ENERGY CO LTD", date(2022, 6, 21), "2804.61.0000",
     "POLYSILICON CHUNKS"),
    ("新疆大全新能源股份有限公司", date(2022, 6, 21), "2804.61.0000", "多晶硅 polysilicon"),
    ("Hoshine Silicon Industry (Shanshan) Co., Ltd.", date(2022, 6, 21), "2804.69.1000",
     "Silicon metal 553 grade"),
    ("合盛硅业（鄯善）有限公司", date(2022, 6, 21), "2804.69.1000", "工业硅 silicon metal"),
    ("Xinjiang East Hope Nonferrous Metals Co., Ltd.", date(2022, 6, 21), "7601.10.6000",
     "Primary aluminium ingots"),
    ("XINJIANG ZHONGTAI CHEMICAL CO LTD", date(2023, 6, 12), "3904.10.0000",
     "PVC resin SG-5, suspension grade"),
    ("新疆中泰化学股份有限公司", date(2023, 6, 12), "3904.10.0000", "聚氯乙烯树脂 PVC resin"),
    ("Aksu Huafu Color Spinning Co., Ltd.", date(2022, 6, 21), "5205.12.1000",
     "Melange cotton yarn Ne 30/1"),
    ("阿克苏华孚色纺有限公司", date(2022, 6, 21), "5205.12.1000", "色纺纱 cotton yarn"),
    ("Hetian Taida Apparel Co., Ltd.", date(2022, 6, 21), "6109.10.0012",
     "Men's cotton knit T-shirts"),
    ("Yili Zhuowan Garment Manufacturing Co., Ltd.", date(2022, 6, 21), "6203.42.4011",
     "Men's cotton trousers"),
    ("Nanjing Synergy Textiles Co., Ltd.", date(2022, 6, 21), "5208.52.3000",
     "Printed cotton poplin"),
    ("Changji Esquel Textile Co., Ltd.", date(2022, 6, 21), "5208.42.3000",
     "Yarn-dyed cotton shirting fabric"),
    ("Camel Group Co., Ltd.", date(2023, 8, 2), "8507.10.0000", "Lead-acid starter batteries"),
    ("Chenguang Biotech Group Co., Ltd.", date(2023, 8, 2), "3203.00.8000",
     "Paprika oleoresin, natural colour"),
    ("Dongguan Oasis Shoes Co., Ltd.", date(2024, 6, 12), "6403.99.6075",
     "Women's leather shoes"),
    ("Xinjiang Habahe Ashele Copper Co., Ltd.", date(2024, 8, 9), "7403.11.0000",
     "Copper cathodes"),
    ("Baowu Group Xinjiang Bayi Iron and Steel Co., Ltd.", date(2024, 10, 3), "7208.51.0060",
     "Hot-rolled steel plate"),
    ("Xinjiang Zhonghe Co., Ltd.", date(2024, 11, 25), "7606.12.3090",
     "Aluminium alloy sheet"),
    ("Hebei Tomato Industry Co., Ltd.", date(2024, 11, 25), "2002.90.8020",
     "Tomato paste 28-30% brix, aseptic drums"),
    ("Hongyuan Green Energy Co., Ltd.", date(2025, 1, 15), "8541.43.0010",
     "Monocrystalline PV modules 550W"),
    ("Donghai JA Solar Technology Co., Ltd.", date(2025, 1, 15), "8541.42.0010",
     "PV cells, not assembled"),
    ("Shuangliang Silicon Materials (Baotou) Co., Ltd.", date(2025, 1, 15), "2804.61.0000",
     "Polysilicon rods"),
    ("Zhuhai Pantum Electronics Co. Ltd.", date(2023, 6, 12), "8443.32.1050",
     "Laser printers"),
    ("珠海奔图电子有限公司", date(2023, 6, 12), "8443.32.1050", "激光打印机 laser printers"),
    ("Ninestar Corporation", date(2023, 6, 12), "8443.99.2550", "Toner cartridges"),
    ("Shandong Meijia Group Co., Ltd.", date(2024, 6, 12), "0304.87.0000",
     "Frozen tuna fillets"),
    ("Rare Earth Magnesium Technology Group Holdings, Ltd.", date(2024, 8, 9), "8104.19.0000",
     "Magnesium alloy ingots"),
]  # fmt: skip

# Names as bills of lading write them: cut at 35 characters, or with the address run in.
TRUNCATED = [
    ("HOSHINE SILICON INDUSTRY (SHANSHAN) CO LTD", date(2022, 6, 21), "2804.69.1000",
     "SILICON METAL"),
    ("BAOWU GROUP XINJIANG BAYI IRON AND STEEL CO LTD", date(2024, 10, 3), "7210.49.0090",
     "GALVANIZED STEEL COILS"),
    ("YILI ZHUOWAN GARMENT MANUFACTURING CO LTD", date(2022, 6, 21), "6204.62.4011",
     "WOMENS COTTON TROUSERS"),
    ("XINJIANG HABAHE ASHELE COPPER CO LTD", date(2024, 8, 9), "7403.11.0000",
     "COPPER CATHODES GRADE A"),
    ("SHUANGLIANG SILICON MATERIALS (BAOTOU) CO LTD", date(2025, 1, 15), "2804.61.0000",
     "POLYSILICON"),
]  # fmt: skip
NAME_WITH_ADDRESS = [
    ("XINJIANG ZHONGTAI CHEMICAL CO LTD NO 78 HEBEI EAST RD URUMQI XINJIANG CHINA",
     date(2023, 6, 12), "3904.10.0000", "PVC RESIN SG5"),
    ("NANJING SYNERGY TEXTILES CO LTD 9 XINGHUO RD NANJING JIANGSU",
     date(2022, 6, 21), "5209.42.0040", "COTTON DENIM FABRIC"),
    ("CAMEL GROUP CO LTD XIANGYANG HUBEI CHINA", date(2023, 8, 2), "8507.10.0000",
     "AUTOMOTIVE BATTERIES"),
]  # fmt: skip

# Listed traders under sections (iv)/(v): they appear as seller or exporter.
LISTED_TRADERS = [
    ("Junan Jinsheng Import & Export Co., Ltd.", date(2024, 11, 25), "1605.21.1030",
     "Frozen cooked shrimp"),
    ("Zhangzhou Hang Fat Import & Export Co., Ltd.", date(2024, 11, 25), "2002.10.0020",
     "Canned whole peeled tomatoes"),
    ("Tianjin Kunyu International Co., Ltd.", date(2024, 11, 25), "2002.90.8020",
     "Tomato paste in drums"),
    ("Gansu Yasheng International Trading Co., Ltd.", date(2024, 11, 25), "2002.90.8020",
     "Tomato paste"),
    ("Hebei Suguo International Trade Co., Ltd.", date(2024, 11, 25), "0813.40.3000",
     "Dried red dates (jujubes)"),
    ("Esquel Group", date(2024, 11, 1), "6205.20.2016", "Men's cotton woven shirts"),
    ("Binzhou Chinatex Yintai Industrial Co., Ltd.", date(2024, 5, 17), "5201.00.1800",
     "Raw cotton, not carded"),
    ("Heze Cotton and Linen Co., Ltd.", date(2024, 5, 17), "5203.00.0500",
     "Cotton, carded"),
    ("Tianjin Dunhe International Trade Co., Ltd.", date(2024, 11, 25), "0813.40.3000",
     "Dried jujubes, grade A"),
    ("Huafu Fashion Co., Ltd.", date(2025, 1, 15), "5206.22.0000", "Cotton blend yarn"),
    ("Dalian Sunspeed Foods Co., Ltd.", date(2024, 11, 25), "2008.99.9090",
     "Prepared fruit mix"),
]  # fmt: skip

# --- invented firms ---------------------------------------------------------------------------
TRADE = ["Hengli", "Jiarun", "Meida", "Tongxin", "Ruifeng", "Baisheng", "Huatai", "Kangda",
         "Yongxing", "Jinhui", "Shengda", "Minghao", "Xinyu", "Lianfa", "Dechang", "Fuhua",
         "Zhongcheng", "Haoyue", "Kaiyuan", "Longsheng", "Qiaofeng", "Runtai", "Sanhe",
         "Tianrui", "Weilong", "Xiangtai", "Zhenghe", "Boyuan", "Changxin"]  # fmt: skip
CHINA_CITIES = [
    ("Foshan", "Guangdong", "528000"), ("Dongguan", "Guangdong", "523000"),
    ("Shaoxing", "Zhejiang", "312000"), ("Ningbo", "Zhejiang", "315000"),
    ("Suzhou", "Jiangsu", "215000"), ("Wuxi", "Jiangsu", "214000"),
    ("Quanzhou", "Fujian", "362000"), ("Xiamen", "Fujian", "361000"),
    ("Qingdao", "Shandong", "266000"), ("Weifang", "Shandong", "261000"),
    ("Tianjin", "Tianjin", "300000"), ("Chengdu", "Sichuan", "610000"),
    ("Hefei", "Anhui", "230000"), ("Zhengzhou", "Henan", "450000"),
]  # fmt: skip
STREETS = ["Industrial Avenue", "Xingye Road", "Chuangye Road", "Gongye East Road",
           "Huanshi North Road", "Binhai Avenue", "Keji Road", "Jinshan Road"]  # fmt: skip
# Goods per sector: (HTS, description)
SECTOR_GOODS = {
    "apparel": [("6109.10.0012", "Men's 100% cotton crew-neck T-shirts"),
                ("6110.20.2079", "Cotton knit pullovers"),
                ("6204.62.4011", "Women's cotton trousers"),
                ("6203.42.4011", "Men's cotton denim jeans")],
    "cotton": [("5208.12.4020", "Unbleached cotton sheeting"),
               ("5209.42.0040", "Cotton denim fabric, indigo"),
               ("6302.31.9020", "Cotton bed sheets"), ("5205.23.0000", "Combed cotton yarn")],
    "solar": [("8541.43.0010", "Monocrystalline PV modules 410W"),
              ("8541.42.0010", "Solar cells, PERC"), ("3818.00.0010", "Silicon wafers")],
    "aluminum": [("7604.29.1000", "Aluminium extrusion profiles"),
                 ("7606.12.3090", "Aluminium coil 3003"), ("8708.70.4530", "Aluminium wheels")],
    "pvc": [("3904.22.0000", "Plasticized PVC compound"), ("3918.10.1000", "PVC floor tiles"),
            ("3917.23.0000", "Rigid PVC pipes")],
    "tomatoes": [("2002.90.8020", "Tomato paste, cold break"),
                 ("2103.20.4000", "Tomato ketchup in sachets")],
    "seafood": [("0304.71.5000", "Frozen cod fillets"), ("1605.21.1030", "Cooked peeled shrimp")],
    "lithium": [("8507.60.0020", "Lithium-ion battery packs"),
                ("2836.91.0000", "Lithium carbonate, battery grade")],
    "steel": [("7318.15.2095", "Steel hex bolts"), ("7210.49.0091", "Galvanized steel coil")],
    "copper": [("7408.11.6000", "Copper wire, refined")],
    "red dates": [("0813.40.3000", "Dried jujubes")],
    "caustic soda": [("2815.11.0000", "Caustic soda flakes 99%")],
}  # fmt: skip
NON_SECTOR_GOODS = [
    ("9403.60.8081", "Wooden dining tables"), ("9503.00.0073", "Plastic building-block toys"),
    ("9405.11.6010", "LED ceiling lamps"), ("8205.59.5510", "Hand tools set"),
    ("8712.00.2500", "Bicycles, 26 inch"), ("6912.00.4810", "Ceramic tableware"),
    ("6601.91.0000", "Folding umbrellas"), ("3924.10.4000", "Plastic kitchenware"),
    ("8516.60.4070", "Electric rice cookers"), ("9506.91.0030", "Fitness equipment"),
    ("4202.92.3131", "Polyester backpacks"), ("8471.30.0100", "Laptop computers"),
]  # fmt: skip
# Goods of the sectors made outside China, by invented firms.
ABROAD = [
    ("Saigon Apparel Manufacturing JSC", "Lot 12, Tan Thuan EPZ, Ho Chi Minh City, Vietnam", "VN",
     "6109.10.0012", "Men's cotton T-shirts"),
    ("Dhaka Knit Composite Ltd.", "Plot 44, Ashulia, Savar, Dhaka, Bangladesh", "BD",
     "6110.20.2079", "Cotton knit sweaters"),
    ("Tiruppur Cotton Mills Pvt Ltd", "SIDCO Industrial Estate, Tiruppur, Tamil Nadu, India",
     "IN", "5205.12.1000", "Cotton yarn 30s"),
    ("Faisalabad Denim Industries", "Sargodha Road, Faisalabad, Pakistan", "PK",
     "5209.42.0040", "Denim fabric"),
    ("Anatolia Tekstil Sanayi A.S.", "Organize Sanayi Bolgesi, Denizli, Turkey", "TR",
     "6302.31.9020", "Cotton towels and sheets"),
    ("Puebla Confecciones SA de CV", "Parque Industrial, Puebla, Mexico", "MX",
     "6203.42.4011", "Denim jeans"),
    ("Penang Solar Sdn Bhd", "Bayan Lepas Free Industrial Zone, Penang, Malaysia", "MY",
     "8541.43.0010", "PV modules"),
    ("Chonburi PVC Compounds Co., Ltd.", "Amata City, Chonburi, Thailand", "TH",
     "3904.22.0000", "PVC compound"),
    ("Bavaria Aluminium Profile GmbH", "Industriestrasse 4, Regensburg, Germany", "DE",
     "7604.29.1000", "Aluminium profiles"),
    ("Ulsan Steel Works Co., Ltd.", "Onsan Industrial Complex, Ulsan, South Korea", "KR",
     "7210.49.0091", "Galvanized steel"),
    ("Campania Pomodoro S.r.l.", "Via Nazionale 120, Nocera Inferiore, Italy", "IT",
     "2002.10.0020", "Peeled tomatoes"),
    ("Ohio Valley Tomato Products LLC", "1200 River Road, Toledo, OH, USA", "US",
     "2103.20.4000", "Tomato ketchup"),
    ("Phnom Penh Garment Co., Ltd.", "Veng Sreng Blvd, Phnom Penh, Cambodia", "KH",
     "6204.62.4011", "Women's trousers"),
    ("Bandung Textile Industri PT", "Jl. Soekarno-Hatta 512, Bandung, Indonesia", "ID",
     "5208.12.4020", "Cotton sheeting"),
    ("Atacama Lithium SpA", "Ruta 23, Antofagasta, Chile", "CL", "2836.91.0000",
     "Lithium carbonate"),
    ("Andhra Seafoods Exports Pvt Ltd", "Bhimavaram, Andhra Pradesh, India", "IN",
     "0306.17.0040", "Frozen shrimp"),
    ("Lima Copper Refinery SAC", "Av. Industrial 800, Callao, Peru", "PE", "7403.11.0000",
     "Copper cathodes"),
]  # fmt: skip
XINJIANG_ADDRESSES = [
    "No. 18 Kashi West Road, Korla, Bayingolin, Xinjiang 841000",
    "Urumqi Economic and Technological Development Zone, Urumqi, Xinjiang, China",
    "新疆昌吉州玛纳斯县工业园区",
    "Textile Industrial City, Aksu, Xinjiang, China",
    "Beijing Road Industrial Park, Hotan, Xinjiang",
    "88 Gaochang Road, Turpan, Xinjiang 838000",
    "Kuytun Industrial Park, Ili, Xinjiang",
    "新疆喀什地区疏附县广州工业城",
    "Alashankou Comprehensive Bonded Zone, Bortala, Xinjiang",
    "Hami Industrial Park, Hami, Xinjiang 839000",
    "新疆乌鲁木齐市米东区化工工业园",
    "Zhundong Economic Development Zone, Changji, Xinjiang",
]
XINJIANG_GOODS = [
    ("5201.00.1800", "Raw cotton"), ("5205.12.1000", "Cotton yarn"),
    ("2002.90.8020", "Tomato paste"), ("0813.40.3000", "Dried red dates"),
    ("2804.69.1000", "Silicon metal"), ("3904.10.0000", "PVC resin"),
    ("7601.10.6000", "Aluminium ingots"), ("2815.11.0000", "Caustic soda flakes"),
    ("6109.10.0012", "Cotton T-shirts"),
]  # fmt: skip
XPCC_ADDRESSES = [
    "第八师一四二团工业园区",
    "XPCC 8th Division, Shihezi, Xinjiang",
    "Regiment 150, 8th Division, Xinjiang Production and Construction Corps",
    "兵团第一师阿拉尔市",
    "第六师五家渠市经济技术开发区",
]
WEAK = [
    # (manufacturer, address, why)
    ("Aksu Trading Co.", "", "bare 'Aksu' could be Kazakhstan or Turkey"),
    ("Xinjiang Tianrun Trading (Shanghai) Co., Ltd.", "Room 1201, 88 Century Avenue, Shanghai",
     "a 'Xinjiang ...' firm with a Shanghai address"),
    ("Tianshan District Trading Co.", "", "'Tianshan' is also a common brand word"),
    ("Altay Industrial Supplies", "Building 3, 831400", "a postal-range number, no China context"),
]  # fmt: skip
FALSE_FRIENDS = [
    ("No. 88 Xinjiang Road, Huangpu District, Shanghai, China", "Xinjiang Road in Shanghai"),
    ("Futian Market, Yiwu, Zhejiang, China", "Yiwu in Zhejiang"),
    ("26 Urumqi Road, Shibei District, Qingdao, Shandong", "Urumqi Road in Qingdao"),
    ("Hotan Road 8, Hexi District, Tianjin", "Hotan Road in Tianjin"),
]
REVIEW_BAND = [
    ("Hoshine Silicon Industry (Luzhou) Co., Ltd.", date(2022, 6, 21),
     "possible-subsidiary-or-sister", "3910.00.0000", "Silicone oil"),
    ("Zhuhai Ninestar Printing Supplies Co.", date(2023, 6, 12),
     "possible-subsidiary-or-sister", "8443.99.2550", "Compatible ink cartridges"),
    ("Ninestar Image Tech Ltd", date(2023, 6, 12), "possible-subsidiary-or-sister",
     "8443.99.2550", "Toner cartridges"),
    ("Daqo New Energy Corp", date(2022, 6, 21), "possible-listed-party", "8541.43.0010",
     "PV modules"),
    ("Camel Power Co Ltd", date(2023, 8, 2), "possible-listed-party", "8507.10.0000",
     "Starter batteries"),
]  # fmt: skip
PARENTS = [
    ("Tianshan Aluminum Group Co., Ltd.", date(2026, 8, 3), date(2026, 10, 30), "7606.12.3090",
     "Battery aluminium foil stock"),
    ("Shandong Gold", date(2026, 8, 3), date(2026, 10, 30), "7108.12.1013", "Gold bars"),
    ("Huafu Fashion Co., Ltd.", date(2023, 1, 3), date(2025, 1, 14), "5206.22.0000",
     "Melange yarn"),
    ("Zijin Mining Group Co., Ltd.", date(2024, 8, 9), date(2025, 1, 14), "2603.00.0010",
     "Copper concentrate"),
]  # fmt: skip
CHINESE_FIRMS = ["佛山市恒利纺织有限公司", "绍兴嘉润印染有限公司", "宁波美达服饰有限公司",
                 "苏州同心光伏科技有限公司", "青岛瑞丰食品有限公司"]  # fmt: skip


class Builder:
    """Rows for each scenario, drawn with one seeded generator so the output never changes."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.used: set[str] = set()

    def day(self, start: date = FIRST_DAY, end: date = LAST_DAY) -> str:
        start = max(start, FIRST_DAY)
        return (start + timedelta(days=self.rng.randint(0, (end - start).days))).isoformat()

    def firm(self, industry: str) -> tuple[str, str]:
        """An invented Chinese firm and its address (never the same name twice)."""
        while True:
            city, province, postcode = self.rng.choice(CHINA_CITIES)
            name = f"{city} {self.rng.choice(TRADE)} {industry} Co., Ltd."
            if name not in self.used:
                self.used.add(name)
                break
        street = f"No. {self.rng.randint(1, 399)} {self.rng.choice(STREETS)}"
        return name, f"{street}, {city}, {province} {postcode}, China"

    def uscc(self, region: str) -> str:
        alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
        body = "91" + region + "".join(self.rng.choice(alphabet) for _ in range(9))
        return body + uscc_check_char(body)


def row(**values: str) -> Row:
    out = dict.fromkeys(HEADERS, "")
    out.update(values)
    return out


def scenarios(b: Builder) -> Iterator[Row]:
    rng = b.rng
    # hits: listed manufacturers, in English, Chinese, truncated and with the address run in
    for name, listed, hts, desc in LISTED_MANUFACTURERS:
        seller = b.firm("Trading")[0] if rng.random() < 0.5 else ""
        yield row(manufacturer=name, seller=seller, country_of_origin="CN", hts=hts,
                  description=desc, import_date=b.day(listed),
                  scenario="hit: listed manufacturer")  # fmt: skip
    for name, listed, hts, desc in TRUNCATED:
        yield row(manufacturer=name[:35], country_of_origin="CN", hts=hts, description=desc,
                  import_date=b.day(listed),
                  scenario="hit: listed manufacturer, name cut at 35 characters")  # fmt: skip
    for name, listed, hts, desc in NAME_WITH_ADDRESS:
        yield row(manufacturer=name, country_of_origin="CN", hts=hts, description=desc,
                  import_date=b.day(listed),
                  scenario="hit: listed manufacturer, address in the name field")  # fmt: skip
    # hits: listed sellers and exporters with an unlisted manufacturer
    for i, (name, listed, hts, desc) in enumerate(LISTED_TRADERS):
        maker, address = b.firm("Food" if hts[:2] in ("02", "08", "16", "20") else "Industry")
        role = "seller" if i % 2 == 0 else "exporter"
        yield row(manufacturer=maker, manufacturer_address=address, **{role: name},
                  country_of_origin="CN", hts=hts, description=desc, import_date=b.day(listed),
                  scenario=f"hit: listed {role}")  # fmt: skip
    # hits: a facility in Xinjiang (unlisted firm)
    for address in XINJIANG_ADDRESSES:
        hts, desc = rng.choice(XINJIANG_GOODS)
        maker = f"{rng.choice(TRADE)} {rng.choice(['Agricultural', 'Industrial', 'Materials'])} " \
                "Co., Ltd."  # fmt: skip
        yield row(manufacturer=maker, manufacturer_address=address, country_of_origin="CN",
                  hts=hts, description=desc, import_date=b.day(),
                  scenario="hit: manufacturer address in Xinjiang")  # fmt: skip
    for prefix in ("Xinjiang", "Kashgar", "Korla"):
        hts, desc = rng.choice(XINJIANG_GOODS)
        yield row(manufacturer=f"{prefix} {rng.choice(TRADE)} Agricultural Products Co., Ltd.",
                  country_of_origin="CN", hts=hts, description=desc, import_date=b.day(),
                  scenario="review: firm named after a Xinjiang place, no address")  # fmt: skip
    for address in XPCC_ADDRESSES:
        hts, desc = rng.choice(XINJIANG_GOODS)
        yield row(manufacturer=f"{rng.choice(TRADE)} Cotton Industry Co., Ltd.",
                  manufacturer_address=address, country_of_origin="CN", hts=hts,
                  description=desc, import_date=b.day(),
                  scenario="hit: XPCC unit")  # fmt: skip
    for region in ("650100", "650104", "652901", "653101", "652801", "659001"):
        hts, desc = rng.choice(XINJIANG_GOODS)
        yield row(manufacturer=f"{rng.choice(TRADE)} New Materials Co., Ltd.",
                  manufacturer_id=b.uscc(region), exporter=b.firm("Import & Export")[0],
                  country_of_origin="CN", hts=hts, description=desc, import_date=b.day(),
                  scenario="hit: manufacturer USCC registered in Xinjiang (region 65)")  # fmt: skip
    # reviews
    for name, listed, rule, hts, desc in REVIEW_BAND:
        yield row(manufacturer=name, country_of_origin="CN", hts=hts, description=desc,
                  import_date=b.day(listed), scenario=f"review: {rule}")  # fmt: skip
    for name, start, end, hts, desc in PARENTS:
        yield row(manufacturer=name, country_of_origin="CN", hts=hts, description=desc,
                  import_date=b.day(start, end),
                  scenario="review: parent-of-listed")  # fmt: skip
    for name, address, _why in WEAK:
        hts, desc = rng.choice(NON_SECTOR_GOODS)
        yield row(manufacturer=name, manufacturer_address=address, hts=hts, description=desc,
                  import_date=b.day(), scenario="review: xinjiang-weak-signal")  # fmt: skip
    for sector, goods in SECTOR_GOODS.items():
        for _ in range(10 if sector in ("apparel", "cotton", "solar") else 5):
            hts, desc = rng.choice(goods)
            maker, address = b.firm(_industry(sector))
            start = date(2025, 1, 1) if sector in _NAMED_2025 else FIRST_DAY
            if sector in _NAMED_2024:
                start = date(2024, 1, 1)
            yield row(manufacturer=maker, manufacturer_address=address,
                      seller=maker if rng.random() < 0.3 else "", country_of_origin="CN",
                      hts=hts, description=desc, import_date=b.day(start),
                      scenario="review: china-high-priority-sector")  # fmt: skip
    for name in CHINESE_FIRMS:
        hts, desc = rng.choice(SECTOR_GOODS["apparel"] + SECTOR_GOODS["cotton"])
        yield row(manufacturer=name, country_of_origin="CN", hts=hts, description=desc,
                  import_date=b.day(), scenario="review: china-high-priority-sector")  # fmt: skip
    for desc in ("Cotton T-shirts, assorted", "Polysilicon chunks", "棉纱 cotton yarn"):
        maker, address = b.firm("Trading")
        yield row(manufacturer=maker, manufacturer_address=address, country_of_origin="CN",
                  description=desc, import_date=b.day(date(2023, 1, 3)),
                  scenario="review: china-sector-description")  # fmt: skip
    yield row(manufacturer=b.firm("Textile")[0], country_of_origin="CN", hts="5208.12.4020",
              description="100% Xinjiang long-staple cotton poplin", import_date=b.day(),
              scenario="review: xinjiang-in-description")  # fmt: skip
    # clears
    for name, address, country, hts, desc in ABROAD:
        for _ in range(5):
            yield row(manufacturer=name, manufacturer_address=address,
                      seller=f"{name.split()[0]} Sourcing Ltd." if rng.random() < 0.3 else "",
                      country_of_origin=country, hts=hts, description=desc,
                      import_date=b.day(), scenario="clear: made outside China")  # fmt: skip
    for _ in range(80):
        hts, desc = rng.choice(NON_SECTOR_GOODS)
        maker, address = b.firm(rng.choice(["Household", "Electronics", "Hardware", "Furniture"]))
        yield row(manufacturer=maker, manufacturer_address=address, country_of_origin="CN",
                  hts=hts, description=desc, import_date=b.day(),
                  scenario="clear: China, goods outside the high-priority sectors")  # fmt: skip
    for i in range(12):
        sector = rng.choice(["apparel", "cotton", "solar", "aluminum"])
        hts, desc = rng.choice(SECTOR_GOODS[sector])
        maker, address = b.firm(_industry(sector))
        yield row(manufacturer=maker, manufacturer_address=address, country_of_origin="CN",
                  hts=hts, description=desc, import_date=b.day(),
                  origin_evidence=f"Tracing file TR-{2300 + i}: bale-to-garment documents",
                  scenario=ORIGIN_ON_FILE)  # fmt: skip
    for address, _why in FALSE_FRIENDS:
        hts, desc = rng.choice(NON_SECTOR_GOODS)
        yield row(manufacturer=f"{rng.choice(TRADE)} Home Products Co., Ltd.",
                  manufacturer_address=address, country_of_origin="CN", hts=hts,
                  description=desc, import_date=b.day(),
                  scenario="clear: a Xinjiang street name elsewhere in China")  # fmt: skip
    yield row(manufacturer="Donghai JA Solar Technology Co., Ltd.", country_of_origin="CN",
              hts="8541.42.0010", description="PV cells", import_date="2024-06-18",
              origin_evidence="Polysilicon traced to a plant in Germany, file TR-2388",
              scenario="clear: listed only after the import date (note)")  # fmt: skip
    # rows that are screened with a remark, or cannot be screened
    yield row(manufacturer=b.firm("Garment")[0], country_of_origin="CN", hts="6109.10.0012",
              description="Cotton T-shirts", import_date="31/04/2024",
              origin_evidence="Tracing file TR-2390",
              scenario="review: import-date-unreadable (no such day)")  # fmt: skip
    yield row(manufacturer=b.firm("Furniture")[0], country_of_origin="CN", hts="9403.60.8081",
              description="Wooden tables", import_date="03/05/2025",
              scenario="review: import-date-unreadable (day and month ambiguous)")  # fmt: skip
    yield row(country_of_origin="CN", hts="9503.00.0073", description="Toys",
              import_date=b.day(), scenario="error: no party at all")  # fmt: skip


def _industry(sector: str) -> str:
    return {
        "apparel": "Garment", "cotton": "Textile", "solar": "Photovoltaic",
        "aluminum": "Aluminium", "pvc": "Plastics", "tomatoes": "Food", "seafood": "Aquatic Food",
        "lithium": "New Energy", "steel": "Metal Products", "copper": "Copper",
        "red dates": "Agricultural", "caustic soda": "Chemical",
    }[sector]  # fmt: skip


_NAMED_2024 = {"aluminum", "pvc", "seafood"}
_NAMED_2025 = {"steel", "copper", "lithium", "red dates", "caustic soda"}


def build(seed: int = SEED) -> list[Row]:
    b = Builder(seed)
    rows = list(scenarios(b))
    b.rng.shuffle(rows)
    for i, r in enumerate(rows, start=1):
        r["id"] = f"SHP-{i:04d}"
    return rows


def to_csv(rows: list[Row], *, broken_row_after: str | None = None) -> str:
    """CSV text; after the row with id `broken_row_after`, one row with an extra field (a stray
    delimiter in an unquoted description, as hand-edited exports have)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(HEADERS)
    for r in rows:
        writer.writerow([r[h] for h in HEADERS])
        if r["id"] == broken_row_after:
            buf.write(
                "SHP-X001,Quanzhou Minghao Shoes Co.,Ltd.,Jinjiang Fujian,,,,,CN,6404.11.2000,"
                "Sports shoes,2025-02-11,,error: wrong column count (a comma in the name)\n"
            )
    return buf.getvalue()


def gbk_rows(rows: list[Row]) -> list[Row]:
    """Rows with Chinese text plus every fifth other row: a smaller file a Chinese ERP would
    export in GBK."""
    return [r for i, r in enumerate(rows) if has_han(" ".join(r.values())) or i % 5 == 0][:90]


def check(path: Path) -> list[str]:
    """Screen the written file; every problem as one line."""
    from uflpa.io import Record, open_table
    from uflpa.io.aliases import SHIPMENT_ALIASES, SHIPMENT_COLUMNS
    from uflpa.lists.bundled import load_bundled
    from uflpa.match import Matcher
    from uflpa.screening import Screener
    from uflpa.screening.shipment import UnscreenableRow, shipment_from_values

    screener = Screener(Matcher([load_bundled()]))
    table = open_table(path, required=[], optional=[*SHIPMENT_COLUMNS, "scenario"],
                       aliases=SHIPMENT_ALIASES)  # fmt: skip
    problems = []
    for entry in table:
        if not isinstance(entry, Record):
            if "wrong column count" not in (entry.raw or ""):
                problems.append(f"row {entry.row}: unexpected issue {entry.reason}")
            continue
        scenario = entry.values["scenario"]
        expected = scenario.split(":")[0]
        item = shipment_from_values(entry.values, entry.row)
        if isinstance(item, UnscreenableRow):
            if expected != "error":
                problems.append(f"row {entry.row}: not screened ({item.reason}); {scenario}")
            continue
        verdict = screener.screen_shipment(item)
        rules = {r.rule for r in verdict.reasons}
        wanted = _rule_of(scenario)
        if verdict.verdict != expected or (wanted and wanted not in rules):
            got = ", ".join(sorted(rules)) or "no rule"
            problems.append(f"row {entry.row} {item.id}: {verdict.verdict} ({got}); {scenario}")
    return problems


def _rule_of(scenario: str) -> str | None:
    """The rule a scenario names ('review: parent-of-listed' -> 'parent-of-listed')."""
    head = scenario.split(":", 1)[1].strip().split(" ")[0]
    return head if "-" in head and head.islower() else _HIT_RULES.get(scenario)


_HIT_RULES = {
    "hit: listed manufacturer": "listed-party",
    "hit: listed seller": "listed-party",
    "hit: listed exporter": "listed-party",
    "hit: manufacturer address in Xinjiang": "xinjiang-location",
    "hit: company name headed by a Xinjiang place": "xinjiang-location",
    "hit: XPCC unit": "xinjiang-xpcc",
    "hit: manufacturer USCC registered in Xinjiang (region 65)": "xinjiang-uscc",
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the files would change")
    args = parser.parse_args(argv)
    rows = build()
    broken_after = rows[len(rows) // 2]["id"]
    text = to_csv(rows, broken_row_after=broken_after)
    gbk_text = to_csv(gbk_rows(rows))
    utf8_path, gbk_path = OUT / "shipments.csv", OUT / "shipments_gbk.csv"
    if args.check:
        same = utf8_path.read_text(
            encoding="utf-8"
        ) == text and gbk_path.read_bytes() == gbk_text.encode("gbk")
        print("example shipments up to date" if same else "example shipments would change")
        return 0 if same else 1
    OUT.mkdir(parents=True, exist_ok=True)
    utf8_path.write_text(text, encoding="utf-8")
    gbk_path.write_bytes(gbk_text.encode("gbk"))
    problems = check(utf8_path)
    for line in problems:
        print(f"MISMATCH {line}", file=sys.stderr)
    print(f"wrote {utf8_path} ({len(rows) + 1} data rows) and {gbk_path}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
