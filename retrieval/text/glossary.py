"""Common English news words and the Bengali words news articles use for them.

An English question over Bengali articles shares no word with them; the multilingual model matches
its meaning, but blurs the one word that tells two passages of a story apart ("bridge", "flights").
These equivalents let the lexical index search an English question too (names are matched by sound:
`retrieval.text.query.latin_sound_key`). Only general news vocabulary is listed, each with the
spellings Bengali news uses. Banglish questions are not translated with it (measured worse:
`retrieval.text.query._transliterated`).
"""

from __future__ import annotations

from functools import cache

# english: বাংলা বাংলা ... (the first is the usual word; the analyser stems each). Words in capitals are
# abbreviations, matched only as written ("US", not "us"). Regular plural and past forms ("flights",
# "signed") are found from the base word (`_base_forms`); only irregular ones are listed ("met", "sent").
_GLOSSARY = """
US: যুক্তরাষ্ট্র মার্কিন
USA: যুক্তরাষ্ট্র মার্কিন
UK: যুক্তরাজ্য
UN: জাতিসংঘ
EU: ইউরোপীয়
american: মার্কিন যুক্তরাষ্ট্র
british: ব্রিটিশ যুক্তরাজ্য
north: উত্তর
south: দক্ষিণ
east: পূর্ব
west: পশ্চিম
country: দেশ রাষ্ট্র
countries: দেশ
nation: জাতি দেশ
national: জাতীয়
international: আন্তর্জাতিক
world: বিশ্ব
global: বৈশ্বিক
capital: রাজধানী
city: শহর নগর
village: গ্রাম
district: জেলা
division: বিভাগ
border: সীমান্ত
coast: উপকূল উপকূলে
island: দ্বীপ
river: নদী
sea: সমুদ্র সাগর
road: সড়ক রাস্তা
bridge: সেতু
railway: রেল রেলপথ
train: ট্রেন রেল
airport: বিমানবন্দর
flight: ফ্লাইট
plane: বিমান উড়োজাহাজ
ship: জাহাজ
port: বন্দর
government: সরকার
minister: মন্ত্রী
ministry: মন্ত্রণালয়
president: প্রেসিডেন্ট রাষ্ট্রপতি
prime: প্রধানমন্ত্রী
leader: নেতা
party: দল
parliament: সংসদ
election: নির্বাচন
vote: ভোট
law: আইন
court: আদালত
judge: বিচারক বিচারপতি
police: পুলিশ
army: সেনাবাহিনী সেনা
military: সামরিক সেনা
soldier: সেনা সৈন্য সৈনিক
troops: সেনা সৈন্য
war: যুদ্ধ
battle: যুদ্ধ লড়াই
fight: লড়াই যুদ্ধ
fought: লড়াই যুদ্ধ
attack: হামলা আক্রমণ
weapon: অস্ত্র
missile: ক্ষেপণাস্ত্র
nuclear: পারমাণবিক
peace: শান্তি
treaty: চুক্তি
agreement: চুক্তি সমঝোতা
deal: চুক্তি
pact: চুক্তি
alliance: জোট মৈত্রী
ally: মিত্র
enemy: শত্রু
security: নিরাপত্তা
defence: প্রতিরক্ষা
defense: প্রতিরক্ষা
cooperation: সহযোগিতা
relations: সম্পর্ক
relationship: সম্পর্ক
friendship: বন্ধুত্ব
friend: বন্ধু
support: সমর্থন সহায়তা
help: সহায়তা সাহায্য
aid: সহায়তা
sanction: নিষেধাজ্ঞা
ban: নিষেধাজ্ঞা
visit: সফর পরিদর্শন
trip: সফর
tour: সফর
meet: বৈঠক সাক্ষাৎ
met: বৈঠক সাক্ষাৎ
meeting: বৈঠক সাক্ষাৎ
talks: আলোচনা বৈঠক
discuss: আলোচনা
summit: সম্মেলন
conference: সম্মেলন
letter: চিঠি বার্তা
message: বার্তা
statement: বিবৃতি
speech: ভাষণ বক্তৃতা
report: প্রতিবেদন খবর
news: খবর সংবাদ
agency: সংস্থা
organisation: সংস্থা সংগঠন
organization: সংস্থা সংগঠন
group: গোষ্ঠী দল
company: কোম্পানি প্রতিষ্ঠান
bank: ব্যাংক
money: অর্থ টাকা
economy: অর্থনীতি
economic: অর্থনৈতিক
trade: বাণিজ্য
business: ব্যবসা
market: বাজার
price: দাম মূল্য
budget: বাজেট
tax: কর
loan: ঋণ
export: রপ্তানি
import: আমদানি
oil: তেল
gas: গ্যাস
electricity: বিদ্যুৎ
power: বিদ্যুৎ ক্ষমতা
food: খাদ্য খাবার
rice: চাল ধান
farmer: কৃষক
crop: ফসল
fruit: ফল
tea: চা
garden: বাগান
worker: শ্রমিক কর্মী
job: চাকরি
school: স্কুল বিদ্যালয়
student: শিক্ষার্থী ছাত্র
teacher: শিক্ষক
university: বিশ্ববিদ্যালয়
exam: পরীক্ষা
examination: পরীক্ষা
result: ফল ফলাফল
health: স্বাস্থ্য
hospital: হাসপাতাল
doctor: চিকিৎসক ডাক্তার
disease: রোগ
patients: রোগী
death: মৃত্যু
dead: নিহত মৃত
killed: নিহত
died: মারা মৃত্যু
injured: আহত
wounded: আহত
civilian: বেসামরিক
people: মানুষ লোক জনগণ
children: শিশু
child: শিশু
women: নারী
woman: নারী
men: পুরুষ
family: পরিবার
refugee: শরণার্থী
migrant: অভিবাসী
human: মানব মানবাধিকার
rights: অধিকার মানবাধিকার
freedom: স্বাধীনতা
independence: স্বাধীনতা
liberation: মুক্তি স্বাধীনতা
protest: বিক্ষোভ প্রতিবাদ
criticism: সমালোচনা
criticise: সমালোচনা
criticize: সমালোচনা
crime: অপরাধ
arrest: গ্রেপ্তার
prison: কারাগার
fire: আগুন অগ্নিকাণ্ড
flood: বন্যা
cyclone: ঘূর্ণিঝড়
storm: ঝড়
rain: বৃষ্টি
weather: আবহাওয়া
climate: জলবায়ু
earthquake: ভূমিকম্প
accident: দুর্ঘটনা
water: পানি জল
land: জমি ভূমি
building: নির্মাণ ভবন
build: নির্মাণ
built: নির্মাণ
construction: নির্মাণ
factory: কারখানা
project: প্রকল্প
plan: পরিকল্পনা
tourist: পর্যটক
tourism: পর্যটন
resort: অবকাশকেন্দ্র রিসোর্ট
beach: সৈকত
hotel: হোটেল
museum: জাদুঘর
monument: স্মৃতিস্তম্ভ
memorial: স্মৃতিস্তম্ভ
cemetery: সমাধি
history: ইতিহাস
culture: সংস্কৃতি
religion: ধর্ম
sport: খেলা
match: ম্যাচ খেলা
team: দল
player: খেলোয়াড়
film: চলচ্চিত্র সিনেমা
book: বই
year: বছর সাল
years: বছর
month: মাস
week: সপ্তাহ
day: দিন
today: আজ
yesterday: গতকাল
tomorrow: আগামীকাল
first: প্রথম
second: দ্বিতীয়
third: তৃতীয়
last: সর্বশেষ শেষ
new: নতুন
old: পুরোনো
big: বড়
largest: বৃহত্তম
biggest: বৃহত্তম
direct: সরাসরি
same: একই
number: সংখ্যা
million: লাখ কোটি
billion: কোটি
thousand: হাজার
hundred: শত
percent: শতাংশ
half: অর্ধেক
start: শুরু
begin: শুরু
began: শুরু
launch: চালু উদ্বোধন
open: চালু উন্মুক্ত
close: বন্ধ
stop: বন্ধ
end: শেষ অবসান
announce: ঘোষণা
decision: সিদ্ধান্ত
decided: সিদ্ধান্ত
pledge: অঙ্গীকার প্রতিশ্রুতি
promise: প্রতিশ্রুতি অঙ্গীকার
sign: স্বাক্ষর
send: পাঠানো পাঠিয়েছে
sent: পাঠানো পাঠিয়েছে
supply: সরবরাহ
supplied: সরবরাহ
receive: পেয়েছে
demand: দাবি
warn: সতর্ক হুঁশিয়ারি
accuse: অভিযোগ
allegation: অভিযোগ
honour: শ্রদ্ধা সম্মান
honor: শ্রদ্ধা সম্মান
tribute: শ্রদ্ধা
celebrate: উদযাপন
anniversary: বর্ষপূর্তি বার্ষিকী
victory: বিজয়
win: জয়
won: জয়
lose: পরাজয়
lost: পরাজয় হারিয়েছে
increase: বৃদ্ধি বেড়েছে
rise: বৃদ্ধি বেড়েছে
rose: বৃদ্ধি বেড়েছে
fall: কমেছে হ্রাস
fell: কমেছে হ্রাস
decrease: কমেছে হ্রাস
growth: প্রবৃদ্ধি
production: উৎপাদন
produce: উৎপাদন
yield: ফলন
length: দৈর্ঘ্য
long: দীর্ঘ লম্বা
height: উচ্চতা
area: এলাকা আয়তন
cost: খরচ ব্যয়
spend: ব্যয়
investment: বিনিয়োগ
foreign: পররাষ্ট্র বিদেশি
secretary: সচিব পররাষ্ট্রমন্ত্রী
state: রাষ্ট্র রাজ্য
official: কর্মকর্তা
spokesperson: মুখপাত্র
spokesman: মুখপাত্র
ambassador: রাষ্ট্রদূত
embassy: দূতাবাস
diplomat: কূটনীতিক
diplomatic: কূটনৈতিক
political: রাজনৈতিক
politics: রাজনীতি
backing: সমর্থন
threat: হুমকি
aggression: আগ্রাসন
invasion: আক্রমণ আগ্রাসন
occupied: দখল
control: নিয়ন্ত্রণ
technology: প্রযুক্তি
space: মহাকাশ
satellite: উপগ্রহ স্যাটেলাইট
internet: ইন্টারনেট
mobile: মোবাইল
phone: ফোন
"""


@cache
def _entries() -> dict[str, tuple[str, ...]]:
    entries: dict[str, tuple[str, ...]] = {}
    for line in _GLOSSARY.strip().splitlines():
        english, _, bengali = line.partition(":")
        entries[english.strip()] = tuple(bengali.split())
    return entries


def bengali_for(word: str) -> tuple[str, ...]:
    """The Bengali words for an English word, tried as written and without a plural or past ending;
    empty when the glossary does not know it."""
    entries = _entries()
    if len(word) > 1 and word.isupper() and word in entries:
        return entries[word]
    for candidate in _base_forms(word.lower()):
        found = entries.get(candidate)
        if found:
            return found
    return ()


def _base_forms(word: str) -> list[str]:
    forms = [word]
    if word.endswith("ies") and len(word) > 4:
        forms.append(word[:-3] + "y")
    if word.endswith("es") and len(word) > 4:
        forms.append(word[:-2])
    if word.endswith("s") and len(word) > 3:
        forms.append(word[:-1])
    if word.endswith("ed") and len(word) > 4:
        forms += [word[:-2], word[:-1]]
    if word.endswith("ing") and len(word) > 5:
        forms += [word[:-3], word[:-3] + "e"]
    return forms
