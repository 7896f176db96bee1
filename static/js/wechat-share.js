/* Inside WeChat only: configure the JS-SDK so shared pages show our title, summary and picture
 * (read from the page's Open Graph tags) instead of a bare link. Does nothing in other browsers. */
(function () {
  "use strict";
  if (!/MicroMessenger/i.test(navigator.userAgent)) return;
  var script = document.currentScript;
  var configUrl = script && script.dataset.configUrl;
  function meta(property) {
    var node = document.querySelector('meta[property="' + property + '"]');
    return node ? node.getAttribute("content") : "";
  }
  var share = {
    title: meta("og:title") || document.title,
    desc: meta("og:description"),
    link: location.href.split("#")[0],
    imgUrl: meta("og:image"),
  };
  var sdk = document.createElement("script");
  sdk.src = "https://res.wx.qq.com/open/js/jweixin-1.6.0.js";
  sdk.onload = function () {
    fetch(configUrl + "?url=" + encodeURIComponent(share.link))
      .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
      .then(function (config) {
        window.wx.config({
          debug: false, appId: config.appId, timestamp: config.timestamp, nonceStr: config.nonceStr,
          signature: config.signature, jsApiList: config.jsApiList,
        });
        window.wx.ready(function () {
          window.wx.updateAppMessageShareData(share);
          window.wx.updateTimelineShareData({ title: share.title, link: share.link, imgUrl: share.imgUrl });
        });
      })
      .catch(function () { /* sharing falls back to WeChat's default card */ });
  };
  document.head.appendChild(sdk);
})();
