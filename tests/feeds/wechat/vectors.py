"""Published WeChat test vectors, each with where it comes from.

Every value below was checked independently of our own crypto code, with ``hashlib`` and the
``cryptography`` package, following the algorithm in WeChat's documentation; ``test_fake_server.py``
repeats those checks, so a typo in this file fails the suite. The algorithms:

* plain-mode callback signature: ``sha1("".join(sorted([token, timestamp, nonce])))``
  (公众号 "接入概述" / Access_Overview);
* safe-mode (安全模式) message signature: ``sha1("".join(sorted([token, timestamp, nonce, Encrypt])))``;
* safe-mode body: ``key = b64decode(EncodingAESKey + "=")`` (32 bytes), AES-256-CBC with ``iv = key[:16]``,
  plaintext = 16 random bytes + 4-byte big-endian length of the XML + XML (UTF-8) + AppID, padded PKCS#7
  style to a multiple of **32** bytes (not AES's 16), then base64 (消息加解密 "技术方案");
* JS-SDK: ``sha1("jsapi_ticket=…&noncestr=…&timestamp=…&url=…")`` with keys sorted and values raw
  (JS-SDK 说明文档 附录1).

Not found / not verified (so not here): a safe-mode vector whose AppID is the account our tests use;
the msg_signature for the Java sample's deterministic ciphertexts (its test computes them at run time,
no value is published); the exact wording of WeChat's documentation pages themselves for the AES
samples — the values come from WeChat's official sample code as reproduced in public repositories.
"""

# --- 1. Plain-mode (明文模式) callback signature ------------------------------------------------------
# Source: the wechatpy test suite (tests/test_utils.py, ``test_check_signature_should_ok``), copied by
# many SDKs; WeChat's own page (https://developers.weixin.qq.com/doc/offiaccount/Basic_Information/Access_Overview.html)
# documents the algorithm but prints no worked example. Verified: sha1(sorted join) gives the signature.
PLAIN_TOKEN = "test"
PLAIN_TIMESTAMP = "1410685589"
PLAIN_NONCE = "test"
PLAIN_SIGNATURE = "f21891de399b4e33a1a93c9a7b8a8fffb5a443ff"

# --- 2. JS-SDK config signature -----------------------------------------------------------------------
# Source: WeChat JS-SDK documentation, 附录1 "JS-SDK使用权限签名算法"
# (https://developers.weixin.qq.com/doc/offiaccount/OA_Web_Apps/JS-SDK.html, appendix 1; read via the
# mirrors bookstack.cn/read/wechat-js-sdk/ch16.md and 51cto.com/article/465932.html, which print the
# same example). Verified: sha1 of JSAPI_STRING1 gives JSAPI_SIGNATURE.
JSAPI_TICKET = "sM4AOVdWfPE4DxkXGEs8VMCPGGVi4C3VM0P37wVUCFvkVAy_90u5h9nbSlYy3-Sl-HhTdfl2fzFy1AOcHKP7qg"
JSAPI_NONCESTR = "Wm3WZYTPz0wzccnW"
JSAPI_TIMESTAMP = "1414587457"
JSAPI_URL = "http://mp.weixin.qq.com?params=value"
JSAPI_STRING1 = (
    f"jsapi_ticket={JSAPI_TICKET}&noncestr={JSAPI_NONCESTR}&timestamp={JSAPI_TIMESTAMP}&url={JSAPI_URL}"
)
JSAPI_SIGNATURE = "0f9de62fce790f9a083d5c99e95740ceb90c27ed"

# --- 3. Safe-mode (安全模式, AES) message from the 公众号 official sample --------------------------------
# Source: WeChat's official 公众平台 message-encryption sample code, Python version (Sample.py, the
# "测试解密接口" block), downloadable from 消息加解密说明
# (https://developers.weixin.qq.com/doc/offiaccount/Message_Management/Message_encryption_and_decryption_instructions.html);
# the same numbers appear in the PHP/Node/Go ports of that sample and in wechatpy's tests.
# Verified: msg_signature over (token, timestamp, nonce, Encrypt); AES decryption yields AES_PLAINTEXT_XML,
# AppID wx2c2769f8efd9abc2, 16-byte random prefix AES_RANDOM_PREFIX; re-encrypting with that prefix gives
# AES_ENCRYPT back byte for byte.
AES_ENCODING_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
AES_TOKEN = "spamtest"
AES_APPID = "wx2c2769f8efd9abc2"
AES_TIMESTAMP = "1409735669"
AES_NONCE = "1320562132"
AES_MSG_SIGNATURE = "5d197aaffba7e9b25a30732f161a50dee96bd5fa"
# In safe mode WeChat also sends the plain ``signature`` (over token, timestamp, nonce only). Not printed
# in the sample; derived here and verified with the plain algorithm (third-party tests use the same value).
AES_PLAIN_SIGNATURE = "16120ec1b8dbb870f510d87ce6bc2463eae6ca1a"
AES_ENCRYPT = (
    "hyzAe4OzmOMbd6TvGdIOO6uBmdJoD0Fk53REIHvxYtJlE2B655HuD0m8KUePWB3+LrPXo87wzQ1QLvbeUgmBM4x6F8PGHQHFVAFmOD2LdJF9"
    "FrXpbUAh0B5GIItb52sn896wVsMSHGuPE328HnRGBcrS7C41IzDWyWNlZkyyXwon8T332jisa+h6tEDYsVticbSnyU8dKOIbgU6ux5VTjg3y"
    "t+WGzjlpKn6NPhRjpA912xMezR4kw6KWwMrCVKSVCZciVGCgavjIQ6X8tCOp3yZbGpy0VxpAe+77TszTfRd5RJSVO/HTnifJpXgCSUdUue1v"
    "6h0EIBYYI1BD1DlD+C0CR8e6OewpusjZ4uBl9FyJvnhvQl+q5rv1ixrcpCumEPo5MJSgM9ehVsNPfUM669WuMyVWQLCzpu9GhglF2PE="
)
# The POST body exactly as the sample gives it (compatibility-mode shape: plain fields plus <Encrypt>).
AES_POST_XML = (
    "<xml><ToUserName><![CDATA[gh_10f6c3c3ac5a]]></ToUserName>"
    "<FromUserName><![CDATA[oyORnuP8q7ou2gfYjqLzSIWZf0rs]]></FromUserName>"
    "<CreateTime>1409735668</CreateTime><MsgType><![CDATA[text]]></MsgType>"
    "<Content><![CDATA[abcdteT]]></Content><MsgId>6054768590064713728</MsgId>"
    f"<Encrypt><![CDATA[{AES_ENCRYPT}]]></Encrypt></xml>"
)
# What decrypting AES_ENCRYPT yields (note the newlines between elements: they are in the ciphertext).
AES_PLAINTEXT_XML = (
    "<xml><ToUserName><![CDATA[gh_10f6c3c3ac5a]]></ToUserName>\n"
    "<FromUserName><![CDATA[oyORnuP8q7ou2gfYjqLzSIWZf0rs]]></FromUserName>\n"
    "<CreateTime>1409735668</CreateTime>\n"
    "<MsgType><![CDATA[text]]></MsgType>\n"
    "<Content><![CDATA[abcdteT]]></Content>\n"
    "<MsgId>6054768590064713728</MsgId>\n"
    "</xml>"
)
AES_RANDOM_PREFIX = b"89465c840c5f116f"

# --- 4. Deterministic encryption from the official Java sample ------------------------------------------
# Source: WXBizMsgCryptTest.java in WeChat's official 公众平台 Java sample (package com.qq.weixin.mp.aes),
# reproduced verbatim in many repositories (e.g. Wyl015/wuyiling
# work-test/src/main/resources/Utils/aes/WXBizMsgCryptTest.java, jfinal-weixin's WXBizMsgCryptTest).
# The test fixes the 16-byte random prefix, so encryption is reproducible. Verified: encrypting each reply
# with JAVA_RANDOM_PREFIX and JAVA_APPID under JAVA_ENCODING_KEY gives the expected ciphertext exactly
# (this covers UTF-8 length counting: the replies contain Chinese).
JAVA_ENCODING_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
JAVA_TOKEN = "pamtest"
JAVA_APPID = "wxb11529c136998cb6"
JAVA_TIMESTAMP = "1409304348"
JAVA_NONCE = "xxxxxx"
JAVA_RANDOM_PREFIX = b"aaaabbbbccccdddd"
JAVA_REPLY = "我是中文abcd123"
JAVA_REPLY_ENCRYPTED = (
    "jn1L23DB+6ELqJ+6bruv21Y6MD7KeIfP82D6gU39rmkgczbWwt5+3bnyg5K55bgVtVzd832WzZGMhkP72vVOfg=="
)
JAVA_REPLY2 = (
    "<xml><ToUserName><![CDATA[oia2Tj我是中文jewbmiOUlr6X-1crbLOvLw]]></ToUserName>"
    "<FromUserName><![CDATA[gh_7f083739789a]]></FromUserName><CreateTime>1407743423</CreateTime>"
    "<MsgType><![CDATA[video]]></MsgType><Video>"
    "<MediaId><![CDATA[eYJ1MbwPRJtOvIEabaxHs7TX2D-HV71s79GUxqdUkjm6Gs2Ed1KF3ulAOA9H1xG0]]></MediaId>"
    "<Title><![CDATA[testCallBackReplyVideo]]></Title>"
    "<Description><![CDATA[testCallBackReplyVideo]]></Description></Video></xml>"
)
JAVA_REPLY2_ENCRYPTED = (
    "jn1L23DB+6ELqJ+6bruv23M2GmYfkv0xBh2h+XTBOKVKcgDFHle6gqcZ1cZrk3e1qjPQ1F4RsLWzQRG9udbKWesxlkupqcEcW7ZQweImX9+w"
    "LMa0GaUzpkycA8+IamDBxn5loLgZpnS7fVAbExOkK5DYHBmv5tptA9tklE/fTIILHR8HLXa5nQvFb3tYPKAlHF3rtTeayNf0QuM+UW/wM9en"
    "GIDIJHF7CLHiDNAYxr+r+OrJCmPQyTy8cVWlu9iSvOHPT/77bZqJucQHQ04sq7KZI27OcqpQNSto2OdHCoTccjggX5Z9Mma0nMJBU+jLKJ38"
    "YB1fBIz+vBzsYjrTmFQ44YfeEuZ+xRTQwr92vhA9OxchWVINGC50qE/6lmkwWTwGX9wtQpsJKhP+oS7rvTY8+VdzETdfakjkwQ5/Xka042Ol"
    "Ub1/slTwo4RscuQ+RdxSGvDahxAJ6+EAjLt9d8igHngxIbf6YyqqROxuxqIeIch3CssH/LqRs+iAcILvApYZckqmA7FNERspKA5f8GoJ9sv8"
    "xmGvZ9Yrf57cExWtnX8aCMMaBropU/1k+hKP5LVdzbWCG0hGwx/dQudYR/eXp3P0XxjlFiy+9DMlaFExWUZQDajPkdPrEeOwofJb"
)

# --- 5. WeCom (企业微信) vectors: same algorithm, the receiver id is the CorpID ---------------------------
# Source: the comments of WeCom's official WXBizMsgCrypt sample code (Sample.py / Sample.php / Sample.cs,
# "使用示例一：验证回调URL" and "使用示例二：对用户回复的消息解密"), reproduced in many repositories
# (and EasyWeChat's tests). Not an official-account vector, but an independent second check of the same
# cipher. Verified: both signatures; decryption yields WECOM_ECHOSTR_PLAIN and WECOM_PLAINTEXT_XML, receiver
# id wx5823bf96d3bd56c7.
WECOM_ENCODING_KEY = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"
WECOM_TOKEN = "QDG6eK"
WECOM_CORPID = "wx5823bf96d3bd56c7"
WECOM_VERIFY_TIMESTAMP = "1409659589"
WECOM_VERIFY_NONCE = "263014780"
WECOM_VERIFY_ECHOSTR = (
    "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ=="
)
WECOM_VERIFY_MSG_SIGNATURE = "5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3"
WECOM_ECHOSTR_PLAIN = "1616140317555161061"
WECOM_TIMESTAMP = "1409659813"
WECOM_NONCE = "1372623149"
WECOM_MSG_SIGNATURE = "477715d11cdb4164915debcba66cb864d751f3e6"
WECOM_ENCRYPT = (
    "RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvu"
    "JTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwG"
    "c2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9"
    "EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0"
    "lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q=="
)
WECOM_PLAINTEXT_XML = (
    "<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName>\n"
    "<FromUserName><![CDATA[mycreate]]></FromUserName>\n"
    "<CreateTime>1409659813</CreateTime>\n"
    "<MsgType><![CDATA[text]]></MsgType>\n"
    "<Content><![CDATA[hello]]></Content>\n"
    "<MsgId>4561255354251345929</MsgId>\n"
    "<AgentID>218</AgentID>\n"
    "</xml>"
)
