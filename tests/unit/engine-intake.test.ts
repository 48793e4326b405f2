import { describe, expect, it } from "vitest";
import { EngineChat, textOf } from "../support/engine-chat.ts";
import { FakeDesk } from "../support/fake-desk.ts";

const REFERENCE = /[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}/;

/** Every reply the person has seen so far, as one text. */
const seen = (chat: EngineChat) => textOf(chat.transcript);

describe("reporter intake in Indonesian", () => {
  it("asks every step in order and stores a complete report", async () => {
    const desk = new FakeDesk();
    const chat = new EngineChat({ desk });
    expect(textOf(await chat.send("halo"))).toContain("Buat laporan");
    expect(textOf(await chat.send("lapor"))).toContain("apakah ada orang yang dalam bahaya");
    expect(textOf(await chat.send("tidak"))).toContain("Siapa yang membuat laporan ini?");
    expect(textOf(await chat.send("keluarga korban"))).toContain("Apa yang sedang terjadi?");
    expect(textOf(await chat.send("kerja paksa"))).toContain("dokumen korban ditahan");
    expect(textOf(await chat.send("ya"))).toContain("bebas pergi");
    expect(textOf(await chat.send("tidak"))).toContain("utang");
    expect(textOf(await chat.send("tidak tahu"))).toContain("ditipu");
    expect(textOf(await chat.send("ya"))).toContain("Di mana hal ini terjadi?");
    expect(textOf(await chat.send("Jawa Timur"))).toContain("Tempatnya: Jawa Timur. Benar?");
    expect(textOf(await chat.send("ya"))).toContain("Berapa usia korban?");
    expect(textOf(await chat.send("anak"))).toContain("jenis kelamin");
    expect(textOf(await chat.send("perempuan"))).toContain("Berapa orang");
    expect(textOf(await chat.send("1"))).toContain("Ceritakan apa yang terjadi");
    expect(textOf(await chat.send("Adik saya dipekerjakan di pabrik dan tidak boleh pulang."))).toContain(
      "Bolehkah petugas menghubungi Anda",
    );
    expect(textOf(await chat.send("1"))).toContain("Bolehkah laporan ini kami teruskan");
    const summary = textOf(await chat.send("ya"));
    expect(summary).toContain("Mohon periksa jawaban Anda");
    expect(summary).toContain("Jawa Timur");
    expect(summary).toContain("Adik saya dipekerjakan di pabrik");
    const done = textOf(await chat.send("kirim laporan"));
    expect(done).toMatch(new RegExp(`Nomor laporan: ${REFERENCE.source}`));
    expect(done).toMatch(/PIN: \d{6}/);
    expect(done).toContain("ketik status");

    const stored = desk.only();
    expect(done).toContain(stored.reference);
    expect(done).toContain(`PIN: ${stored.pin}`);
    expect(stored.report).toMatchObject({
      urgency: "NORMAL",
      reporterRole: "FAMILY",
      category: "FORCED_LABOUR",
      indicators: { documentsHeld: "YES", freeToLeave: "NO", debt: "UNKNOWN", deceived: "YES" },
      provinceCode: "35",
      country: null,
      victimAgeGroup: "CHILD",
      victimGender: "FEMALE",
      victimCount: "ONE",
      narrative: "Adik saya dipekerjakan di pabrik dan tidak boleh pulang.",
      contactPreference: "CHAT",
      contactNumber: null,
      consentToShare: true,
      language: "id",
    });
    expect(chat.doc?.state.flow).toBe("idle");
  });
});

describe("reporter intake in English", () => {
  it("takes typed labels and English names and stores the report in English", async () => {
    const desk = new FakeDesk();
    const chat = new EngineChat({ desk, languageHint: "en" });
    expect(textOf(await chat.send("hi"))).toContain("Make a report");
    expect(textOf(await chat.send("report"))).toContain("is anyone in immediate danger");
    expect(textOf(await chat.send("no"))).toContain("Who is making this report?");
    expect(textOf(await chat.send("witness"))).toContain("What is happening?");
    expect(textOf(await chat.send("debt bondage"))).toContain("passport");
    expect(textOf(await chat.send("skip these questions"))).toContain("Where is this happening?");
    expect(textOf(await chat.send("West Java"))).toContain("The place: Jawa Barat. Is that right?");
    expect(textOf(await chat.send("yes"))).toContain("How old is the victim?");
    expect(textOf(await chat.send("adult"))).toContain("gender");
    expect(textOf(await chat.send("male"))).toContain("How many people");
    expect(textOf(await chat.send("more than 5 people"))).toContain("in your own words");
    expect(textOf(await chat.send("skip"))).toContain("May staff contact you");
    expect(textOf(await chat.send("yes, on another number"))).toContain("Type a phone number");
    expect(textOf(await chat.send("+62 812-3456-7890"))).toContain("May we pass this report");
    const summary = textOf(await chat.send("yes"));
    expect(summary).toContain("Please check your answers");
    expect(summary).toContain("(not given)");
    expect(summary).toContain("+6281234567890");
    const done = textOf(await chat.send("1"));
    expect(done).toMatch(new RegExp(`Reference: ${REFERENCE.source}`));
    expect(done).toContain("Staff will contact you on the number you gave");
    expect(desk.only().report).toMatchObject({
      reporterRole: "WITNESS",
      category: "DEBT_BONDAGE",
      indicators: {},
      provinceCode: "32",
      victimAgeGroup: "ADULT",
      victimGender: "MALE",
      victimCount: "MANY",
      narrative: null,
      contactPreference: "OTHER_NUMBER",
      contactNumber: "+6281234567890",
      language: "en",
    });
  });
});

describe("immediate danger", () => {
  it("shows emergency numbers first, marks the report URGENT and asks only the minimum", async () => {
    const desk = new FakeDesk();
    const chat = new EngineChat({ desk });
    await chat.sendAll("halo", "lapor");
    const replies = await chat.send("ya");
    expect(replies[0]?.text).toContain("112");
    expect(replies[0]?.text).toContain("129");
    expect(replies[0]?.text).toContain("08111-129-129");
    expect(textOf(replies)).toContain("MENDESAK");
    // Straight to the place: no reporter role, category or indicator questions.
    expect(replies[replies.length - 1]?.text).toContain("Di mana hal ini terjadi?");
    expect(textOf(await chat.send("bali"))).toContain("Tempatnya: Bali. Benar?");
    expect(textOf(await chat.send("ya"))).toContain("Berapa usia korban?");
    // No victim count either.
    expect(textOf(await chat.send("dewasa"))).toContain("jenis kelamin");
    expect(textOf(await chat.send("perempuan"))).toContain("Ceritakan apa yang terjadi");
    await chat.sendAll("lewati", "3", "1");
    expect(chat.lastText()).toContain("Mendesak: Ya, ada yang dalam bahaya");
    await chat.send("1");
    expect(desk.only().report).toMatchObject({
      urgency: "URGENT",
      reporterRole: "UNKNOWN",
      category: "UNSURE",
      provinceCode: "51",
      victimCount: "UNKNOWN",
      contactPreference: "NONE",
    });
  });

  it("shows the numbers when the reporter is not sure, and carries on normally", async () => {
    const chat = new EngineChat();
    await chat.sendAll("halo", "lapor");
    const replies = await chat.send("tidak yakin");
    expect(textOf(replies)).toContain("112");
    expect(replies[replies.length - 1]?.text).toContain("Siapa yang membuat laporan ini?");
  });
});

describe("anonymous tip", () => {
  it("stores no contact and tells the reporter nobody will contact them", async () => {
    const desk = new FakeDesk();
    const chat = new EngineChat({ desk, languageHint: "en" });
    await chat.sendAll("hello", "report", "no", "6", "11", "4", "unknown", "adult", "3", "4");
    expect(chat.lastText()).toContain("in your own words");
    await chat.send("Someone in my street takes girls away at night.");
    expect(chat.lastText()).toContain("May staff contact you");
    await chat.send("No, I want to stay anonymous");
    await chat.send("yes");
    expect(chat.lastText()).toContain("Contact: No, I want to stay anonymous");
    const done = textOf(await chat.send("send the report"));
    expect(done).toContain("Because you chose to stay anonymous, staff cannot reply to you");
    expect(desk.only().report).toMatchObject({
      contactPreference: "NONE",
      contactNumber: null,
      reporterRole: "UNKNOWN",
    });
  });
});

describe("editing before sending", () => {
  it("changes one part and returns to the summary with the new answer", async () => {
    const desk = new FakeDesk();
    const chat = new EngineChat({ desk });
    await chat.sendAll(
      "halo",
      "lapor",
      "tidak",
      "3",
      "2",
      "4",
      "ntb",
      "ya",
      "dewasa",
      "1",
      "1",
      "Cerita pertama.",
      "3",
      "1",
    );
    expect(chat.lastText()).toContain("Nusa Tenggara Barat");
    expect(textOf(await chat.send("ubah jawaban"))).toContain("Bagian mana yang ingin diubah?");
    expect(textOf(await chat.send("tempat"))).toContain("Di mana hal ini terjadi?");
    expect(textOf(await chat.send("sulsel"))).toContain("Tempatnya: Sulawesi Selatan. Benar?");
    const summary = textOf(await chat.send("ya"));
    expect(summary).toContain("Mohon periksa jawaban Anda");
    expect(summary).toContain("Sulawesi Selatan");
    await chat.sendAll("2", "cerita");
    // The story is shown back with keep / replace; typed text would be added to it.
    expect(chat.lastText()).toContain('Cerita Anda sudah kami catat:\n"Cerita pertama."');
    await chat.send("back");
    expect(chat.lastText()).toContain("Mohon periksa jawaban Anda");
    await chat.sendAll("2", "cerita", "tulis ulang dari awal");
    expect(chat.lastText()).toContain("Ceritakan apa yang terjadi");
    expect(textOf(await chat.send("Cerita yang sudah diperbaiki."))).toContain("Cerita yang sudah diperbaiki.");
    await chat.sendAll("2", "korban");
    await chat.sendAll("dewasa", "laki-laki", "2");
    expect(chat.lastText()).toContain("Dewasa (18 tahun ke atas), Laki-laki, 2 sampai 5 orang");
    await chat.send("1");
    expect(desk.only().report).toMatchObject({
      provinceCode: "73",
      narrative: "Cerita yang sudah diperbaiki.",
      victimAgeGroup: "ADULT",
      victimGender: "MALE",
      victimCount: "FEW",
    });
  });

  it("goes back to the summary without changes", async () => {
    const chat = new EngineChat({ languageHint: "en" });
    await chat.sendAll("hi", "report", "yes", "bali", "yes", "1", "1", "skip", "1", "1");
    await chat.sendAll("change an answer", "back to the summary");
    expect(chat.lastText()).toContain("Please check your answers");
  });
});

describe("cancelling", () => {
  it("stops the report at any step, deletes the answers and stores nothing", async () => {
    const desk = new FakeDesk();
    const chat = new EngineChat({ desk });
    await chat.sendAll("halo", "lapor", "tidak", "2", "1");
    const replies = await chat.send("batal");
    expect(textOf(replies)).toContain("laporan dibatalkan");
    expect(textOf(replies)).toContain("Buat laporan");
    expect(chat.doc?.state.flow).toBe("idle");
    expect(desk.cases).toHaveLength(0);
  });

  it("cancels from the summary in English", async () => {
    const desk = new FakeDesk();
    const chat = new EngineChat({ desk, languageHint: "en" });
    await chat.sendAll("hi", "report", "yes", "papua", "yes", "2", "1", "skip", "1", "1");
    expect(textOf(await chat.send("cancel"))).toContain("the report is cancelled");
    expect(desk.cases).toHaveLength(0);
  });

  it("declining consent explains, and lets the reporter change their mind or cancel", async () => {
    const desk = new FakeDesk();
    const chat = new EngineChat({ desk });
    await chat.sendAll("halo", "lapor", "ya", "aceh", "ya", "1", "1", "lewati", "1");
    const declined = textOf(await chat.send("tidak"));
    expect(declined).toContain("Tanpa persetujuan Anda");
    expect(declined).toContain("SAPA 129");
    expect(textOf(await chat.send("1"))).toContain("Mohon periksa jawaban Anda");
    await chat.send("1");
    expect(desk.cases).toHaveLength(1);

    const other = new EngineChat({ desk, identityId: "identity-2" });
    await other.sendAll("halo", "lapor", "ya", "aceh", "ya", "1", "1", "lewati", "1", "tidak");
    expect(textOf(await other.send("batalkan laporan"))).toContain("laporan dibatalkan");
    expect(desk.cases).toHaveLength(1);
  });
});

describe("answers the bot cannot use", () => {
  it("asks again with a hint, and adds the emergency numbers when the person seems stuck", async () => {
    const chat = new EngineChat();
    await chat.sendAll("halo", "lapor");
    const first = await chat.send("99");
    expect(first).toHaveLength(1);
    expect(first[0]?.text).toMatch(/angka 1 sampai 3[\s\S]*apakah ada orang yang dalam bahaya/);
    const second = await chat.send("hmm bagaimana ya");
    expect(second[0]?.text).toMatch(/112[\s\S]*apakah ada orang yang dalam bahaya/);
    await chat.send("tidak");
    expect(chat.lastText()).toContain("Siapa yang membuat laporan ini?");
  });

  it("rejects an unknown province and an incomplete phone number without losing earlier answers", async () => {
    const chat = new EngineChat({ languageHint: "en" });
    await chat.sendAll("hi", "report", "yes");
    const place = textOf(await chat.send("Atlantis"));
    expect(place).toContain("couldn't find that place");
    expect(chat.lastText()).toContain("Where is this happening?");
    await chat.sendAll("bali", "yes", "1", "1", "skip", "2");
    expect(textOf(await chat.send("12345"))).toContain("looks incomplete");
    expect(chat.lastText()).toContain("Type a phone number");
    await chat.send("go back and choose another way");
    expect(chat.lastText()).toContain("May staff contact you");
    expect(chat.doc?.state).toMatchObject({
      flow: "intake",
      draft: { urgency: "URGENT", place: { provinceCode: "51" } },
    });
  });

  it("answers a location pin outside the place question with a hint", async () => {
    const chat = new EngineChat();
    await chat.sendAll("halo", "lapor");
    expect(textOf(await chat.send({ latitude: -6.2, longitude: 106.8 }))).toContain("lokasi tidak diperlukan");
  });
});

describe("where it happened", () => {
  it("abroad: asks the country and the victim's home province", async () => {
    const desk = new FakeDesk();
    const chat = new EngineChat({ desk });
    await chat.sendAll("halo", "lapor", "ya");
    expect(textOf(await chat.send("luar negeri"))).toContain("Di negara mana?");
    expect(textOf(await chat.send("arab saudi"))).toContain("Dari provinsi mana korban berasal?");
    await chat.sendAll("ntt", "dewasa", "perempuan", "lewati", "1", "1");
    expect(chat.lastText()).toContain("Luar negeri: Arab Saudi (asal korban: Nusa Tenggara Timur)");
    await chat.send("1");
    expect(desk.only().report).toMatchObject({ provinceCode: null, country: "SA", homeProvinceCode: "53" });
  });

  it("a typed country goes straight to abroad; an unlisted one is kept as typed", async () => {
    const desk = new FakeDesk();
    const chat = new EngineChat({ desk, languageHint: "en" });
    await chat.sendAll("hi", "report", "yes");
    expect(textOf(await chat.send("Malaysia"))).toContain("Which province is the victim from?");
    await chat.sendAll(
      "don't know",
      "1",
      "1",
      "skip",
      "3",
      "1",
      "change an answer",
      "place",
      "abroad",
      "Narnia",
      "central java",
    );
    expect(chat.lastText()).toContain("Abroad: Narnia (victim from Jawa Tengah)");
    await chat.send("1");
    expect(desk.only().report).toMatchObject({
      country: null,
      homeProvinceCode: "33",
      placeDetail: { text: "Narnia" },
    });
  });

  it("offers the matching places when a typed name fits several provinces, and asks to confirm a single one", async () => {
    const desk = new FakeDesk();
    const chat = new EngineChat({ desk });
    await chat.sendAll("halo", "lapor", "ya");
    const banjar = await chat.send("Banjar");
    expect(banjar[0]?.text).toContain("Ada beberapa tempat yang cocok");
    expect(banjar[0]?.choices?.map((c) => c.label)).toEqual([
      "Kota Banjar, Jawa Barat",
      "Kab. Banjar, Kalimantan Selatan",
      "Tidak ada yang cocok, saya ketik lagi",
    ]);
    await chat.send("2");
    expect(chat.lastText()).toContain("Berapa usia korban?");
    expect(chat.doc?.state).toMatchObject({
      draft: { place: { kind: "province", provinceCode: "63", regencyCode: "63.03" } },
    });
    await chat.sendAll("1", "1", "lewati", "1", "1", "1");
    expect(desk.only().report).toMatchObject({ provinceCode: "63", regencyCode: "63.03" });
  });

  it("lets the person pick a regency within one province, or just the province", async () => {
    const chat = new EngineChat({ languageHint: "en" });
    await chat.sendAll("hi", "report", "yes");
    const kupang = await chat.send("Kupang");
    expect(kupang[0]?.choices?.map((c) => c.label)).toEqual([
      "Kab. Kupang, Nusa Tenggara Timur",
      "Kota Kupang, Nusa Tenggara Timur",
      "Nusa Tenggara Timur (not sure which regency or city)",
      "None of these, I'll type it again",
    ]);
    await chat.send("3");
    expect(chat.doc?.state).toMatchObject({ draft: { place: { provinceCode: "53", regencyCode: null } } });
  });

  it("asks for the regency when too many places share a name, and reads the answer together with it", async () => {
    const chat = new EngineChat();
    await chat.sendAll("halo", "lapor", "ya");
    expect(textOf(await chat.send("Desa Sidomulyo"))).toContain('Ada banyak tempat bernama "Desa Sidomulyo"');
    const narrowed = textOf(await chat.send("Kec. Wonosari, Gunungkidul"));
    expect(narrowed).toContain("Wonosari, Kab. Gunungkidul, DI Yogyakarta");
  });

  it("says when the parts contradict each other and lets the person choose", async () => {
    const chat = new EngineChat();
    await chat.sendAll("halo", "lapor", "ya");
    const replies = await chat.send("Surabaya, Jawa Tengah");
    expect(replies[0]?.text).toContain("Ada beberapa tempat yang cocok");
    expect(replies[0]?.choices?.map((c) => c.label)).toContain("Kota Surabaya, Jawa Timur");
  });

  it("starts over when the person says the confirmed place is wrong", async () => {
    const chat = new EngineChat();
    await chat.sendAll("halo", "lapor", "ya", "kab bogor");
    expect(chat.lastText()).toContain("Tempatnya: Kab. Bogor, Jawa Barat. Benar?");
    expect(textOf(await chat.send("bukan"))).toContain("Di mana hal ini terjadi?");
    await chat.sendAll("pilih provinsi dari daftar", "Bali");
    expect(chat.doc?.state).toMatchObject({ step: "victim_age", draft: { place: { provinceCode: "51" } } });
  });

  it("resolves a location pin and asks to confirm it; a pin abroad or at sea is handled", async () => {
    const desk = new FakeDesk();
    const chat = new EngineChat({ desk });
    await chat.sendAll("halo", "lapor", "ya");
    const replies = await chat.send({ latitude: -7.25, longitude: 112.75 });
    expect(textOf(replies)).toMatch(/Tempatnya: .*Jawa Timur\. Benar\?/);
    await chat.sendAll("ya", "1", "1", "lewati", "1", "1", "1");
    expect(desk.only().report).toMatchObject({
      provinceCode: "35",
      placeDetail: { latitude: -7.25, longitude: 112.75 },
    });
    const abroad = new EngineChat({ desk, identityId: "abroad" });
    await abroad.sendAll("halo", "lapor", "ya");
    expect(textOf(await abroad.send({ latitude: 3.139, longitude: 101.687 }))).toContain(
      "Dari provinsi mana korban berasal?",
    );
    expect(abroad.doc?.state).toMatchObject({ draft: { place: { kind: "abroad", country: "MY" } } });
    // Far out in the Indian Ocean is abroad too: the person is asked which country.
    const sea = new EngineChat({ desk, identityId: "sea" });
    await sea.sendAll("halo", "lapor", "ya");
    expect(textOf(await sea.send({ latitude: -20, longitude: 90 }))).toContain("Di negara mana?");
    expect(sea.doc?.state).toMatchObject({ draft: { place: { kind: "abroad", country: null, countryText: null } } });
  });

  it("offers both sides of a provincial border for a pin close to it, the place found first", async () => {
    const desk = new FakeDesk();
    const chat = new EngineChat({ desk });
    await chat.sendAll("halo", "lapor", "ya");
    // Between Jagakarsa (Jakarta Selatan) and Depok (Jawa Barat).
    const replies = textOf(await chat.send({ latitude: -6.37, longitude: 106.83 }));
    expect(replies).toContain("dekat perbatasan dua provinsi");
    expect(replies).toMatch(/1\) Kota Depok, Jawa Barat\n +2\) Kota Adm\. Jakarta Selatan, DKI Jakarta/);
    await chat.send("2");
    expect(chat.doc?.state).toMatchObject({
      step: "victim_age",
      draft: { place: { kind: "province", provinceCode: "31", regencyCode: "31.74" } },
    });
  });

  it("keeps the name of a country the intake does not list for a pin there, without asking again", async () => {
    const chat = new EngineChat();
    await chat.sendAll("halo", "lapor", "ya");
    expect(textOf(await chat.send({ latitude: 37.98, longitude: 23.73 }))).toContain(
      "Dari provinsi mana korban berasal?",
    );
    expect(chat.doc?.state).toMatchObject({
      draft: { place: { kind: "abroad", country: null, countryText: "Greece" } },
    });
  });

  it('accepts "don\'t know"', async () => {
    const desk = new FakeDesk();
    const chat = new EngineChat({ desk });
    await chat.sendAll("halo", "lapor", "ya", "tidak tahu", "1", "1", "lewati", "1", "1", "1");
    // Nothing to act on yet: asked once for a place, a story or a sign, then sent as it is.
    expect(chat.lastText()).toContain("Bisa ceritakan sedikit apa yang terjadi?");
    await chat.send("1");
    expect(desk.only().report).toMatchObject({ provinceCode: null, country: null });
  });
});

describe("commands at any step", () => {
  it("switches language in the middle of a report and asks the same question again", async () => {
    const chat = new EngineChat();
    await chat.sendAll("halo", "lapor", "tidak");
    expect(chat.lastText()).toContain("Siapa yang membuat laporan ini?");
    const english = await chat.send("english");
    expect(textOf(english)).toContain("we'll continue in English");
    expect(english[english.length - 1]?.text).toContain("Who is making this report?");
    const prompt = await chat.send("bahasa");
    expect(prompt[0]?.choices?.map((c) => c.label)).toEqual(["Bahasa Indonesia", "English"]);
    const back = await chat.send("1");
    expect(back[back.length - 1]?.text).toContain("Siapa yang membuat laporan ini?");
    await chat.send("2");
    expect(chat.doc?.state).toMatchObject({ flow: "intake", step: "category", draft: { reporterRole: "FAMILY" } });
  });

  it("help and emergency numbers keep the report where it was", async () => {
    const chat = new EngineChat({ languageHint: "en" });
    await chat.sendAll("hi", "report", "no", "1");
    const help = await chat.send("help");
    expect(help[0]?.text).toMatch(/cancel – stop the report[\s\S]*What is happening\?/);
    const emergency = await chat.send("/emergency");
    expect(emergency[0]?.text).toMatch(/Police: 110[\s\S]*What is happening\?/);
    const menu = await chat.send("menu");
    expect(menu[0]?.text).toContain("not finished yet");
    expect(chat.doc?.state).toMatchObject({ flow: "intake", step: "category", draft: { reporterRole: "VICTIM" } });
  });

  it("limits a chat to the configured number of reports a day", async () => {
    const desk = new FakeDesk();
    const chat = new EngineChat({ desk, settings: { maxReportsPerDay: 2 } });
    for (let i = 0; i < 2; i++) await chat.sendAll("lapor", "ya", "bali", "ya", "1", "1", "lewati", "3", "1", "1");
    expect(desk.cases).toHaveLength(2);
    const refused = textOf(await chat.send("lapor"));
    expect(refused).toContain("sudah ada 2 laporan dalam 24 jam terakhir");
    expect(refused).toContain("SAPA 129");
    expect(chat.doc?.state.flow).toBe("idle");
  });

  it("deletes the unfinished answers with hapus and tells the person how to clear their phone", async () => {
    const chat = new EngineChat();
    await chat.sendAll("halo", "lapor", "tidak", "1");
    const replies = await chat.send("hapus");
    expect(textOf(replies)).toContain("bersihkan chat");
    expect(chat.doc?.state).toEqual({ flow: "idle" });
  });
});

describe("an abandoned conversation", () => {
  it("expires after the configured time and says so gently when the person returns", async () => {
    const desk = new FakeDesk();
    const chat = new EngineChat({ desk, settings: { conversationTtlMs: 60 * 60_000 } });
    await chat.sendAll("halo", "lapor", "tidak", "2");
    chat.now = new Date(chat.now.getTime() + 2 * 60 * 60_000);
    const replies = await chat.send("3");
    expect(replies[0]?.text).toContain("Selamat datang kembali");
    expect(replies[0]?.text).toContain("Tidak ada yang terkirim");
    expect(textOf(replies)).toContain("Buat laporan");
    expect(chat.doc?.state.flow).toBe("idle");
    expect(desk.cases).toHaveLength(0);
  });

  it("resumes where it was before the expiry time", async () => {
    const chat = new EngineChat({ settings: { conversationTtlMs: 60 * 60_000 } });
    await chat.sendAll("halo", "lapor", "tidak");
    chat.now = new Date(chat.now.getTime() + 30 * 60_000);
    expect(textOf(await chat.send("2"))).toContain("Apa yang sedang terjadi?");
  });
});

describe("what a lock screen could show", () => {
  it("never starts a message with trafficking words or a reference", async () => {
    const desk = new FakeDesk();
    const chat = new EngineChat({ desk });
    await chat.sendAll(
      "halo",
      "lapor",
      "tidak",
      "1",
      "2",
      "1",
      "1",
      "1",
      "1",
      "jabar",
      "1",
      "1",
      "1",
      "1",
      "cerita",
      "1",
      "1",
      "1",
    );
    await chat.sendAll(
      "status",
      desk.only().reference,
      desk.only().pin,
      "bantuan",
      "darurat",
      "english",
      "help",
      "report",
    );
    const firstLines = chat.transcript.map((m) => m.text.split("\n")[0] ?? "");
    for (const line of firstLines) {
      expect(line).not.toMatch(/trafficking|perdagangan orang|TPPO|eksploitasi|exploitation/i);
      expect(line).not.toMatch(REFERENCE);
    }
    expect(seen(chat)).toContain(desk.only().reference);
  });
});
