/* 朗读 (read-aloud) for articles and warnings, with the browser's speech synthesis in zh-CN.
 * The controls are rendered hidden (templates/components/read_aloud.html) and shown here, so
 * without JavaScript the page is simply the text. Where the device has no speechSynthesis or no
 * Chinese voice the button says 本机不支持朗读 and is disabled — it never fails silently. */
(function () {
  var box = document.querySelector("[data-read-aloud]");
  if (!box) return;
  var play = box.querySelector("[data-read-aloud-play]");
  var stop = box.querySelector("[data-read-aloud-stop]");
  var status = box.querySelector("[data-read-aloud-status]");
  var synth = window.speechSynthesis;
  var voice = null, state = "idle", queued = 0, run = 0;
  box.hidden = false;

  function chineseVoice() {
    var voices = [], best = null;
    try { voices = synth.getVoices() || []; } catch (e) {}
    for (var i = 0; i < voices.length; i++) {
      var lang = String(voices[i].lang || "").replace("_", "-").toLowerCase();
      if (lang === "zh-cn" || lang === "cmn-cn" || lang === "zh-hans-cn") return voices[i];
      if (!best && /^(zh|cmn)(-|$)/.test(lang) && lang !== "zh-hk") best = voices[i];
    }
    return best;
  }

  function show(next, message) {
    state = next;
    play.textContent = { idle: "朗读", speaking: "暂停", paused: "继续", unsupported: "本机不支持朗读", checking: "朗读" }[next];
    play.disabled = next === "unsupported" || next === "checking";
    stop.hidden = !(next === "speaking" || next === "paused");
    status.textContent = message || "";
  }

  function unsupported() { show("unsupported", "这台设备或浏览器没有中文语音，暂时不能朗读。"); }

  // The text to read: the elements named by data-read-aloud, in order, as sentences of at most
  // ~180 characters (some engines stop in the middle of a long utterance).
  function chunks() {
    var parts = [];
    box.getAttribute("data-read-aloud").split(",").forEach(function (selector) {
      var el = document.querySelector(selector.trim());
      if (el) parts.push(el.innerText.replace(/\s+/g, " ").trim());
    });
    var sentences = parts.join("。\n").match(/[^。！？!?；;\n]+[。！？!?；;\n]*/g) || [];
    var out = [], current = "";
    sentences.forEach(function (s) {
      s = s.trim();
      if (!s) return;
      if (current && (current + s).length > 180) { out.push(current); current = ""; }
      current += s;
    });
    if (current) out.push(current);
    return out;
  }

  function speak() {
    var texts = chunks(), mine = ++run;
    synth.cancel();
    queued = texts.length;
    if (!queued) return;
    show("speaking", "正在朗读");
    texts.forEach(function (text) {
      var u = new SpeechSynthesisUtterance(text);
      u.lang = "zh-CN";
      try { u.voice = voice; } catch (e) {}
      u.rate = 0.9;
      u.onend = function () { if (mine === run && --queued <= 0) show("idle", "朗读完毕"); };
      u.onerror = function (event) {
        if (mine !== run || (event && (event.error === "canceled" || event.error === "interrupted"))) return;
        run++;
        show("idle", "朗读出错了，请再试一次。");
      };
      synth.speak(u);
    });
  }

  if (!synth || typeof window.SpeechSynthesisUtterance !== "function") { unsupported(); return; }

  function ready() {
    var found = chineseVoice();
    if (found) { voice = found; if (state === "checking" || state === "unsupported") show("idle"); }
    return !!found;
  }
  show("checking", "");
  if (!ready()) {
    // Voices often load after the page: wait for voiceschanged, and give up after a moment.
    if (synth.addEventListener) synth.addEventListener("voiceschanged", ready);
    else synth.onvoiceschanged = ready;
    setTimeout(function () { if (!voice) unsupported(); }, 1500);
  }

  play.addEventListener("click", function () {
    if (state === "idle") speak();
    else if (state === "speaking") { synth.pause(); show("paused", "已暂停"); }
    else if (state === "paused") { synth.resume(); show("speaking", "正在朗读"); }
  });
  stop.addEventListener("click", function () { run++; synth.cancel(); show("idle", "已停止"); play.focus(); });
  window.addEventListener("pagehide", function () { run++; synth.cancel(); });
})();
