import { describe, expect, it } from "vitest";
import { readCommand } from "../../src/conversation/commands.ts";
import { readStepAnswer, type StepAnswer } from "../../src/conversation/intake.ts";
import type { Draft, IntakeState, IntakeStep } from "../../src/conversation/state.ts";
import { lexiconFor } from "../../src/conversation/understanding/lexicon.ts";
import { readMenuText } from "../../src/conversation/understanding/read-menu-text.ts";
import { createTranslator, loadLocales } from "../../src/i18n/i18n.ts";

const translate = createTranslator(loadLocales(), { strict: true });
const languages = [translate("id"), translate("en")];

/** The intake steps the rows answer, by a short name; the age clarification waits on "2". */
const CONTEXTS: Record<string, { step: IntakeStep; extra?: Partial<IntakeState>; draft?: Partial<Draft> }> = {
  danger: { step: "danger" },
  role: { step: "role" },
  category: { step: "category" },
  indicator: { step: "ind_documents" },
  place: { step: "place" },
  confirm: {
    step: "place_confirm",
    extra: {
      pendingPlace: {
        provinceCode: "21",
        regencyCode: "21.71",
        districtCode: null,
        villageCode: null,
        label: "Kota Batam, Kepulauan Riau",
      },
    },
  },
  country: { step: "country" },
  home: { step: "home_province" },
  age: { step: "victim_age" },
  age2: { step: "victim_age", extra: { pendingNumber: 2 } },
  gender: { step: "victim_gender" },
  count: { step: "victim_count" },
  story: { step: "story" },
  kept: { step: "story", draft: { story: "Adik saya dibawa ke Batam." } },
  storyCategory: { step: "category_story", draft: { storyHints: { category: "MIGRANT_WORKER_ABROAD" } } },
  storyPlace: { step: "place_story", draft: { storyHints: { place: { kind: "abroad", country: "MY" } } } },
  contact: { step: "contact" },
  number: { step: "contact_number" },
  consent: { step: "consent" },
  declined: { step: "consent_declined" },
  summary: { step: "summary" },
  edit: { step: "edit" },
};

/**
 * Realistic replies, one a line: "<question> <language> | <reply> | <expected reading>". The
 * reading is a choice id, "ask" (the age clarification), "text" (free text for the step's own
 * reader: a place, a story, a number), "fix: <words>" (a correction at a confirmation) or
 * "none" (a hint and the question again). At the menu ("menu"): "report", "status" and the other
 * intents, "story", "greeting", "thanks", "question" or "other". Any time ("command"): the command,
 * "ask <command>" when it was reached only by normalising and destroys something, or "none".
 */
const MENU_AND_COMMANDS = `
menu id | halo | greeting
menu id | halo kak | greeting
menu id | hallo | greeting
menu id | hai | greeting
menu id | P | greeting
menu id | selamat pagi | greeting
menu id | assalamualaikum | greeting
menu id | permisi kak | greeting
menu id | mau lapor | report
menu id | mau lapor kak | report
menu id | saya mau melaporkan | report
menu id | saya mau lapor soal anak saya | report
menu id | saya ingin melapor | report
menu id | mau bikin laporan | report
menu id | mau ngadu kak | other
menu id | pengaduan | report
menu id | Tolong bu anak saya | report
menu id | saya nulis sambil nangis | report
menu id | cek laporan saya | status
menu id | cek status | status
menu id | laporan saya sudah sampai mana | status
menu id | laporan saya | mine
menu id | nomor darurat | emergency
menu id | minta nomor darurat kak | emergency
menu id | hotline | emergency
menu id | bantuan | help
menu id | gimana cara lapor | help
menu id | ini layanan apa | help
menu id | privasi | privacy
menu id | ganti bahasa | language
menu id | bahasa indonesia saja | indonesian
menu id | pakai bahasa inggris | english
menu id | hapus chat ini dong | delete
menu id | makasih kak | thanks
menu id | terima kasih | thanks
menu id | kak tolong, adek sy dibawa org ke malaysia katanya kerja di restoran tp skrg hp nya diambil majikan | story
menu id | Anak saya dibawa orang ke Batam, katanya mau dipekerjakan di karaoke, sekarang tidak bisa dihubungi | story
menu id | saya mau lapor, adik saya disekap majikannya di Riyadh dan paspornya ditahan | story
menu id | apakah polisi akan tahu nama saya? | question
menu id | apakah layanan ini gratis? | question
menu id | kan udh sy bilang td kak | other
menu id | ya | other
menu id | ok | other
menu id | 123456 | other
menu en | hello | greeting
menu en | hi there | greeting
menu en | good morning | greeting
menu en | I want to report | report
menu en | report a case | report
menu en | check my report | status
menu en | emergency numbers | emergency
menu en | help | help
menu en | how does this work | help
menu en | english please | english
menu en | thanks | thanks
menu en | My sister was taken to Malaysia by an agent and they took her passport | story
menu en | is this free? | question
menu en | can the police see my name? | question
command id | hapus | delete
command id | Hapus | delete
command id | /hapus | delete
command id | hapus aja | ask delete
command id | hapus dong kak | ask delete
command id | batal | cancel
command id | batal dong | ask cancel
command id | batal aja kak | ask cancel
command id | stop dulu | ask cancel
command id | bantuan dong | help
command id | darurat kak | emergency
command id | tolong kak | emergency
command id | lapor | report
command id | status dong | status
command id | laporan saya kak | myReports
command id | bahasa indonesia saja | setLanguage
command id | privasi | privacy
command id | saya mau batal | none
command id | tolong bantu adik saya | none
command id | back | none
command en | delete | delete
command en | delete please | ask delete
command en | cancel | cancel
command en | cancel please | ask cancel
command en | help please | help
command en | english | setLanguage
`;
const ROWS = `
danger id | ya | yes
danger id | iya | yes
danger id | iyaa | yes
danger id | iyaaa kak | yes
danger id | iya kak | yes
danger id | ya kak | yes
danger id | y | yes
danger id | Ya. | yes
danger id | iya kayaknya | yes
danger id | iya sepertinya | yes
danger id | ada | yes
danger id | ada kak | yes
danger id | ada, adik saya dikurung | yes
danger id | iya bu, anak saya masih di sana | yes
danger id | betul | yes
danger id | tidak | no
danger id | tdk | no
danger id | gak | no
danger id | ga kak | no
danger id | nggak | no
danger id | engga | no
danger id | enggak kok | no
danger id | tidak ada | no
danger id | gak ada | no
danger id | ga ada kak | no
danger id | belum | no
danger id | tidak sekarang | no
danger id | ga tau kak | unsure
danger id | gak yakin | unsure
danger id | tidak yakin | unsure
danger id | tidak tahu | unsure
danger id | gatau | unsure
danger id | kurang tau | unsure
danger id | entahlah | unsure
danger id | mungkin | unsure
danger id | kayaknya | unsure
danger id | iya tapi gak yakin | unsure
danger id | lewati | unsure
danger id | hmm bagaimana ya | none
danger id | 👍 | yes
danger en | yes | yes
danger en | yeah | yes
danger en | yep | yes
danger en | yes, my sister is locked in | yes
danger en | no | no
danger en | nope | no
danger en | not now | unsure
danger en | not sure | unsure
danger en | idk | unsure
danger en | I don't know | unsure
danger en | maybe | unsure
danger en | no idea | unsure
danger en | there is no one in danger | no
danger en | skip | unsure
danger id | iya mbak | yes
danger id | iya mas | yes
danger id | iya bang | yes
danger id | iya sih | yes
danger id | iya dong | yes
danger id | ga kok | no
danger id | ga tau dek | unsure
danger id | tdk tau | unsure
danger id | blm tau | unsure
danger id | iya tp gak yakin | unsure
danger id | Tidak yakin | unsure
danger id | sdh | yes
danger en | yeah | yes
danger en | ok | yes
role id | sy kakaknya | FAMILY
role id | saya kakaknya | FAMILY
role id | kakaknya kak | FAMILY
role id | sy ibunya | FAMILY
role id | saya ibunya | FAMILY
role id | saya ibu | FAMILY
role id | ibu korban | FAMILY
role id | saya ibu dari korban | FAMILY
role id | bapaknya | FAMILY
role id | ayahnya | FAMILY
role id | saya adiknya | FAMILY
role id | adeknya | FAMILY
role id | sepupunya | FAMILY
role id | saya tantenya | FAMILY
role id | istrinya | FAMILY
role id | suaminya | FAMILY
role id | ortu | FAMILY
role id | orang tuanya | FAMILY
role id | keluarga | FAMILY
role id | keluarga korban | FAMILY
role id | kakak korban | FAMILY
role id | temennya | FRIEND
role id | temannya | FRIEND
role id | sy temennya kak | FRIEND
role id | teman kerja | FRIEND
role id | sahabatnya | FRIEND
role id | pacarnya | FRIEND
role id | tetangga | WITNESS
role id | tetangganya | WITNESS
role id | saya tetangganya | WITNESS
role id | saya lihat sendiri | WITNESS
role id | saksi | WITNESS
role id | pak rt | WITNESS
role id | gurunya | WITNESS
role id | saya sendiri | VICTIM
role id | sy sendiri | VICTIM
role id | saya sendiri kak | VICTIM
role id | saya korbannya | VICTIM
role id | aku korbannya | VICTIM
role id | korban | VICTIM
role id | dari lsm | ORGANISATION
role id | lembaga | ORGANISATION
role id | saya pendamping dari yayasan | ORGANISATION
role id | relawan | ORGANISATION
role id | serikat buruh | ORGANISATION
role id | lewati | skip
role id | ga mau bilang | skip
role id | rahasia | skip
role id | ga tau | skip
role id | 3 | FRIEND
role id | kakaknya | FAMILY
role id | temennya | FRIEND
role id | Keluarga korban | FAMILY
role id | keluarga korban kak | FAMILY
role en | myself | VICTIM
role en | me | VICTIM
role en | I am the victim | VICTIM
role en | it's me | VICTIM
role en | her mother | FAMILY
role en | I'm her sister | FAMILY
role en | my daughter | FAMILY
role en | brother | FAMILY
role en | aunt | FAMILY
role en | family | FAMILY
role en | a friend | FRIEND
role en | her friend | FRIEND
role en | coworker | FRIEND
role en | neighbour | WITNESS
role en | neighbor | WITNESS
role en | I saw it | WITNESS
role en | witness | WITNESS
role en | teacher | WITNESS
role en | NGO | ORGANISATION
role en | social worker | ORGANISATION
role en | I work for an NGO | ORGANISATION
role en | prefer not to say | skip
role en | skip | skip
category id | kerja paksa | FORCED_LABOUR
category id | dipaksa kerja | FORCED_LABOUR
category id | dipaksa kerja kak | FORCED_LABOUR
category id | gajinya tidak dibayar | FORCED_LABOUR
category id | tidak boleh pulang | FORCED_LABOUR
category id | dijual jadi psk | SEXUAL_EXPLOITATION
category id | dijadikan pemandu lagu | SEXUAL_EXPLOITATION
category id | disuruh layani tamu | SEXUAL_EXPLOITATION
category id | open bo | SEXUAL_EXPLOITATION
category id | tkw | MIGRANT_WORKER_ABROAD
category id | jadi tkw di malaysia | MIGRANT_WORKER_ABROAD
category id | kerja di luar negeri | MIGRANT_WORKER_ABROAD
category id | pmi | MIGRANT_WORKER_ABROAD
category id | anak disuruh mengemis | CHILD_EXPLOITATION
category id | pekerja anak | CHILD_EXPLOITATION
category id | dinikahkan paksa | FORCED_MARRIAGE
category id | nikah paksa | FORCED_MARRIAGE
category id | dijodohkan | FORCED_MARRIAGE
category id | kawin kontrak | FORCED_MARRIAGE
category id | terlilit utang | DEBT_BONDAGE
category id | hutang ke agen | DEBT_BONDAGE
category id | gaji dipotong terus | DEBT_BONDAGE
category id | abk kapal ikan | FISHING_VESSEL
category id | kerja di kapal | FISHING_VESSEL
category id | nelayan | FISHING_VESSEL
category id | pembantu | DOMESTIC_WORK
category id | art | DOMESTIC_WORK
category id | jadi pembantu rumah tangga | DOMESTIC_WORK
category id | jual ginjal | ORGAN_TRADE
category id | ginjalnya diambil | ORGAN_TRADE
category id | lainnya | OTHER
category id | yang lain | OTHER
category id | ga tau kak | UNSURE
category id | gak yakin | UNSURE
category id | tidak yakin | UNSURE
category id | lewati | UNSURE
category id | kerja paksa dan utang | none
category id | 6 | DEBT_BONDAGE
category en | forced labour | FORCED_LABOUR
category en | forced labor | FORCED_LABOUR
category en | they are not paid | FORCED_LABOUR
category en | prostitution | SEXUAL_EXPLOITATION
category en | forced into sex work | SEXUAL_EXPLOITATION
category en | migrant worker | MIGRANT_WORKER_ABROAD
category en | working abroad | MIGRANT_WORKER_ABROAD
category en | begging | CHILD_EXPLOITATION
category en | child marriage | FORCED_MARRIAGE
category en | married off | FORCED_MARRIAGE
category en | debt | DEBT_BONDAGE
category en | fishing boat | FISHING_VESSEL
category en | maid | DOMESTIC_WORK
category en | domestic helper | DOMESTIC_WORK
category en | kidney | ORGAN_TRADE
category en | something else | OTHER
category en | not sure | UNSURE
category en | dunno | UNSURE
indicator id | ya | yes
indicator id | iya kak | yes
indicator id | iya betul | yes
indicator id | bener | yes
indicator id | betul sekali | yes
indicator id | iya, paspornya ditahan | yes
indicator id | tidak | no
indicator id | nggak kak | no
indicator id | tidak boleh | no
indicator id | gak bisa | no
indicator id | ga tau | unknown
indicator id | tidak tahu | unknown
indicator id | kurang tau kak | unknown
indicator id | lewati | skip
indicator id | skip aja | skip
indicator id | lewati pertanyaan-pertanyaan ini | skip
indicator en | yes | yes
indicator en | correct | yes
indicator en | no | no
indicator en | not really | no
indicator en | don't know | unknown
indicator en | unsure | unknown
indicator en | skip | skip
place id | Batam | text
place id | di batam kak | text
place id | kota batam | text
place id | Kab. Bogor | text
place id | jatim | text
place id | Kupang | text
place id | ga tau kak | unknown
place id | tidak tahu | unknown
place id | gak tau | unknown
place id | belum tahu | unknown
place id | luar negeri | abroad
place id | di luar negeri | abroad
place id | di luar negeri kak | abroad
place id | pilih provinsi dari daftar | list
place id | iya betul | text
place id | bener | text
place id | iya bener | text
place id | lewati | text
place id | 2 | unknown
place id | 9 | none
place en | East Java | text
place en | abroad | abroad
place en | I don't know | unknown
place en | no idea | unknown
place en | yes | text
confirm id | ya | yes
confirm id | iya | yes
confirm id | iya betul | yes
confirm id | iya bener | yes
confirm id | bener | yes
confirm id | benar | yes
confirm id | betul kak | yes
confirm id | iya betul kak | yes
confirm id | ok | yes
confirm id | oke | yes
confirm id | sip | yes
confirm id | siap kak | yes
confirm id | udh bener | yes
confirm id | sudah benar | yes
confirm id | yoi | yes
confirm id | 👍 | yes
confirm id | 1 | yes
confirm id | Ya, benar | yes
confirm id | bukan | no
confirm id | salah | no
confirm id | tidak | no
confirm id | bkn kak | no
confirm id | bukan itu | no
confirm id | 2 | no
confirm id | bukan, di Batam | fix: di batam
confirm id | bukan kak, di Tanjung Pinang | fix: di tanjung pinang
confirm id | salah, harusnya Kota Batam | fix: kota batam
confirm id | tidak, tempatnya di Bintan | fix: di bintan
confirm id | Batam | none
confirm id | Kepulauan Riau | none
confirm id | hmm | none
confirm id | ga tau | none
confirm en | yes | yes
confirm en | yes that's right | yes
confirm en | correct | yes
confirm en | right | yes
confirm en | no | no
confirm en | wrong | no
confirm en | no, in Surabaya | fix: in surabaya
confirm en | no it's in Medan | fix: medan
country id | malaysia | MY
country id | arab saudi | SA
country id | ga tau | other
country id | lewati | other
country id | 1 | MY
country id | iya | text
country en | Saudi Arabia | SA
country en | don't know | other
home id | jawa timur | 35
home id | ntt | 53
home id | tidak tahu | unknown
home id | gak tau kak | unknown
home id | lewati | unknown
home id | bener | text
home en | East Java | 35
home en | I don't know | unknown
age id | 19 | ADULT
age id | 19 thn | ADULT
age id | 19 tahun | ADULT
age id | 15 tahun | CHILD
age id | 15 thn kak | CHILD
age id | umur 16 | CHILD
age id | umurnya 17 tahun | CHILD
age id | usia 25 | ADULT
age id | 25 | ADULT
age id | 40an | ADULT
age id | sekitar 30 tahun | ADULT
age id | 8 bulan | CHILD
age id | belasan | CHILD
age id | belasan tahun | CHILD
age id | masih SMP | CHILD
age id | masih smp kak | CHILD
age id | masih SD | CHILD
age id | kelas 2 SMA | CHILD
age id | anak | CHILD
age id | anak2 | CHILD
age id | masih kecil | CHILD
age id | remaja | CHILD
age id | di bawah umur | CHILD
age id | dibawah 18 | CHILD
age id | tujuh belas tahun | CHILD
age id | dua puluh tahun | ADULT
age id | dewasa | ADULT
age id | dewasa kak | ADULT
age id | sudah dewasa | ADULT
age id | orang dewasa | ADULT
age id | masih kuliah | ADULT
age id | ibu ibu | ADULT
age id | ada anak dan dewasa | CHILD
age id | ga tau | UNKNOWN
age id | tidak tahu kak | UNKNOWN
age id | kurang tau | UNKNOWN
age id | lewati | UNKNOWN
age id | 1 | CHILD
age id | 2 | ask
age id | 3 | ask
age id | 5 | CHILD
age id | 0 | CHILD
age id | 130 | none
age id | pilihan 2 | ADULT
age id | Anak (di bawah 18 tahun) | CHILD
age en | adults | ADULT
age en | adult | ADULT
age en | about 30 | ADULT
age en | 30 years old | ADULT
age en | 19 yo | ADULT
age en | 16 years | CHILD
age en | twenty five | ADULT
age en | teenager | CHILD
age en | still at school | CHILD
age en | a child | CHILD
age en | kids | CHILD
age en | under 18 | CHILD
age en | 18+ | ADULT
age en | over 18 | ADULT
age en | not sure | UNKNOWN
age en | skip | UNKNOWN
age en | option 2 | ADULT
age en | Seven people, some still in junior high, leave next week | CHILD
age id | krn sy ga tau | UNKNOWN
age2 id | dewasa | ADULT
age2 id | pilihan 2 | ADULT
age2 id | 2 tahun | CHILD
age2 id | umurnya 2 tahun | CHILD
age2 id | anak | CHILD
age2 id | 1 | ADULT
age2 id | 2 | CHILD
age2 en | adult | ADULT
age2 en | two years old | CHILD
gender id | cewe | FEMALE
gender id | cewek | FEMALE
gender id | cewek kak | FEMALE
gender id | cw | FEMALE
gender id | wanita | FEMALE
gender id | perempuan | FEMALE
gender id | perempuan pak | FEMALE
gender id | prempuan | FEMALE
gender id | anak perempuan | FEMALE
gender id | perempuan semua | FEMALE
gender id | P | FEMALE
gender id | cowo | MALE
gender id | cowok | MALE
gender id | pria | MALE
gender id | laki | MALE
gender id | laki-laki | MALE
gender id | laki2 | MALE
gender id | lelaki | MALE
gender id | lanang | MALE
gender id | laki laki bu | MALE
gender id | L | MALE
gender id | cewek cowok | MIXED
gender id | perempuan dan laki-laki | MIXED
gender id | ada cewek ada cowok | MIXED
gender id | campur | MIXED
gender id | dua duanya | MIXED
gender id | ga tau | UNKNOWN
gender id | tidak tahu | UNKNOWN
gender id | lewati | UNKNOWN
gender id | 1 | FEMALE
gender id | 3 | MIXED
gender en | girl | FEMALE
gender en | women | FEMALE
gender en | woman | FEMALE
gender en | female | FEMALE
gender en | she's a girl | FEMALE
gender en | boy | MALE
gender en | men | MALE
gender en | man | MALE
gender en | male | MALE
gender en | boys | MALE
gender en | both | MIXED
gender en | men and women | MIXED
gender en | boys and girls | MIXED
gender en | both women and men | MIXED
gender en | don't know | UNKNOWN
gender en | skip | UNKNOWN
gender id | yg laki2 | MALE
gender id | cewek dgn cowok | MIXED
gender id | cowok semua | MALE
gender en | Both women and men | MIXED
gender en | boy | MALE
count id | 1 org | ONE
count id | 1 orang | ONE
count id | satu | ONE
count id | cuma satu | ONE
count id | cuma 1 | ONE
count id | seorang | ONE
count id | dia sendiri | ONE
count id | sendirian | ONE
count id | 2 orang | FEW
count id | dua orang | FEW
count id | 3 orang | FEW
count id | 2-3 orang | FEW
count id | berdua | FEW
count id | bertiga | FEW
count id | beberapa | FEW
count id | beberapa orang | FEW
count id | kurang dari 5 | FEW
count id | lebih dr 5 | MANY
count id | lebih dari 5 | MANY
count id | lebih dari lima orang | MANY
count id | 5 orang lebih | MANY
count id | 10 orang | MANY
count id | 7 | MANY
count id | puluhan | MANY
count id | puluhan orang | MANY
count id | banyak | MANY
count id | banyak bgt | MANY
count id | ratusan | MANY
count id | rombongan | MANY
count id | sekitar 20 orang | MANY
count id | ga tau | UNKNOWN
count id | gak tau kak | UNKNOWN
count id | lewati | UNKNOWN
count id | 1 | ONE
count id | 2 | FEW
count id | 3 | MANY
count en | one | ONE
count en | just one | ONE
count en | only her | ONE
count en | two | FEW
count en | a few | FEW
count en | several | FEW
count en | about 30 | MANY
count en | around 50 | MANY
count en | more than 5 | MANY
count en | many | MANY
count en | dozens | MANY
count en | seven people | MANY
count en | Seven people, some still in junior high, leave next week | MANY
count en | not sure | UNKNOWN
story id | Adik saya dibawa ke Batam dan tidak boleh pulang. | text
story id | kak tolong, adek sy dibawa org ke malaysia katanya kerja di restoran tp skrg hp nya diambil majikan | text
story id | tidak tahu pasti, tapi adik saya dibawa agen | text
story id | saya nulis sambil nangis | text
story id | berangkat minggu depan | text
story id | besok dibawa | text
story id | kan udh sy bilang td kak | text
story id | lewati | skip
story id | lewati aja | skip
story id | skip | skip
story id | ga tau | text
story id | 1 | skip
story en | She left for Malaysia and they took her passport. | text
story en | skip | skip
story en | next week | text
kept id | back | keep
kept id | kembali | keep
kept id | ok | keep
kept id | sudah cukup | keep
kept id | tidak ada | keep
kept id | lewati | keep
kept id | tulis ulang dari awal | replace
kept id | Dia juga bilang paspornya diambil agen. | text
kept en | that's all, go on | keep
kept en | She is 17. | text
storyCategory id | iya | yes
storyCategory id | iya betul kak | yes
storyCategory id | bukan | no
storyCategory id | bukan, jeratan utang | fix: jeratan utang
storyCategory id | kerja paksa | text
storyCategory en | yes | yes
storyCategory en | no, let me choose | no
storyPlace id | iya | yes
storyPlace id | bener | yes
storyPlace id | bukan | no
storyPlace id | bukan, di Batam | fix: di batam
storyPlace id | Batam | none
storyPlace en | yes | yes
storyPlace en | no, in Johor | fix: in johor
contact id | iya boleh | CHAT
contact id | boleh | CHAT
contact id | iya, lewat chat ini | CHAT
contact id | boleh lewat sini | CHAT
contact id | di sini aja kak | CHAT
contact id | ya | CHAT
contact id | nomor lain | OTHER_NUMBER
contact id | ya di nomor lain | OTHER_NUMBER
contact id | boleh, tapi nomor lain | OTHER_NUMBER
contact id | 0812 3456 7890 | text
contact id | tidak | NONE
contact id | jangan | NONE
contact id | jangan hubungi saya | NONE
contact id | anonim aja | NONE
contact id | tidak usah dihubungi | NONE
contact id | gak usah | NONE
contact id | lewati | NONE
contact id | 3 | NONE
contact id | boleh deh | CHAT
contact en | yes, here | CHAT
contact en | yes | CHAT
contact en | sure | CHAT
contact en | another number | OTHER_NUMBER
contact en | no | NONE
contact en | stay anonymous | NONE
contact en | please don't contact me | NONE
contact en | +62 812 3456 7890 | text
number id | 0812-3456-7890 | text
number id | kembali | back
number id | gak jadi | back
number id | tidak | back
number en | go back | back
consent id | ya | yes
consent id | iya setuju | yes
consent id | setuju | yes
consent id | iya boleh | yes
consent id | boleh kak | yes
consent id | iya, saya setuju | yes
consent id | silakan | yes
consent id | tidak | no
consent id | tidak setuju | no
consent id | jangan | no
consent id | ga mau | no
consent id | ga tau | none
consent id | lewati | none
consent id | 1 | yes
consent en | yes | yes
consent en | I agree | yes
consent en | ok | yes
consent en | no | no
consent en | I disagree | no
consent en | not sure | none
declined id | iya | yes
declined id | ya, teruskan | yes
declined id | tidak | cancel
declined id | batalkan laporan | cancel
declined en | yes | yes
declined en | no | cancel
summary id | ya | send
summary id | iya betul | send
summary id | sudah benar | send
summary id | udah bener kak | send
summary id | kirim | send
summary id | kirim laporan | send
summary id | belum | edit
summary id | bukan | edit
summary id | ubah | edit
summary id | ubah jawaban | edit
summary id | batalkan | cancel
summary id | 1 | send
summary en | yes | send
summary en | correct | send
summary en | send | send
summary en | no | edit
summary en | change an answer | edit
edit id | tempat | place
edit id | cerita | story
edit id | korban | victim
edit id | kembali | back
edit id | tidak jadi | back
edit id | gak | back
edit en | place | place
edit en | story | story
edit en | back | back
`;

/** Every reply quoted in issue 11; each must be a row of the table. */
const QUOTED_IN_ISSUE = [
  "iya betul",
  "iya bener",
  "bener",
  "ga tau kak",
  "gak yakin",
  "sy kakaknya",
  "iya kayaknya",
  "cewe",
  "iya boleh",
  "iya setuju",
  "lebih dr 5",
  "adults",
  "about 30",
  "19",
  "19 thn",
  "15 tahun",
  "2",
  "lewati",
  "tidak tahu",
  "men",
  "Both women and men",
  "kak tolong, adek sy dibawa org ke malaysia katanya kerja di restoran tp skrg hp nya diambil majikan",
  "kan udh sy bilang td kak",
  "saya mau lapor soal anak saya",
  "mau lapor kak",
  "halo",
  "apakah polisi akan tahu nama saya?",
  "privasi",
  "Tolong bu anak saya",
  "saya nulis sambil nangis",
  "Seven people, some still in junior high, leave next week",
  "Tidak yakin",
  "back",
  "ya",
  "123456",
  "bahasa indonesia saja",
  "iya",
  "iyaa",
  "betul",
  "benar",
  "boleh",
  "setuju",
  "ok",
  "yes",
  "yeah",
  "cewek",
  "wanita",
  "perempuan",
  "girl",
  "women",
  "cowo",
  "cowok",
  "pria",
  "laki",
  "lanang",
  "boy",
  "sy ibunya",
  "kakaknya",
  "temennya",
  "tetangga",
  "saya sendiri",
  "1 org",
  "cuma satu",
  "puluhan",
  "umur 16",
  "belasan",
  "masih SMP",
  "hapus aja",
  "batal dong",
  "bukan, di Batam",
  "mau lapor",
  "saya mau melaporkan",
  "cek laporan saya",
  "nomor darurat",
  "help",
  "berangkat minggu depan",
  "besok dibawa",
  "next week",
];

type Row = { context: string; language: string; reply: string; expected: string };

const rows: Row[] = `${ROWS.trim()}\n${MENU_AND_COMMANDS.trim()}`.split("\n").map((line) => {
  const [head = "", reply = "", expected = ""] = line.split("|").map((part) => part.trim());
  const [context = "", language = ""] = head.split(" ");
  return { context, language, reply, expected };
});

function describeAnswer(answer: StepAnswer): string {
  switch (answer.kind) {
    case "choice":
      return answer.id;
    case "ageOrChoice":
      return "ask";
    case "correction":
      return `fix: ${answer.text}`;
    case "text":
      return "text";
    case "location":
      return "location";
    case "none":
      return "none";
  }
}

function read(row: Row): string {
  if (row.context === "menu") {
    const reading = readMenuText(row.reply, lexiconFor(languages));
    return reading.kind === "intent" ? reading.intent : reading.kind;
  }
  if (row.context === "command") {
    const command = readCommand(row.reply, languages);
    if (!command) return "none";
    const destructive = command.command.kind === "delete" || command.command.kind === "cancel";
    return destructive && !command.exact ? `ask ${command.command.kind}` : command.command.kind;
  }
  const context = CONTEXTS[row.context];
  if (!context) throw new Error(`unknown question ${row.context}`);
  const state: IntakeState = {
    flow: "intake",
    step: context.step,
    draft: { indicators: {}, ...context.draft },
    editing: null,
    ...context.extra,
  };
  return describeAnswer(readStepAnswer(state, { text: row.reply }, languages));
}

describe("understanding replies: the table", () => {
  it("holds at least 400 realistic replies across every question kind and both languages", () => {
    expect(rows.length).toBeGreaterThanOrEqual(400);
    for (const context of [...Object.keys(CONTEXTS), "menu", "command"]) {
      expect(
        rows.some((r) => r.context === context),
        context,
      ).toBe(true);
    }
    for (const language of ["id", "en"])
      expect(rows.filter((r) => r.language === language).length).toBeGreaterThan(100);
    for (const row of rows) expect(row.expected, row.reply).not.toBe("");
  });

  it("has a row for every reply quoted in issue 11", () => {
    const replies = new Set(rows.map((r) => r.reply));
    expect(QUOTED_IN_ISSUE.filter((quoted) => !replies.has(quoted))).toEqual([]);
  });

  it.each(rows.map((row) => [row.context, row.reply, row.expected, row] as const))(
    "%s: %j reads as %s",
    (_context, _reply, expected, row) => {
      expect(read(row)).toBe(expected);
    },
  );
});
