/* 科普大屏 kiosk player.
 *
 * Polls the screen feed with its ETag, rotates the items with their durations, and reports what
 * it played in heartbeats. The last good feed and unsent plays live in localStorage, so the player
 * keeps playing (and keeps its proof of play) while the network or the server is down.
 *
 * Rules (docs/screens.md): takeover items (red/orange warnings) interrupt at once and play alone;
 * framed items (yellow/blue warnings) play in the rotation inside a frame of their colour; an item
 * withdrawn from the feed is dropped at the next poll even mid-play; items past valid_until drop
 * out even offline. Dates on screen carry the year.
 */
(function () {
  "use strict";

  var config = JSON.parse(document.getElementById("player-config").textContent);
  var storeKey = "kepu-screen-" + config.screenId;
  var stage = document.getElementById("stage");
  var statusEl = document.getElementById("player-status");
  var clockEl = document.getElementById("player-clock");
  var progressEl = document.getElementById("player-progress");
  var bootTime = Date.now();
  var MAX_QUEUED_PLAYS = 2000;

  var state = {
    feed: null,
    etag: null,
    current: null, // the item on screen
    startedAt: null, // Date it started
    timer: null,
    plays: [], // finished plays not yet acknowledged by the server
    errors: [],
    notice: "",
  };

  // ---- storage -------------------------------------------------------------------------

  function load() {
    try {
      var saved = JSON.parse(localStorage.getItem(storeKey) || "null");
      if (saved && saved.feed && Array.isArray(saved.feed.items)) {
        state.feed = saved.feed;
        state.etag = saved.etag || null;
      }
      if (saved && Array.isArray(saved.plays)) state.plays = saved.plays.slice(-MAX_QUEUED_PLAYS);
    } catch (e) {
      recordError("storage: " + e.message);
    }
  }

  function save() {
    try {
      localStorage.setItem(storeKey, JSON.stringify({ feed: state.feed, etag: state.etag, plays: state.plays }));
    } catch (e) {
      recordError("storage: " + e.message);
    }
  }

  function recordError(message) {
    state.errors.push(String(message).slice(0, 300));
    if (state.errors.length > 20) state.errors.shift();
  }

  // ---- time ----------------------------------------------------------------------------

  function isoNow(date) {
    var d = date || new Date();
    var offset = -d.getTimezoneOffset();
    var sign = offset >= 0 ? "+" : "-";
    var pad = function (n) { return String(Math.floor(Math.abs(n))).padStart(2, "0"); };
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()) + "T" + pad(d.getHours()) + ":" +
      pad(d.getMinutes()) + ":" + pad(d.getSeconds()) + sign + pad(offset / 60) + ":" + pad(offset % 60);
  }

  function tickClock() {
    var d = new Date();
    clockEl.textContent = d.getFullYear() + "年" + (d.getMonth() + 1) + "月" + d.getDate() + "日 " +
      String(d.getHours()).padStart(2, "0") + ":" + String(d.getMinutes()).padStart(2, "0");
  }

  // ---- what to play --------------------------------------------------------------------

  function stillValid(item) {
    return !item.valid_until || new Date(item.valid_until).getTime() > Date.now();
  }

  function playable() {
    if (!state.feed) return [];
    var items = state.feed.items.filter(stillValid);
    var takeovers = items.filter(function (item) { return item.takeover; });
    return takeovers.length ? takeovers : items;
  }

  function findIndex(list, item) {
    if (!item) return -1;
    for (var i = 0; i < list.length; i++) if (list[i].id === item.id) return i;
    return -1;
  }

  function finishCurrent() {
    if (!state.current || !state.startedAt) return;
    var seconds = Math.round((Date.now() - state.startedAt.getTime()) / 1000);
    if (seconds >= 1) {
      state.plays.push({
        id: state.current.id,
        started_at: isoNow(state.startedAt),
        duration: seconds,
        takeover: !!state.current.takeover,
      });
      if (state.plays.length > MAX_QUEUED_PLAYS) state.plays.splice(0, state.plays.length - MAX_QUEUED_PLAYS);
      save();
    }
    state.current = null;
    state.startedAt = null;
  }

  function next() {
    var list = playable();
    var index = findIndex(list, state.current);
    finishCurrent();
    if (!list.length) {
      renderEmpty();
      schedule(10);
      return;
    }
    show(list[(index + 1) % list.length]);
  }

  function schedule(seconds) {
    clearTimeout(state.timer);
    state.timer = setTimeout(next, Math.max(1, seconds) * 1000);
    progressEl.style.transition = "none";
    progressEl.style.width = "0";
    void progressEl.offsetWidth; // restart the bar
    progressEl.style.transition = "width " + seconds + "s linear";
    progressEl.style.width = "100%";
  }

  function show(item) {
    state.current = item;
    state.startedAt = new Date();
    render(item);
    schedule(item.duration || 15);
  }

  // Called after every feed change: keep the current item if it may stay, otherwise move on now.
  function reconcile() {
    var list = playable();
    var index = findIndex(list, state.current);
    if (!state.current) {
      next();
    } else if (index === -1) {
      next(); // withdrawn, expired, or pre-empted by a takeover
    } else if (JSON.stringify(list[index]) !== JSON.stringify(state.current)) {
      state.current = list[index]; // edited: show the new text without restarting the slot
      render(state.current);
    }
  }

  // ---- rendering -----------------------------------------------------------------------

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function qrBlock(item) {
    var box = el("div", "item__qr");
    if (item.qr_svg) {
      // The SVG is generated by our server (segno) from the page URL: no editor markup inside.
      var holder = el("div");
      holder.innerHTML = item.qr_svg;
      box.appendChild(holder);
    }
    box.appendChild(el("div", null, "扫码阅读全文"));
    return box;
  }

  var STATUS_LABELS = { active: "生效中", upcoming: "未生效", expired: "已过期" };

  function severityOf(item) {
    return item.severity || { colour: "#c62828", text_colour: "#fff", label: "预警" };
  }

  function stepsList(item, className) {
    var steps = item.instructions && item.instructions.length ? item.instructions : [item.text];
    var list = el("ol", className);
    steps.forEach(function (step) { list.appendChild(el("li", null, step)); });
    return list;
  }

  // The window as the server wrote it ("2026年12月1日 08:00 至 …"): with the year, in local time.
  function windowText(item) {
    return item.warning && item.warning.window ? "有效时间：" + item.warning.window : "";
  }

  function renderTakeover(item) {
    var node = el("section", "item item--takeover");
    var severity = severityOf(item);
    node.style.background = severity.colour;
    node.style.color = severity.text_colour;
    node.appendChild(el("p", "takeover__level", severity.label + (item.hazard ? " · " + item.hazard : "")));
    node.appendChild(el("h1", "takeover__title", item.title));
    node.appendChild(stepsList(item, "takeover__steps"));
    var meta = [windowText(item), item.source ? "发布：" + item.source : ""].filter(Boolean).join("　");
    if (meta) node.appendChild(el("p", "takeover__source", meta));
    node.appendChild(qrBlock(item));
    return node;
  }

  // A warning that leads the rotation without taking over: the usual dark screen in a thick frame
  // of the severity colour, with a 【黄色预警·生效中】 label.
  function renderFramed(item) {
    var node = el("section", "item item--framed");
    var severity = severityOf(item);
    node.style.borderColor = severity.colour;
    var status = (item.warning && item.warning.status_label) || STATUS_LABELS[item.status] || "";
    var label = el("p", "frame__label", "【" + severity.label + (status ? "·" + status : "") + "】" +
      (item.hazard ? " " + item.hazard : ""));
    label.style.background = severity.colour;
    label.style.color = severity.text_colour;
    node.appendChild(label);
    node.appendChild(el("h1", "frame__title", item.title));
    node.appendChild(stepsList(item, "frame__steps"));
    var regions = item.warning && item.warning.regions && item.warning.regions.length
      ? "影响区域：" + item.warning.regions.join("、") : "";
    var meta = [regions, windowText(item)].filter(Boolean).join("　");
    if (meta) node.appendChild(el("p", "frame__meta", meta));
    node.appendChild(qrBlock(item));
    return node;
  }

  function renderVideo(item) {
    var node = el("section", "item item--video");
    var video = el("video", "item__video");
    video.muted = true; // autoplay is only allowed muted; screens in public spaces are silent anyway
    video.autoplay = true;
    video.playsInline = true;
    if (item.video.poster) video.poster = item.video.poster.url;
    video.src = item.video.url;
    video.addEventListener("ended", function () { if (state.current === item) next(); });
    video.addEventListener("error", function () {
      recordError("video " + item.id + ": cannot play " + item.video.url);
      if (state.current === item) schedule(5);
    });
    video.addEventListener("loadedmetadata", function () {
      // Let the whole video play when it is longer than its slot, within reason.
      if (state.current === item && isFinite(video.duration) && video.duration > item.duration) {
        schedule(Math.min(video.duration + 1, 3600) - (Date.now() - state.startedAt.getTime()) / 1000);
      }
    });
    node.appendChild(video);
    node.appendChild(el("p", "item__caption", item.title));
    node.appendChild(qrBlock(item));
    return node;
  }

  function renderItem(item) {
    var node = el("section", "item" + (item.image ? " item--with-image" : ""));
    if (item.image) {
      var img = el("img", "item__image");
      img.src = item.image.url;
      img.alt = item.image.alt || "";
      img.width = item.image.width;
      img.height = item.image.height;
      node.appendChild(img);
    }
    var text = el("div", "item__text");
    text.appendChild(el("p", "item__type", item.type_label || ""));
    text.appendChild(el("h1", "item__title", item.title));
    if (item.text) text.appendChild(el("p", "item__body", item.text));
    if (item.source) text.appendChild(el("p", "item__source", "来源：" + item.source));
    node.appendChild(text);
    node.appendChild(qrBlock(item));
    return node;
  }

  function render(item) {
    var node = item.takeover ? renderTakeover(item)
      : item.frame ? renderFramed(item)
      : item.video ? renderVideo(item)
      : renderItem(item);
    stage.replaceChildren(node);
    stage.dataset.itemId = item.id;
    stage.dataset.takeover = item.takeover ? "true" : "false";
    stage.dataset.frame = item.frame && !item.takeover ? "true" : "false";
    renderNotice();
  }

  function renderEmpty() {
    var node = el("div", "player__empty");
    node.appendChild(el("p", "player__empty-title", "科普鄂州"));
    node.appendChild(el("p", null, state.feed ? "暂无可播放的内容" : "正在连接服务器…"));
    stage.replaceChildren(node);
    stage.dataset.itemId = "";
    stage.dataset.takeover = "false";
    stage.dataset.frame = "false";
    renderNotice();
  }

  function renderNotice() {
    if (state.notice) stage.appendChild(el("p", "player__notice", state.notice));
  }

  function setOnline(online) {
    statusEl.hidden = online;
    document.body.dataset.online = online ? "true" : "false";
  }

  // Fetch pictures and posters now, so they are in the browser cache when the network drops.
  function preload(feed) {
    feed.items.forEach(function (item) {
      [item.image, item.video && item.video.poster].forEach(function (picture) {
        if (picture && picture.url) new Image().src = picture.url;
      });
    });
  }

  // ---- network -------------------------------------------------------------------------

  // The token travels in the player's HttpOnly cookie (set when its link was first opened; see
  // feeds/screens/tokens.py): this script never sees it, and same-origin fetches send it.
  function requestHeaders() {
    return {};
  }

  function refreshSeconds() {
    var seconds = state.feed && state.feed.screen && state.feed.screen.refresh_seconds;
    return Math.max(5, seconds || config.refreshSeconds || 30);
  }

  function applyFeed(feed, etag) {
    var serverVersion = feed.screen && feed.screen.player_version;
    state.feed = feed;
    state.etag = etag;
    state.notice = "";
    save();
    if (serverVersion && serverVersion !== config.playerVersion) {
      // A deploy changed the player: load the new one (once per version, in case of a stale page cache).
      if (sessionStorage.getItem(storeKey + "-reloaded") !== serverVersion) {
        sessionStorage.setItem(storeKey + "-reloaded", serverVersion);
        location.reload();
        return;
      }
    }
    preload(feed);
    reconcile();
  }

  function poll() {
    var headers = requestHeaders();
    if (state.feed && state.etag) headers["If-None-Match"] = state.etag;
    fetch(config.feedUrl, { headers: headers, cache: "no-store", credentials: "same-origin" })
      .then(function (response) {
        // 5xx: the server (or the proxy in front of a stopped app) is unavailable — that is offline.
        if (response.status >= 500) throw new Error("HTTP " + response.status);
        setOnline(true);
        if (response.status === 304) return null;
        if (response.ok) {
          var etag = response.headers.get("ETag");
          return response.json().then(function (feed) { applyFeed(feed, etag); });
        }
        return response.json().catch(function () { return {}; }).then(function (body) {
          // 401/403/404: the screen was re-keyed, disabled or removed. Say so, keep the last feed.
          state.notice = (body && body.error ? body.error : "HTTP " + response.status) + "（请联系管理员）";
          recordError("feed: HTTP " + response.status);
          reconcile();
          renderNotice();
        });
      })
      .catch(function (error) {
        setOnline(false);
        recordError("feed: " + error.message);
        reconcile(); // drop items that expired while offline
      })
      .then(function () { setTimeout(poll, refreshSeconds() * 1000); });
  }

  function heartbeat() {
    var sending = state.plays.slice(0, 500);
    var body = {
      player_version: config.playerVersion,
      uptime_seconds: Math.round((Date.now() - bootTime) / 1000),
      playing: state.current ? { id: state.current.id, started_at: isoNow(state.startedAt) } : null,
      plays: sending,
      errors: state.errors.slice(),
    };
    var headers = requestHeaders();
    headers["Content-Type"] = "application/json";
    return fetch(config.heartbeatUrl, { method: "POST", headers: headers, body: JSON.stringify(body), cache: "no-store", credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        state.plays.splice(0, sending.length);
        state.errors = [];
        save();
      })
      .catch(function (error) {
        if (state.errors[state.errors.length - 1] !== "heartbeat: " + error.message) recordError("heartbeat: " + error.message);
      });
  }

  function heartbeatLoop() {
    heartbeat().then(function () { setTimeout(heartbeatLoop, config.heartbeatSeconds * 1000); });
  }

  // ---- start ---------------------------------------------------------------------------

  tickClock();
  setInterval(tickClock, 10000);
  load();
  if (state.feed) {
    preload(state.feed);
    next();
  } else {
    renderEmpty();
  }
  poll();
  setTimeout(heartbeatLoop, 2000);
  window.kepuPlayer = state; // for operators' debugging in the browser console
})();
