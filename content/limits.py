"""Limits that protect the site from hostile or accidental input: one home for every number.

Each limit is refused with a Chinese message where the input arrives (import, admin forms, the
heartbeat, the WeChat callback, the JS-SDK config), never by a 500 further down. docs/security.md ("Limits and hostile input") lists them with what a
client gets; change both together.

Why these values: the demo's longest body is under 2 KB and its longest transcript under 1.1 KB,
a one-hour narration is about 15,000 characters (45 KB of UTF-8), and a page with more topics than
fit on a phone screen helps nobody. Ten times the realistic maximum, so editors never meet them.
"""

# --- content fields (import and admin) ---------------------------------------------------------
MAX_TITLE_LENGTH = 255  # characters; Page.title's column
MAX_SUMMARY_LENGTH = 300  # characters
MAX_TOPICS_PER_ITEM = 20  # tags on one page; 1,000 made listings and feeds answer 500 on SQLite
MAX_TOPIC_LENGTH = 50  # characters per topic
MAX_AUDIENCES_PER_ITEM = 10  # entries in an import line's list (there are five audiences)
MAX_REGIONS_PER_ITEM = 10  # entries in an import line's list (there are five regions)
MAX_BODY_BYTES = 200 * 1024  # UTF-8 bytes of body HTML (import) or of the body's stored JSON (admin)
MAX_TRANSCRIPT_BYTES = 100 * 1024  # UTF-8 bytes
MAX_INSTRUCTIONS_LENGTH = 2_000  # characters
MAX_DURATION_SECONDS = 24 * 3600  # a video longer than a day is a typo (or 10^20)
# Earliest and latest year accepted for any imported date: far enough for history, and every value
# stays representable in UTC after any offset (0001-01-01T00:00+14:00 would not).
MIN_YEAR = 1900
MAX_YEAR = 2200

# --- import file -------------------------------------------------------------------------------
MAX_IMPORT_LINE_BYTES = 2 * 1024 * 1024  # one JSONL line (a full body and transcript fit, escaped)
MAX_JSON_DEPTH = 10  # nesting of arrays/objects in one line; a valid line needs 2

# --- request bodies and parameters -------------------------------------------------------------
MAX_HEARTBEAT_BYTES = 64 * 1024  # POST /api/v1/screens/<id>/heartbeat
MAX_WECHAT_CALLBACK_BYTES = 64 * 1024  # POST /wechat/callback (WeChat's own messages are < 2 KB)
MAX_JSSDK_URL_LENGTH = 2_000  # ?url= of /api/v1/wechat/jssdk-config

# --- search indexing ---------------------------------------------------------------------------
# Only the first N characters of each text field are analysed for the index (title, summary, body,
# transcript, instructions): analysis time grows with the text, and a multi-megabyte field held the
# database for minutes. Pages stay whole on the site; words after the cap are simply not searchable.
MAX_INDEXED_FIELD_CHARS = 50_000
