"""A large, realistic shipment file for the bulk screening benchmark; deterministic for a seed.

    .venv/bin/python -m benchmarks.bulk_data OUT.csv [--rows 1000000] [--suppliers 50000]
        [--seed 0] [--parquet]

What a row looks like (the columns of `uflpa/data/examples/shipments.csv`, without `scenario`):
`id, manufacturer, manufacturer_address, manufacturer_id, manufacturer_country, seller,
seller_address, exporter, exporter_address, supplier, country_of_origin, hts, description,
import_date, origin_evidence`.

* **Parties.** A pool of about `suppliers` party spellings (name, address, country, identifier),
  built once: invented Chinese firms from `benchmarks.synthetic_names.CompanyNames` (a company
  written in English, pinyin or Han characters, some also as a bill-of-lading truncation:
  punctuation dropped, upper case, cut at 35 characters, or in a second script), invented trading
  companies (PRC and Hong Kong), invented plants in Vietnam, Bangladesh, Malaysia and the US,
  invented firms in Xinjiang (3 % of the pool) and the listed entities' own names. Each row draws
  its parties from the pool with a Zipf-like weight (1 / (rank + 2)): a few suppliers fill many
  rows, the long tail is seen once or twice. Every row has a manufacturer (most with an address,
  some with a USCC or a country); about a third also a seller, a quarter an exporter (trading
  companies), a third a supplier.
* **Listed parties, about 2 % of rows.** The manufacturer, seller or exporter is a listed entity of
  the bundled UFLPA list (`uflpa.lists.bundled.load_bundled`), under its name, an alias, a former
  name or a Chinese name from `uflpa/data/uflpa_names_zh.csv`, as written, in capitals without
  punctuation, or cut at 35 characters.
* **Xinjiang, about 3 % of rows.** The manufacturer is an invented firm whose address names a
  county or city of `uflpa/data/xinjiang_places.csv` (in English or Chinese), or gives only an
  83xxxx/84xxxx postcode, or whose name starts with a Xinjiang place (Aksu, Hotan, 喀什 ...).
* **Goods.** 10-digit US HTS codes chosen by the manufacturer's industry (a cotton mill ships
  fabric, a solar firm modules): a good part in the UFLPA high-priority sectors of
  `uflpa/data/uflpa_sectors.csv` (cotton, apparel, polysilicon and solar, tomatoes, aluminium,
  PVC, seafood, steel, copper, lithium, caustic soda, red dates), the rest general merchandise;
  short descriptions (upper case on bill-of-lading rows); import dates uniform over 2022-07-01 to
  2026-06-30 (ISO); origin mostly CN, some VN, BD, MY, US (the manufacturer's country).
* **Bad rows, planted at a known rate** (one of each kind in every `bad_every` = 50,000 rows, at
  fixed offsets): a row with an unquoted comma in the manufacturer (`Co.,Ltd.`, one field too
  many: cannot be screened), a row with no party at all (cannot be screened) and a row with an
  unreadable import date (`31/04/2024`: screened, with a remark). So a screening must give
  `rows - expected_error_rows` verdicts and report `expected_error_rows` rows; the returned counts
  say where they are. (In Parquet the comma row is an ordinary row: a cell holds any text.)

**All party names, addresses and identifiers are invented, except the listed entities' own names
and locations** (as the bundled list and its Chinese-name table give them) and real place names
(Chinese cities, Xinjiang counties). Invented names are combinations of common words; any likeness
to a real firm is chance.

Rows are streamed with the csv module (or written in batches with pyarrow for `--parquet`); the
pool is built once, and draws are batched, so a million rows take seconds. The output is the same
for the same arguments on any machine (seeded `random.Random`s, no set iteration, no clock).
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
import sys
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import accumulate
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a file: make `benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.synthetic_names import INDUSTRIES, PLACES, CompanyNames, SyntheticCompany

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA = REPO_ROOT / "uflpa" / "data"
NAMES_ZH_CSV = DATA / "uflpa_names_zh.csv"
XINJIANG_CSV = DATA / "xinjiang_places.csv"
SECTORS_CSV = DATA / "uflpa_sectors.csv"

HEADERS = (
    "id", "manufacturer", "manufacturer_address", "manufacturer_id", "manufacturer_country",
    "seller", "seller_address", "exporter", "exporter_address", "supplier", "country_of_origin",
    "hts", "description", "import_date", "origin_evidence",
)  # fmt: skip
ROLE_COLUMNS: dict[str, tuple[str, str, str, str]] = {
    # role: (name, address, country, identifier) columns; absent ones read as empty
    "manufacturer": (
        "manufacturer",
        "manufacturer_address",
        "manufacturer_country",
        "manufacturer_id",
    ),
    "seller": ("seller", "seller_address", "seller_country", "seller_id"),
    "exporter": ("exporter", "exporter_address", "exporter_country", "exporter_id"),
    "supplier": ("supplier", "supplier_address", "supplier_country", "supplier_id"),
}
FIRST_DAY, LAST_DAY = date(2022, 7, 1), date(2026, 6, 30)
LISTED_SHARE = 0.02
XINJIANG_SHARE = 0.03
BAD_EVERY = 50_000
BL_WIDTH = 35
ZIPF_S = 1.0
ZIPF_Q = 2.0
CHUNK = 20_000

# --------------------------------------------------------------------------- goods

# group: (10-digit US HTS, description, Chinese description or "")
GOODS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "cotton": (
        ("5201.00.1800", "Raw cotton, not carded or combed", "皮棉"),
        ("5205.12.1000", "Single cotton yarn, uncombed, Ne 30/1", "棉纱"),
        ("5205.23.0000", "Combed cotton yarn", "精梳棉纱"),
        ("5206.22.0000", "Cotton blend yarn", "混纺纱"),
        ("5208.12.4020", "Unbleached cotton sheeting", "坯布"),
        ("5208.52.4055", "Printed cotton poplin", "印花府绸"),
        ("5208.42.3000", "Yarn-dyed cotton shirting fabric", "色织布"),
        ("5209.42.0040", "Cotton denim fabric, indigo", "牛仔布"),
        ("6302.31.9020", "Cotton bed sheets", "纯棉床单"),
        ("6302.60.0020", "Cotton terry towels", "毛巾"),
    ),
    "apparel": (
        ("6109.10.0012", "Men's cotton knit T-shirts", "男式棉针织T恤"),
        ("6110.20.2079", "Cotton knit pullovers", "棉针织套头衫"),
        ("6204.62.4011", "Women's cotton trousers", "女式棉长裤"),
        ("6203.42.4011", "Men's cotton denim jeans", "男式牛仔裤"),
        ("6205.20.2016", "Men's cotton woven shirts", "男式棉衬衫"),
        ("6104.62.2011", "Women's cotton knit trousers", ""),
        ("6111.20.6010", "Babies' cotton garments", ""),
    ),
    "solar": (
        ("2804.61.0000", "Polysilicon, solar grade", "多晶硅"),
        ("2804.69.1000", "Silicon metal 553", "工业硅"),
        ("3818.00.0010", "Monocrystalline silicon wafers", "单晶硅片"),
        ("8541.42.0010", "Solar cells, PERC, not assembled", "太阳能电池片"),
        ("8541.43.0010", "Monocrystalline PV modules 550W", "光伏组件"),
        ("3910.00.0000", "Silicone oil", "硅油"),
    ),
    "tomatoes": (
        ("2002.90.8020", "Tomato paste 28-30% brix, aseptic drums", "番茄酱"),
        ("2002.10.0000", "Whole peeled tomatoes, canned", "去皮番茄罐头"),
        ("2103.20.4000", "Tomato ketchup in sachets", "番茄沙司"),
        ("2009.50.0010", "Tomato juice", ""),
    ),
    "red dates": (
        ("0813.40.3000", "Dried jujubes (red dates)", "红枣"),
        ("2008.99.9090", "Prepared fruit mix", ""),
        ("0811.90.8090", "Frozen fruit, other", ""),
    ),
    "aluminum": (
        ("7601.10.3000", "Unwrought aluminium ingots", "铝锭"),
        ("7604.29.1000", "Aluminium extrusion profiles", "铝型材"),
        ("7606.12.3090", "Aluminium alloy coil 3003", "铝卷"),
        ("7607.11.3000", "Aluminium foil", "铝箔"),
        ("8708.70.4530", "Aluminium road wheels", ""),
    ),
    "pvc": (
        ("3904.10.0000", "PVC resin SG-5, suspension grade", "聚氯乙烯树脂"),
        ("3904.22.0000", "Plasticized PVC compound", ""),
        ("3918.10.1000", "Vinyl floor tiles (SPC)", "PVC地板"),
        ("3917.23.0000", "Rigid PVC pipes", "PVC管"),
        ("3920.43.5000", "Flexible PVC film", ""),
    ),
    "caustic soda": (
        ("2815.11.0000", "Caustic soda flakes 99%", "片碱"),
        ("2815.12.0000", "Caustic soda, liquid 32%", ""),
    ),
    "seafood": (
        ("0304.71.5000", "Frozen cod fillets", "冻鳕鱼片"),
        ("0304.87.0000", "Frozen tuna fillets", ""),
        ("1605.21.1030", "Cooked peeled shrimp, frozen", "熟虾仁"),
    ),
    "steel": (
        ("7208.51.0060", "Hot-rolled steel plate", "热轧钢板"),
        ("7210.49.0091", "Galvanized steel coil", "镀锌钢卷"),
        ("7318.15.2095", "Steel hex bolts", ""),
        ("7306.30.5032", "Welded steel pipe", ""),
    ),
    "copper": (
        ("7403.11.0000", "Copper cathodes, grade A", "电解铜"),
        ("7408.11.6000", "Refined copper wire", "铜线"),
        ("7411.10.1030", "Seamless copper tubes", ""),
    ),
    "lithium": (
        ("2836.91.0000", "Lithium carbonate, battery grade", "碳酸锂"),
        ("2825.20.0000", "Lithium hydroxide monohydrate", ""),
        ("8507.60.0020", "Lithium-ion battery packs", "锂电池组"),
    ),
    "electronics": (
        ("8517.13.0000", "Smartphones", "手机"),
        ("8471.30.0100", "Laptop computers", ""),
        ("8504.40.9580", "Power adapters", ""),
        ("8528.72.6400", "LCD televisions", ""),
        ("8443.32.1050", "Laser printers", ""),
        ("8542.31.0001", "Integrated circuits, processors", ""),
        ("8544.42.9090", "Insulated electric cables with connectors", ""),
    ),
    "household": (
        ("8516.60.4070", "Electric rice cookers", "电饭煲"),
        ("3924.10.4000", "Plastic kitchenware", ""),
        ("6912.00.4810", "Ceramic tableware", "陶瓷餐具"),
        ("9405.11.6010", "LED ceiling lamps", ""),
        ("8414.51.3000", "Electric table fans", ""),
        ("6601.91.0000", "Folding umbrellas", ""),
    ),
    "furniture": (
        ("9403.60.8081", "Wooden dining tables", "实木餐桌"),
        ("9401.61.6011", "Upholstered wooden chairs", ""),
        ("9403.20.0050", "Metal office furniture", ""),
    ),
    "toys": (
        ("9503.00.0073", "Plastic building-block toys", "积木玩具"),
        ("9506.91.0030", "Fitness equipment", ""),
        ("8712.00.2500", "Bicycles, 26 inch", ""),
    ),
    "footwear": (
        ("6404.11.2000", "Sports shoes, textile uppers", "运动鞋"),
        ("6403.99.6075", "Women's leather shoes", ""),
        ("4202.92.3131", "Polyester backpacks", ""),
        ("4202.21.9000", "Leather handbags", ""),
    ),
    "hair": (
        ("6704.20.0000", "Wigs of human hair", "真发假发"),
        ("6704.11.0000", "Synthetic wigs", ""),
    ),
    "machinery": (
        ("8481.80.5090", "Brass ball valves", ""),
        ("8413.70.2004", "Centrifugal water pumps", ""),
        ("8467.21.0010", "Cordless drills", ""),
        ("8205.59.5510", "Hand tool sets", ""),
        ("8708.99.8180", "Motor vehicle parts, other", ""),
    ),
    "plastics": (
        ("3923.21.0095", "Polyethylene shopping bags", "塑料袋"),
        ("3920.10.0000", "Polyethylene film", ""),
        ("3926.90.9985", "Articles of plastics, other", ""),
    ),
    "chemicals": (
        ("2905.11.2000", "Methanol", ""),
        ("2917.36.0000", "Purified terephthalic acid", ""),
        ("3208.90.0000", "Solvent-based paints", ""),
        ("3402.90.5030", "Detergent preparations", ""),
    ),
    "food": (
        ("1905.90.1090", "Biscuits and cookies", ""),
        ("2005.99.9700", "Prepared vegetables in brine", ""),
        ("2106.90.9998", "Food preparations, other", ""),
        ("0802.32.0000", "Shelled walnuts", "核桃仁"),
    ),
    "building": (
        ("6907.21.1005", "Ceramic floor tiles", "瓷砖"),
        ("2523.29.0000", "Portland cement", ""),
        ("6810.19.1400", "Concrete paving tiles", ""),
    ),
    "mining": (
        ("2603.00.0010", "Copper ores and concentrates", ""),
        ("2606.00.0090", "Bauxite", ""),
        ("2530.90.8050", "Spodumene concentrate", ""),
        ("2601.11.0030", "Iron ore fines", ""),
    ),
}
ALL_GROUPS = tuple(GOODS)
GENERAL_GROUPS = (
    "electronics", "household", "furniture", "toys", "hair", "machinery", "plastics",
    "chemicals", "food", "building",
)  # fmt: skip
# Traders ship anything, general merchandise twice as often as any one sector.
TRADER_GOODS = ALL_GROUPS + GENERAL_GROUPS
# Invented PRC manufacturers of an industry that ships mostly sector goods are kept with this
# chance (the others always), so that about half the rows are sector goods, not three quarters.
SECTOR_KEEP = 0.15

# The industries of `synthetic_names` (and of the invented foreign firms): what they ship.
INDUSTRY_GOODS: dict[str, tuple[str, ...]] = {
    "Silicon Industry": ("solar",),
    "New Energy": ("solar", "lithium"),
    "Textile": ("cotton",),
    "Cotton": ("cotton",),
    "Cotton Spinning": ("cotton",),
    "Chemical": ("pvc", "caustic soda", "chemicals"),
    "Nonferrous Metals": ("aluminum", "copper"),
    "Apparel": ("apparel",),
    "Garment": ("apparel",),
    "Knitting": ("apparel", "cotton"),
    "Home Textiles": ("cotton",),
    "Food": ("food", "tomatoes", "seafood"),
    "Tomato Products": ("tomatoes",),
    "Agricultural Technology": ("food", "red dates"),
    "Agricultural Products": ("red dates", "food", "tomatoes"),
    "Technology": ("electronics",),
    "Biotechnology": ("chemicals", "food"),
    "Mining": ("mining",),
    "Aluminum": ("aluminum",),
    "Copper": ("copper",),
    "Energy": ("lithium", "solar"),
    "Photovoltaic": ("solar",),
    "Electronics": ("electronics",),
    "Electric Power": ("electronics", "solar"),
    "New Materials": ("plastics", "chemicals"),
    "Machinery": ("machinery",),
    "Plastics": ("plastics", "pvc"),
    "Leather": ("footwear",),
    "Shoes": ("footwear",),
    "Hair Products": ("hair",),
    "Industrial": ("machinery", "household", "steel"),
    "Trading": TRADER_GOODS,
    "Import and Export": TRADER_GOODS,
    "Logistics": TRADER_GOODS,
    "Building Materials": ("building", "pvc"),
    "Cement": ("building",),
    # the invented foreign firms
    "Knitwear": ("apparel",),
    "Footwear": ("footwear",),
    "Furniture": ("furniture",),
    "Solar": ("solar",),
    "Steel": ("steel",),
    "Steel Products": ("steel",),
    "Seafood": ("seafood",),
    "Glove": ("plastics",),
    "Wood Products": ("furniture",),
    "Aluminium": ("aluminum",),
    "Foods": ("food", "tomatoes"),
    "Batteries": ("lithium",),
    "Apparels": ("apparel",),
    "Garments": ("apparel",),
    "Textile Mills": ("cotton",),
    "Denim": ("cotton",),
    "Spinning Mills": ("cotton",),
    "Sweaters": ("apparel",),
    "Toys": ("toys",),
    "Household": ("household",),
}
# Sector words of the listed entities' `sectors` notes: what they ship.
LISTED_GOODS = (
    ("tomato", "tomatoes"),
    ("agricultur", "red dates"),
    ("polysilicon", "solar"),
    ("solar", "solar"),
    ("silicon", "solar"),
    ("apparel", "apparel"),
    ("garment", "apparel"),
    ("cotton", "cotton"),
    ("textile", "cotton"),
    ("yarn", "cotton"),
    ("alumin", "aluminum"),
    ("pvc", "pvc"),
    ("seafood", "seafood"),
    ("copper", "copper"),
    ("lithium", "lithium"),
    ("steel", "steel"),
    ("printer", "electronics"),
    ("electronic", "electronics"),
    ("hair", "hair"),
    ("footwear", "footwear"),
    ("mining", "mining"),
    ("magnesium", "mining"),
    ("batter", "lithium"),
    ("appliance", "household"),
    ("food", "food"),
)

# --------------------------------------------------------------------------- places

# Invented firms' Chinese addresses: (city, city in Han, USCC region code, postcode) by province.
PROVINCES: dict[str, tuple[str, tuple[tuple[str, str, str, str], ...]]] = {
    "Jiangsu": ("江苏省", (
        ("Nanjing", "南京市", "320100", "210000"), ("Wuxi", "无锡市", "320200", "214000"),
        ("Suzhou", "苏州市", "320500", "215000"), ("Changzhou", "常州市", "320400", "213000"),
        ("Nantong", "南通市", "320600", "226000"),
    )),
    "Zhejiang": ("浙江省", (
        ("Hangzhou", "杭州市", "330100", "310000"), ("Ningbo", "宁波市", "330200", "315000"),
        ("Shaoxing", "绍兴市", "330600", "312000"), ("Wenzhou", "温州市", "330300", "325000"),
        ("Yiwu", "义乌市", "330782", "322000"),
    )),
    "Guangdong": ("广东省", (
        ("Guangzhou", "广州市", "440100", "510000"), ("Shenzhen", "深圳市", "440300", "518000"),
        ("Dongguan", "东莞市", "441900", "523000"), ("Foshan", "佛山市", "440600", "528000"),
    )),
    "Shandong": ("山东省", (
        ("Qingdao", "青岛市", "370200", "266000"), ("Jinan", "济南市", "370100", "250000"),
        ("Weifang", "潍坊市", "370700", "261000"), ("Yantai", "烟台市", "370600", "264000"),
    )),
    "Fujian": ("福建省", (
        ("Xiamen", "厦门市", "350200", "361000"), ("Quanzhou", "泉州市", "350500", "362000"),
        ("Fuzhou", "福州市", "350100", "350000"),
    )),
    "Hebei": ("河北省", (
        ("Shijiazhuang", "石家庄市", "130100", "050000"), ("Baoding", "保定市", "130600", "071000"),
        ("Tangshan", "唐山市", "130200", "063000"),
    )),
    "Anhui": ("安徽省", (
        ("Hefei", "合肥市", "340100", "230000"), ("Wuhu", "芜湖市", "340200", "241000"),
    )),
    "Sichuan": ("四川省", (
        ("Chengdu", "成都市", "510100", "610000"), ("Mianyang", "绵阳市", "510700", "621000"),
    )),
    "Hunan": ("湖南省", (
        ("Changsha", "长沙市", "430100", "410000"), ("Zhuzhou", "株洲市", "430200", "412000"),
    )),
    "Inner Mongolia": ("内蒙古自治区", (
        ("Hohhot", "呼和浩特市", "150100", "010000"), ("Baotou", "包头市", "150200", "014000"),
        ("Ordos", "鄂尔多斯市", "150600", "017000"),
    )),
    "Ningxia": ("宁夏回族自治区", (("Yinchuan", "银川市", "640100", "750000"),)),
    "Qinghai": ("青海省", (("Xining", "西宁市", "630100", "810000"),)),
    "Shanghai": ("", (("Shanghai", "上海市", "310115", "200000"),)),
    "Tianjin": ("", (("Tianjin", "天津市", "120116", "300000"),)),
}  # fmt: skip
CITY_PROVINCE = {
    city: province
    for province, (_, cities) in PROVINCES.items()
    for city, *_ in cities
    if city != province
}
STREETS = (
    ("Industrial Avenue", "工业大道"), ("Xingye Road", "兴业路"), ("Chuangye Road", "创业路"),
    ("Gongye East Road", "工业东路"), ("Huanshi North Road", "环市北路"),
    ("Binhai Avenue", "滨海大道"), ("Keji Road", "科技路"), ("Jinshan Road", "金山路"),
    ("Changjiang Road", "长江路"), ("Renmin South Road", "人民南路"),
    ("Jianshe Road", "建设路"), ("Kaifa Avenue", "开发大道"),
)  # fmt: skip
ZONES = ("Economic and Technological Development Zone", "Industrial Park", "High-tech Zone")

# Postcodes of Xinjiang by the first four digits of the admin code (all 83xxxx/84xxxx).
XINJIANG_POSTCODES = {
    "6501": "830000", "6502": "834000", "6504": "838000", "6505": "839000", "6523": "831100",
    "6527": "833400", "6528": "841000", "6529": "843000", "6530": "845350", "6531": "844000",
    "6532": "848000", "6540": "835000", "6542": "834700", "6543": "836500", "6590": "832000",
}  # fmt: skip
XINJIANG_LEVELS = ("county", "county_level_city", "autonomous_county", "district", "xpcc_city")
XINJIANG_NAME_PLACES = frozenset(e for _, e in PLACES[:16])  # the Xinjiang places of the names

# Invented foreign firms: (country, first words, second words, industries, legal forms,
# address templates with {n}).
FOREIGN: tuple[tuple[str, tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...],
                     tuple[str, ...]], ...] = (
    ("VN",
     ("An", "Bao", "Dai", "Duc", "Hoa", "Hung", "Kim", "Minh", "Nam", "Phu", "Phuc", "Quang",
      "Tan", "Thanh", "Thien", "Trung", "Viet", "Vinh", "Hai", "Long"),
     ("Phat", "Thinh", "Gia", "Cong", "Binh", "Son", "Tien", "Loc", "Tam", "Phong", "Khang",
      "Duong", "Nguyen", "Anh", "Vuong", "Hung", "Hoa", "Thanh", "Long", "Hai"),
     ("Garment", "Textile", "Knitwear", "Footwear", "Furniture", "Solar", "Steel", "Seafood",
      "Electronics", "Plastics"),
     ("Co., Ltd.", "Joint Stock Company", "JSC", "Manufacturing Co., Ltd."),
     ("Lot {n}, Tan Thuan EPZ, District 7, Ho Chi Minh City, Vietnam",
      "Lot {n}, VSIP II, Thu Dau Mot, Binh Duong, Vietnam",
      "Lot {n}, Nhon Trach 2 Industrial Zone, Dong Nai, Vietnam",
      "Lot {n}, Dinh Vu Industrial Zone, Hai Phong, Vietnam",
      "Lot {n}, Que Vo Industrial Park, Bac Ninh, Vietnam")),
    ("BD",
     ("Padma", "Meghna", "Jamuna", "Rupali", "Sonali", "Karnaphuli", "Surma", "Teesta", "Shapla",
      "Banani", "Madhumati", "Bhairab", "Kushiara", "Gomti", "Titas", "Buriganga", "Rupsha",
      "Atrai", "Dhaleshwari", "Sitalakshya"),
     ("Star", "Crown", "Delta", "Royal", "Prime", "Green", "Unique", "Fortune", "Pioneer",
      "Eastern", "Northern", "Orient", "Classic", "Modern", "United", "Global", "Asian", "Noble",
      "Bright", "Golden"),
     ("Knit Composite", "Apparels", "Garments", "Textile Mills", "Denim", "Spinning Mills",
      "Sweaters", "Footwear"),
     ("Ltd.", "Limited", "(Pvt.) Ltd."),
     ("Plot {n}, Ashulia, Savar, Dhaka, Bangladesh",
      "Plot {n}, BSCIC Industrial Estate, Narayanganj, Bangladesh",
      "{n} Konabari, Gazipur, Bangladesh",
      "Plot {n}, CEPZ, Chattogram, Bangladesh")),
    ("MY",
     ("Pelangi", "Sinar", "Bukit", "Mutiara", "Cahaya", "Seri", "Permata", "Gemilang", "Harmoni",
      "Kenanga", "Tiara", "Bintang", "Delima", "Intan", "Jaya", "Megah", "Nusa", "Puncak",
      "Teguh", "Wawasan"),
     ("Maju", "Utama", "Emas", "Timur", "Indah", "Raya", "Makmur", "Sejahtera", "Perdana",
      "Bestari", "Baru", "Murni", "Setia", "Gemilang", "Jaya", "Mulia", "Sakti", "Bahagia",
      "Cemerlang", "Abadi"),
     ("Solar", "Glove", "Electronics", "Plastics", "Aluminium", "Steel", "Textile",
      "Wood Products"),
     ("Sdn. Bhd.", "Sdn Bhd", "Berhad"),
     ("Plot {n}, Bayan Lepas Free Industrial Zone, 11900 Penang, Malaysia",
      "Lot {n}, Kulim Hi-Tech Park, 09000 Kulim, Kedah, Malaysia",
      "No. {n}, Jalan Perindustrian 2, 81400 Senai, Johor, Malaysia",
      "Lot {n}, Section 15, 40200 Shah Alam, Selangor, Malaysia")),
    ("US",
     ("Blue", "Great", "Red", "Silver", "Golden", "Lone", "Green", "North", "South", "East",
      "West", "Grand", "Pacific", "Atlantic", "Summit", "Cedar", "Pine", "Iron", "Eagle",
      "Harbor"),
     ("Ridge", "Lakes", "Creek", "River", "Valley", "Star", "Point", "Bay", "Rock", "Field",
      "Brook", "Hill", "Stone", "Mountain", "Plains", "Forest", "Coast", "Canyon", "Springs",
      "Meadow"),
     ("Apparel", "Solar", "Aluminum", "Foods", "Plastics", "Steel Products", "Tomato Products",
      "Cotton", "Batteries", "Seafood", "Toys", "Household"),
     ("LLC", "Inc.", "Corp.", "Co."),
     ("{n} Industrial Pkwy, Greenville, SC 29607, USA",
      "{n} River Road, Toledo, OH 43604, USA",
      "{n} Commerce Drive, Fresno, CA 93721, USA",
      "{n} Harbor Blvd, Houston, TX 77029, USA")),
)  # fmt: skip
# Share of invented manufacturers by country (the rest CN).
FOREIGN_SHARE = {"VN": 0.07, "BD": 0.04, "MY": 0.03, "US": 0.02}
HK_ADDRESSES = (
    "Room {n}, 12/F, Tower 1, Harbour Centre, Hung Hom, Kowloon, Hong Kong",
    "Unit {n}, 8/F, Wing On Plaza, 62 Mody Road, Tsim Sha Tsui, Kowloon, Hong Kong",
    "Flat {n}, 15/F, Hopewell Centre, 183 Queen's Road East, Wan Chai, Hong Kong",
)
HK_FORMS = ("International Trading (HK) Limited", "Global Sourcing Limited", "(HK) Co., Limited")
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


# --------------------------------------------------------------------------- the pool


@dataclass(frozen=True, slots=True)
class Party:
    """One party spelling of the pool: what a role's columns hold, and what it ships."""

    name: str
    address: str
    country: str
    identifier: str
    groups: tuple[str, ...]
    bl: bool  # written as a bill of lading writes it (upper case, truncated)


@dataclass(frozen=True, slots=True)
class Pool:
    """The parties rows draw from, one weighted list per kind."""

    makers: tuple[Party, ...]
    traders: tuple[Party, ...]
    xinjiang: tuple[Party, ...]
    listed: tuple[Party, ...]
    listed_trade: tuple[bool, ...]  # per listed spelling: a trader (seller/exporter) by name


def bl_form(name: str) -> str:
    """A name as a bill of lading writes it: no commas or full stops, upper case, 35 characters."""
    text = " ".join(re.sub(r"[.,]", " ", name).upper().split())
    return text[:BL_WIDTH].rstrip()


def _bl_address(address: str) -> str:
    return " ".join(re.sub(r"[.,]", " ", address).upper().split())


def _zipf_cum(n: int) -> list[float]:
    """Cumulative Zipf-Mandelbrot weights 1 / (rank + q)^s over ranks 0..n-1."""
    return list(accumulate(1.0 / (k + ZIPF_Q) ** ZIPF_S for k in range(n)))


def _uscc(rng: random.Random, region: str) -> str:
    from uflpa.identifiers import uscc_check_char

    body = "91" + region + "".join(rng.choice(USCC_ALPHABET) for _ in range(9))
    return body + uscc_check_char(body)


def _place_of(company: SyntheticCompany) -> str:
    """The place a synthetic company is named after (English), from its English name."""
    for _, place in PLACES:
        if f"({place})" in company.english:
            return place
    for _, place in PLACES:
        if company.english.startswith(place + " "):
            return place
    raise ValueError(f"no place in {company.english!r}")


_INDUSTRIES_BY_LENGTH = sorted((e for _, e in INDUSTRIES), key=len, reverse=True)


def _industry_of(english: str) -> str:
    for industry in _INDUSTRIES_BY_LENGTH:
        if f" {industry} " in f" {english} ":
            return industry
    return "Industrial"


@dataclass(frozen=True, slots=True)
class XinjiangPlace:
    english: str
    han: str
    prefecture: str
    prefecture_han: str
    postcode: str
    code: str


def xinjiang_places() -> list[XinjiangPlace]:
    """County-level places of `xinjiang_places.csv` whose names are not marked ambiguous."""
    with XINJIANG_CSV.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    by_code = {r["admin_code"]: r for r in rows}
    out = []
    for r in rows:
        code = r["admin_code"]
        if r["level"] not in XINJIANG_LEVELS or "AMBIGUOUS" in r["notes"] or not code.isdigit():
            continue
        parent = by_code.get(r["parent_code"])
        prefecture = prefecture_han = ""
        if parent is not None and parent["admin_code"] != "650000":
            prefecture = parent["english_and_variant_spellings"].split("|")[0].strip()
            prefecture_han = parent["name_zh"]
        out.append(
            XinjiangPlace(
                english=r["english_and_variant_spellings"].split("|")[0].strip(),
                han=r["name_zh"],
                prefecture=prefecture,
                prefecture_han=prefecture_han,
                postcode=XINJIANG_POSTCODES.get(code[:4], "830000"),
                code=code,
            )
        )
    return out


def _xinjiang_address(rng: random.Random, place: XinjiangPlace, style: str) -> str:
    n = rng.randint(1, 399)
    street, street_han = rng.choice(STREETS)
    if style == "han":
        return f"新疆维吾尔自治区{place.prefecture_han}{place.han}{street_han}{n}号"
    if style == "postcode":
        return f"Building {n % 40 + 1}, {rng.choice(ZONES)}, {place.postcode}, China"
    within = f"{place.english}, {place.prefecture}" if place.prefecture else place.english
    if rng.random() < 0.5:
        return f"No. {n} {street}, {within}, Xinjiang {place.postcode}, China"
    return f"{place.english} {rng.choice(ZONES)}, {within}, Xinjiang, China"


def _china_address(rng: random.Random, place: str, han: bool) -> tuple[str, str]:
    """(address, USCC region) of an invented firm named after `place` (a city or province)."""
    province = CITY_PROVINCE.get(place, place)
    province_han, cities = PROVINCES.get(province, PROVINCES["Jiangsu"])
    city = next((c for c in cities if c[0] == place), None) or rng.choice(cities)
    name, city_han, region, postcode = city
    n = rng.randint(1, 899)
    street, street_han = rng.choice(STREETS)
    if han:
        return f"{province_han}{city_han}{street_han}{n}号", region
    where = name if province in (name, "Shanghai", "Tianjin") else f"{name}, {province}"
    return f"No. {n} {street}, {where} {postcode}, China", region


def _sector_heavy_industries() -> frozenset[str]:
    """Industries whose goods are mostly (60 % or more) in a high-priority sector."""
    prefixes = sector_prefixes()

    def share(group: str) -> float:
        items = GOODS[group]
        hits = sum(any(h.replace(".", "").startswith(p) for p in prefixes) for h, _, _ in items)
        return hits / len(items)

    return frozenset(
        industry
        for industry, groups in INDUSTRY_GOODS.items()
        if sum(share(g) for g in groups) / len(groups) >= 0.6
    )


def _trade_keys(texts: Sequence[str]) -> list[str]:
    """Latin words and Han bigrams of the listed names, so no invented trade name copies one."""
    keys: dict[str, None] = {}
    for text in texts:
        for word in re.findall(r"[a-z0-9]+", text.lower()):
            keys[word] = None
        for run in re.findall(r"[\u4e00-\u9fff]+", text):
            for i in range(len(run) - 1):
                keys[run[i : i + 2]] = None
    return list(keys)


def _listed_names() -> list[tuple[list[str], str, tuple[str, ...]]]:
    """Per listed entity: its names (name, aliases, former names, Chinese names), its location,
    and what it ships."""
    from uflpa.lists.bundled import load_bundled

    zh: dict[str, list[str]] = {}
    if NAMES_ZH_CSV.exists():
        with NAMES_ZH_CSV.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                name = (row.get("name_zh") or "").strip()
                if name:
                    zh.setdefault(row["entity_id"], []).append(name)
    out = []
    for entity in load_bundled().entities:
        names = list(
            dict.fromkeys(
                [entity.name, *entity.aliases, *entity.former_names, *zh.get(entity.id, [])]
            )
        )
        text = " ".join(entity.sectors).lower()
        groups = tuple(dict.fromkeys(g for word, g in LISTED_GOODS if word in text)) or (
            "machinery",
            "household",
        )
        out.append((names, entity.location or "", groups))
    return out


def _company_spellings(
    rng: random.Random, company: SyntheticCompany, country: str, address_p: float
) -> list[Party]:
    """One company as one to three pool entries: its usual spelling, sometimes also a bill-of-
    lading truncation or the other script."""
    place = _place_of(company)
    groups = INDUSTRY_GOODS.get(_industry_of(company.english), ("household",))
    pick = rng.random()
    form = "english" if pick < 0.5 else "pinyin" if pick < 0.75 else "han"
    forms = [form]
    if rng.random() < 0.2:
        forms.append("bl")
    if rng.random() < 0.1:
        forms.append("han" if form != "han" else "english")
    out = []
    region = ""
    for f in forms:
        han = f == "han"
        name = (
            company.han
            if han
            else bl_form(company.english if rng.random() < 0.6 else company.pinyin)
            if f == "bl"
            else company.form(f)
        )
        address = ""
        if rng.random() < address_p:
            address, region = _china_address(rng, place, han and rng.random() < 0.8)
            if f == "bl":
                address = _bl_address(address)
        identifier = _uscc(rng, region) if region and rng.random() < 0.15 else ""
        out.append(
            Party(
                name=name,
                address=address,
                country=country if rng.random() < 0.4 else "",
                identifier=identifier,
                groups=groups,
                bl=f == "bl",
            )
        )
    return out


def _trade_word(company: SyntheticCompany) -> str:
    """The trade name of a synthetic company (`Huatai` of `Xinjiang Huatai Silicon ...`)."""
    place = _place_of(company)
    rest = company.english if "(" in company.english else company.english[len(place) + 1 :]
    return rest.split(" ")[0]


def _foreign_makers(
    rng: random.Random, country: str, n: int, chinese: Iterator[SyntheticCompany]
) -> list[Party]:
    """`n` invented plants in `country`; in VN and MY three in ten are Chinese-owned
    (`Jiangsu Huatai Textile (Vietnam) Co., Ltd.`)."""
    spec = next(s for s in FOREIGN if s[0] == country)
    _, first, second, industries, forms, addresses = spec
    size = len(first) * len(second) * len(industries) * len(forms)
    order = rng.sample(range(size), min(size, n))
    land = {"VN": "Vietnam", "BD": "Bangladesh", "MY": "Malaysia", "US": "USA"}[country]
    out: list[Party] = []
    for k in order:
        k, f = divmod(k, len(forms))
        k, ind = divmod(k, len(industries))
        a, b = divmod(k, len(second))
        industry = industries[ind]
        if country in ("VN", "MY") and rng.random() < 0.3:
            company = next(chinese)
            stem = company.english.rsplit(" Co., Ltd.", 1)[0].rsplit(" Group", 1)[0]
            stem = re.sub(r" \([^)]*\)$", "", stem)
            name = f"{stem} ({land}) Co., Ltd."
            groups = INDUSTRY_GOODS.get(_industry_of(company.english), ("household",))
        else:
            name = f"{first[a]} {second[b]} {industry} {forms[f]}"
            groups = INDUSTRY_GOODS.get(industry, ("household",))
        address = rng.choice(addresses).format(n=rng.randint(1, 250)) if rng.random() < 0.75 else ""
        out.append(Party(name, address, country if rng.random() < 0.5 else "", "", groups, False))
    return out


def build_pool(suppliers: int, seed: int) -> Pool:
    """About `suppliers` party spellings: listed names, Xinjiang firms (3 %), traders (12 %),
    manufacturers (the rest; CN, VN, BD, MY, US)."""
    rng = random.Random(seed)
    listed_entities = _listed_names()
    listed: list[Party] = []
    listed_trade: list[bool] = []
    seen: dict[str, None] = {}
    for names, location, groups in listed_entities:
        for name in names:
            latin = not re.search(r"[\u4e00-\u9fff]", name)
            spellings = [name]
            if latin:
                spellings += [" ".join(re.sub(r"[.,]", " ", name).upper().split()), bl_form(name)]
            for spelling in dict.fromkeys(spellings):
                if spelling in seen:
                    continue
                seen[spelling] = None
                address = location if location and rng.random() < 0.4 else ""
                upper = spelling.isupper()
                listed.append(
                    Party(
                        spelling,
                        _bl_address(address) if upper else address,
                        "CN" if rng.random() < 0.3 else "",
                        "",
                        groups,
                        upper,
                    )
                )
                listed_trade.append(
                    bool(re.search(r"import|export|trad|进出口|贸易", spelling, re.IGNORECASE))
                )
    exclude = _trade_keys([n for names, _, _ in listed_entities for n in names])
    gen = CompanyNames(seed, exclude_trade_names=exclude)

    n_xj = max(10, round(suppliers * XINJIANG_SHARE))
    n_traders = max(10, round(suppliers * 0.12))
    n_makers = max(50, suppliers - len(listed) - n_xj - n_traders)
    n_foreign = {c: round(n_makers * s) for c, s in FOREIGN_SHARE.items()}
    n_cn = n_makers - sum(n_foreign.values())

    places = xinjiang_places()
    sector_heavy = _sector_heavy_industries()
    makers: list[Party] = []
    traders: list[Party] = []
    xinjiang: list[Party] = []
    spare: list[SyntheticCompany] = []  # companies left over, for Chinese-owned plants abroad
    i = 0
    while len(makers) < n_cn or len(traders) < n_traders or len(xinjiang) < n_xj:
        company = gen.company(i)
        i += 1
        place = _place_of(company)
        industry = _industry_of(company.english)
        if place in XINJIANG_NAME_PLACES:
            if len(xinjiang) >= n_xj or rng.random() < 0.6:
                continue  # most Xinjiang-named companies are not used: 3 % of the pool only
            # a name headed by a Xinjiang place; an address in Xinjiang on some
            form = rng.choice(("english", "pinyin", "han"))
            where = rng.choice(places)
            address = (
                _xinjiang_address(rng, where, "han" if form == "han" else "english")
                if rng.random() < 0.4
                else ""
            )
            xinjiang.append(
                Party(
                    company.form(form),
                    address,
                    "CN" if rng.random() < 0.3 else "",
                    "",
                    INDUSTRY_GOODS.get(industry, ("household",)),
                    False,
                )
            )
        elif industry in ("Trading", "Import and Export", "Logistics"):
            if len(traders) < n_traders:
                traders.extend(_company_spellings(rng, company, "CN", 0.4))
            else:
                spare.append(company)
        elif len(xinjiang) < n_xj and rng.random() < 0.07:
            # a firm not named after Xinjiang, with a plant there
            style = rng.choices(("english", "han", "postcode"), (0.6, 0.25, 0.15))[0]
            where = rng.choice(places)
            form = "han" if style == "han" else rng.choice(("english", "pinyin"))
            identifier = (
                _uscc(rng, where.code) if rng.random() < 0.15 and len(where.code) == 6 else ""
            )
            xinjiang.append(
                Party(
                    company.form(form),
                    _xinjiang_address(rng, where, style),
                    "CN" if rng.random() < 0.3 else "",
                    identifier,
                    INDUSTRY_GOODS.get(industry, ("household",)),
                    False,
                )
            )
        elif len(makers) < n_cn and (industry not in sector_heavy or rng.random() < SECTOR_KEEP):
            makers.extend(_company_spellings(rng, company, "CN", 0.7))
        else:
            spare.append(company)
    del makers[n_cn:], traders[n_traders:], xinjiang[n_xj:]
    # Hong Kong traders: one in five
    for k in range(n_traders // 5):
        stem = _trade_word(gen.company(i + k))
        traders[k * 5] = Party(
            f"{stem} {HK_FORMS[k % len(HK_FORMS)]}",
            rng.choice(HK_ADDRESSES).format(n=rng.randint(1, 30) * 100 + rng.randint(1, 20))
            if rng.random() < 0.5
            else "",
            "HK" if rng.random() < 0.5 else "",
            "",
            ALL_GROUPS,
            False,
        )
    i += n_traders // 5
    chinese = iter(spare + [gen.company(k) for k in range(i, i + sum(n_foreign.values()))])
    for country, n in n_foreign.items():
        makers.extend(_foreign_makers(rng, country, n, chinese))
    # Rank order: shuffled, so that the heavy hitters are of every kind and script.
    rng.shuffle(makers)
    rng.shuffle(traders)
    rng.shuffle(xinjiang)
    order = list(range(len(listed)))
    rng.shuffle(order)
    return Pool(
        makers=tuple(makers),
        traders=tuple(dict.fromkeys(traders)),
        xinjiang=tuple(xinjiang),
        listed=tuple(listed[k] for k in order),
        listed_trade=tuple(listed_trade[k] for k in order),
    )


# --------------------------------------------------------------------------- rows


def sector_prefixes() -> tuple[str, ...]:
    """HTS prefixes (digits) of the UFLPA high-priority sectors."""
    with SECTORS_CSV.open(encoding="utf-8", newline="") as fh:
        return tuple(dict.fromkeys(r["hts_prefix"].replace(".", "") for r in csv.DictReader(fh)))


class _Drawer:
    """Batched Zipf draws of pool indexes (bisect over cumulative weights)."""

    def __init__(self, rng: random.Random, n: int) -> None:
        self.rng = rng
        self.population = range(n)
        self.cum = _zipf_cum(n)
        self.buffer: list[int] = []

    def __call__(self) -> int:
        if not self.buffer:
            self.buffer = self.rng.choices(self.population, cum_weights=self.cum, k=CHUNK)
        return self.buffer.pop()


def generate_rows(
    rows: int, suppliers: int, seed: int, bad_every: int = BAD_EVERY
) -> tuple[Iterator[tuple[str, list[str]]], dict[str, Any]]:
    """(kind, values) for every row, in order, and the counts dict filled as rows are drawn.

    kind is `ok`, or a planted bad row: `extra_field` (the writer must emit it unquoted),
    `no_party`, `bad_date`.
    """
    pool = build_pool(suppliers, seed)
    counts: dict[str, Any] = {
        "rows": rows,
        "seed": seed,
        "suppliers_requested": suppliers,
        "pool": {
            "manufacturers": len(pool.makers),
            "traders": len(pool.traders),
            "xinjiang": len(pool.xinjiang),
            "listed_spellings": len(pool.listed),
        },
    }
    counts["pool_size"] = sum(counts["pool"].values())
    return _rows(pool, rows, seed, bad_every, counts), counts


def _rows(
    pool: Pool, rows: int, seed: int, bad_every: int, counts: dict[str, Any]
) -> Iterator[tuple[str, list[str]]]:
    rng = random.Random(seed + 1)
    days = (LAST_DAY - FIRST_DAY).days + 1
    dates = [(FIRST_DAY + timedelta(days=d)).isoformat() for d in range(days)]
    draw_maker = _Drawer(rng, len(pool.makers))
    draw_trader = _Drawer(rng, len(pool.traders))
    draw_xj = _Drawer(rng, len(pool.xinjiang))
    draw_listed = _Drawer(rng, len(pool.listed))
    prefixes = sector_prefixes()
    in_sector: dict[str, bool] = {}
    offsets = {
        bad_every // 4: "extra_field",
        bad_every // 2: "no_party",
        3 * bad_every // 4: "bad_date",
    }

    # party use, by pool (kind, index): for the distinct count and the tail
    used: dict[tuple[int, int], int] = {}
    listed_rows = xinjiang_rows = sector_rows = 0
    role_rows: Counter[str] = Counter()
    origins: Counter[str] = Counter()
    bad: dict[str, list[int]] = {"extra_field": [], "no_party": [], "bad_date": []}
    random_ = rng.random
    choice = rng.choice

    def use(kind: int, index: int) -> None:
        key = (kind, index)
        used[key] = used.get(key, 0) + 1

    for i in range(rows):
        kind = offsets.get(i % bad_every, "ok")
        r = random_()
        trade_role = ""
        if r < LISTED_SHARE:
            k = draw_listed()
            listed = pool.listed[k]
            role = (
                ("seller" if random_() < 0.5 else "exporter")
                if pool.listed_trade[k] or random_() < 0.3
                else "manufacturer"
            )
            if role == "manufacturer":
                maker = listed
                use(3, k)
            else:
                m = draw_maker()
                maker = pool.makers[m]
                use(0, m)
                trade_role = role
                use(3, k)
            listed_rows += 1
        elif r < LISTED_SHARE + XINJIANG_SHARE:
            k = draw_xj()
            maker = pool.xinjiang[k]
            use(2, k)
            xinjiang_rows += 1
        else:
            k = draw_maker()
            maker = pool.makers[k]
            use(0, k)
        seller = exporter = supplier = ""
        seller_address = exporter_address = ""
        if trade_role:
            party = pool.listed[k]
            if trade_role == "seller":
                seller, seller_address = party.name, party.address
            else:
                exporter, exporter_address = party.name, party.address
        if not seller and random_() < 0.35:
            t = draw_trader()
            use(1, t)
            seller, seller_address = pool.traders[t].name, pool.traders[t].address
        if not exporter and random_() < 0.25:
            if seller and random_() < 0.4:
                exporter, exporter_address = seller, seller_address
            else:
                t = draw_trader()
                use(1, t)
                exporter, exporter_address = pool.traders[t].name, pool.traders[t].address
        if random_() < 0.3:
            if seller and random_() < 0.5:
                supplier = seller
            else:
                t = draw_trader()
                use(1, t)
                supplier = pool.traders[t].name
        group = choice(maker.groups) if random_() < 0.9 else choice(ALL_GROUPS)
        hts, description, description_han = choice(GOODS[group])
        if maker.bl:
            description = description.upper()
            if random_() < 0.2:
                hts = hts.replace(".", "")
        elif description_han and random_() < 0.15:
            description = f"{description_han} {description}"
        origin = _origin(maker)
        evidence = ""
        sector = in_sector.get(hts)
        if sector is None:
            digits = hts.replace(".", "")
            sector = in_sector[hts] = any(digits.startswith(p) for p in prefixes)
        if sector:
            sector_rows += 1
            if random_() < 0.005:
                evidence = f"Tracing file TR-{rng.randint(1000, 99999)}"
        import_date = dates[rng.randrange(days)]
        values = [
            f"SHP-{i + 1:07d}",
            maker.name,
            maker.address,
            maker.identifier,
            maker.country,
            seller,
            seller_address,
            exporter,
            exporter_address,
            supplier,
            origin,
            hts,
            description,
            import_date,
            evidence,
        ]
        if kind == "no_party":
            for col in (1, 2, 3, 4, 5, 6, 7, 8, 9):
                values[col] = ""
        elif kind == "bad_date":
            values[13] = choice(("31/04/2024", "2025-02-30", "30.02.2024", "2024-13-05"))
        elif kind == "extra_field":
            values = [v.replace(",", " ").replace('"', " ") for v in values]
            values[1] = _comma_name(pool, rng)
            values[2] = ""
            # The last cell must not be empty: an extra empty trailing cell reads as a trailing
            # delimiter (uflpa.io accepts it), and the row would be screened shifted.
            values[14] = f"Packing list PL-{rng.randint(10000, 99999)}"
        if kind != "ok":
            bad[kind].append(i + 2)  # the file's line number, as screening reports a row
        else:
            role_rows["manufacturer_address"] += bool(values[2])
            role_rows["seller"] += bool(seller)
            role_rows["exporter"] += bool(exporter)
            role_rows["supplier"] += bool(supplier)
        origins[origin or "(empty)"] += 1
        yield kind, values

    counts["distinct_suppliers_used"] = len(used)
    tally = sorted(used.values(), reverse=True)
    counts["top_party_rows"] = tally[:5]
    counts["parties_seen_once"] = sum(1 for v in tally if v == 1)
    counts["parties_seen_twice"] = sum(1 for v in tally if v == 2)
    counts["listed_rows"] = listed_rows
    counts["listed_share"] = listed_rows / rows if rows else 0.0
    counts["xinjiang_rows"] = xinjiang_rows
    counts["xinjiang_share"] = xinjiang_rows / rows if rows else 0.0
    counts["sector_rows"] = sector_rows
    counts["sector_share"] = sector_rows / rows if rows else 0.0
    counts["rows_with"] = dict(role_rows)
    counts["country_of_origin"] = dict(origins.most_common())
    counts["bad_rows"] = bad
    counts["bad_row_counts"] = {k: len(v) for k, v in bad.items()}


def _origin(maker: Party) -> str:
    """Country of origin: the maker's country, CN for a PRC firm; HK/blank ones as CN."""
    if maker.country in ("VN", "BD", "MY", "US"):
        return maker.country
    for land, code in (("Vietnam", "VN"), ("Bangladesh", "BD"), ("Malaysia", "MY"), ("USA", "US")):
        if maker.address.endswith(land) or f"({land})" in maker.name:
            return code
    foreign = {"JSC", "Sdn", "Bhd", "Berhad", "LLC", "Inc.", "Corp.", "Limited", "(Pvt.)"}
    if foreign & set(maker.name.split()) and not maker.address:
        return ""  # a foreign plant without an address: the origin is often left blank
    return "CN"


def _comma_name(pool: Pool, rng: random.Random) -> str:
    """A manufacturer name with an unquoted comma (`Co.,Ltd.`), as hand-edited exports have."""
    for _ in range(100):
        name = rng.choice(pool.makers).name
        if name.endswith("Co., Ltd."):
            return name.replace("Co., Ltd.", "Co.,Ltd.")
    return "Quanzhou Minghao Shoes Co.,Ltd."


# --------------------------------------------------------------------------- writing


def write_shipments(
    path: Path, rows: int = 1_000_000, suppliers: int = 50_000, seed: int = 0, fmt: str = "csv"
) -> dict[str, Any]:
    """Write `rows` shipment rows to `path` (`fmt` csv or parquet); returns the counts.

    Counts: rows, pool size and make-up, distinct suppliers used, the heaviest parties' row
    counts, parties seen once/twice, listed and Xinjiang rows and shares, rows with goods in a
    high-priority sector, the planted bad rows (file line numbers by kind),
    `expected_error_rows` (rows that cannot be screened), seconds and bytes.
    """
    if fmt not in ("csv", "parquet"):
        raise ValueError(f"fmt must be csv or parquet, not {fmt!r}")
    start = time.perf_counter()
    rows_iter, counts = generate_rows(rows, suppliers, seed)
    counts["pool_seconds"] = time.perf_counter() - start
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "csv":
        _write_csv(path, rows_iter)
    else:
        _write_parquet(path, rows_iter)
    bad = counts["bad_row_counts"]
    errors = bad["no_party"] + (bad["extra_field"] if fmt == "csv" else 0)
    counts.update(
        path=str(path),
        format=fmt,
        expected_error_rows=errors,
        expected_screened_rows=rows - errors,
        seconds=time.perf_counter() - start,
        bytes=path.stat().st_size,
    )
    return counts


def _write_csv(path: Path, rows: Iterator[tuple[str, list[str]]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(HEADERS)
        write = writer.writerow
        for kind, values in rows:
            if kind == "extra_field":
                fh.write(",".join(values) + "\n")  # unquoted: one field too many
            else:
                write(values)


def _write_parquet(path: Path, rows: Iterator[tuple[str, list[str]]]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema([pa.field(h, pa.string()) for h in HEADERS])
    with pq.ParquetWriter(str(path), schema) as writer:
        batch: list[list[str]] = []

        def flush() -> None:
            columns = list(zip(*batch, strict=True))
            writer.write_table(
                pa.table(
                    {h: pa.array(c, pa.string()) for h, c in zip(HEADERS, columns, strict=True)}
                )
            )
            batch.clear()

        for _, values in rows:
            batch.append(values)
            if len(batch) >= 100_000:
                flush()
        if batch:
            flush()


def write_prefix(src: Path, dst: Path, rows: int) -> int:
    """The header and the first `rows` data lines of a CSV written here (no field holds a line
    break, so lines are rows); returns the rows written. The row numbers stay the same."""
    written = 0
    with src.open("rb") as fin, dst.open("wb") as fout:
        fout.write(fin.readline())
        for line in fin:
            if written >= rows:
                break
            fout.write(line)
            written += 1
    return written


# --------------------------------------------------------------------------- CLI


def describe(counts: dict[str, Any]) -> list[str]:
    """The counts as short lines, for a benchmark header or the CLI."""
    pool = counts["pool"]
    bad = counts["bad_row_counts"]
    origin = counts["country_of_origin"]
    top = ", ".join(f"{k} {v * 100 / counts['rows']:.1f} %" for k, v in list(origin.items())[:7])
    return [
        f"rows {counts['rows']:,} ({counts['format']}, {counts['bytes'] / 1e6:,.1f} MB, "
        f"seed {counts['seed']}); written in {counts['seconds']:.1f} s"
        f" (pool {counts['pool_seconds']:.1f} s)",
        f"party pool {counts['pool_size']:,} spellings (manufacturers {pool['manufacturers']:,},"
        f" traders {pool['traders']:,}, Xinjiang {pool['xinjiang']:,}, listed"
        f" {pool['listed_spellings']:,}); used {counts['distinct_suppliers_used']:,};"
        f" heaviest on {', '.join(f'{v:,}' for v in counts['top_party_rows'])} rows;"
        f" seen once {counts['parties_seen_once']:,}, twice {counts['parties_seen_twice']:,}",
        f"listed rows {counts['listed_rows']:,} ({counts['listed_share']:.2%}); Xinjiang rows"
        f" {counts['xinjiang_rows']:,} ({counts['xinjiang_share']:.2%}); goods in a high-priority"
        f" sector {counts['sector_rows']:,} ({counts['sector_share']:.1%})",
        f"country of origin: {top}",
        f"bad rows planted: extra unquoted comma {bad['extra_field']}, no party"
        f" {bad['no_party']}, unreadable date {bad['bad_date']}; expected not screened"
        f" {counts['expected_error_rows']:,}, screened {counts['expected_screened_rows']:,}",
    ]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("out", type=Path, help="the file to write (CSV, or Parquet with --parquet)")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--suppliers", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--parquet", action="store_true", help="write Parquet instead of CSV")
    parser.add_argument("--json", type=Path, metavar="OUT", help="also write the counts here")
    args = parser.parse_args(argv)
    if args.rows < 0 or args.suppliers < 100:
        parser.error("--rows must be >= 0 and --suppliers >= 100")
    counts = write_shipments(
        args.out, args.rows, args.suppliers, args.seed, "parquet" if args.parquet else "csv"
    )
    for line in describe(counts):
        print(f"# {line}")
    if args.json:
        args.json.write_text(json.dumps(counts, indent=2, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
