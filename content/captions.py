"""WebVTT captions built from a video's transcript (pure: text in, text out).

The transcript has no timings, so the cues are its sentences spread over the video's duration in
proportion to their length (a narrator reads at a steady pace); without a duration the cues run at
``DEFAULT_CHARS_PER_SECOND``, an ordinary Mandarin narration pace. Cue text is plain text: ``&``,
``<`` and ``>`` are escaped, control characters dropped, and a cue never contains a blank line or
the ``-->`` arrow, so no transcript can break the file or inject markup into the player.
"""

import re

DEFAULT_CHARS_PER_SECOND = 4.0
MAX_CUE_CHARS = 40  # about two lines of Chinese on a phone-width player
MIN_CUE_MS = 800  # no cue flashes by faster than this, whatever the duration says

# A sentence ends after 。！？!?；; or … (with any closing quotes); a line break ends one too.
_SENTENCE_END = re.compile(r"(?<=[。！？!?；;…])[”’」』）)\"']*")
_CLAUSE_END = re.compile(r"(?<=[，,、：:])")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def captions_vtt_build(transcript: str, duration_seconds: int | None) -> str:
    """The WebVTT file for a transcript; ``""`` when the transcript has no text."""
    cues = transcript_cues(transcript)
    if not cues:
        return ""
    weights = [len(cue) for cue in cues]
    total_ms = (
        int(duration_seconds * 1000)
        if duration_seconds
        else round(sum(weights) / DEFAULT_CHARS_PER_SECOND * 1000)
    )
    total_ms = max(total_ms, MIN_CUE_MS * len(cues))
    lines = ["WEBVTT", ""]
    start, done = 0, 0
    for number, (cue, weight) in enumerate(zip(cues, weights, strict=True), start=1):
        done += weight
        end = max(round(total_ms * done / sum(weights)), start + MIN_CUE_MS)
        lines += [str(number), f"{_timestamp(start)} --> {_timestamp(end)}", _escape(cue), ""]
        start = end
    return "\n".join(lines)


def transcript_cues(transcript: str) -> list[str]:
    """The transcript cut into sentences; a sentence longer than ``MAX_CUE_CHARS`` is cut further
    at commas, then at ``MAX_CUE_CHARS``."""
    text = _CONTROL.sub("", transcript or "").replace("-->", "→")
    cues = []
    for line in text.splitlines():
        for sentence in _SENTENCE_END.split(line):
            for piece in _fit(" ".join(sentence.split())):
                if piece:
                    cues.append(piece)
    return cues


def _fit(sentence: str) -> list[str]:
    if len(sentence) <= MAX_CUE_CHARS:
        return [sentence.strip()]
    pieces, current = [], ""
    for clause in _CLAUSE_END.split(sentence):
        while len(clause) > MAX_CUE_CHARS:
            pieces += [current, clause[:MAX_CUE_CHARS]] if current else [clause[:MAX_CUE_CHARS]]
            current, clause = "", clause[MAX_CUE_CHARS:]
        if len(current) + len(clause) > MAX_CUE_CHARS:
            pieces.append(current)
            current = ""
        current += clause
    pieces.append(current)
    return [p.strip() for p in pieces if p.strip()]


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _timestamp(ms: int) -> str:
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}.{millis:03d}"
