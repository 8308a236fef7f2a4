"""Who said what in an article: interview answers and reported speech, as exact spans of the body.

No database here. The output is a list of ``StatementDraft``: the span of the body that holds the
words (so a citation can quote it exactly), the question it answered, and the words that name the
speaker as printed (resolved against officials later, in ``importers.matching``).

Two shapes are recognised:

- **Interviews** in question/answer form: questions marked with ``*``, ``س:`` (answers ``ج:``),
  ``Q:`` (answers ``A:``), or lines that are entirely bold in HTML. Each answer (all paragraphs
  up to the next question) is one statement by the interviewee; the question is its context.
- **Reported speech**, one statement per paragraph: Persian ``X گفت:`` / ``X گفت که`` (and
  افزود, تصریح کرد, تاکید کرد ...; ``وی`` refers to the last named speaker), Arabic ``قال X إن``
  / ``وأضاف:``, English ``X said ...`` / ``"...," X said`` / ``he added``.

A paragraph that only repeats an answer (a lead quoting the interview) is not a statement of its
own: the caller drops drafts whose folded text is contained in an answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from claims.choices import AttributionType
from common.text import fold
from sources.choices import Language
from sources.importers.text import Paragraph

_Z = "[\\s\u200c]*"  # Persian compound verbs are written with a space, a ZWNJ or nothing between parts


def _verb_alternatives(verbs: list[str]) -> str:
    parts = sorted(verbs, key=len, reverse=True)
    return "|".join(_Z.join(re.escape(word) for word in verb.split()) for verb in parts)


PERSIAN_VERBS = [
    "گفت",
    "افزود",
    "تصریح کرد",
    "تصریح نمود",
    "اظهار داشت",
    "اظهار کرد",
    "تاکید کرد",
    "تأکید کرد",
    "تاکید نمود",
    "تأکید نمود",
    "خاطرنشان کرد",
    "خاطر نشان کرد",
    "خاطرنشان ساخت",
    "ادامه داد",
    "عنوان کرد",
    "یادآور شد",
    "یادآوری کرد",
    "اعلام کرد",
    "بیان کرد",
    "بیان داشت",
    "توضیح داد",
    "اذعان کرد",
    "هشدار داد",
    "نوشت",
    "مدعی شد",
    "اظهار امیدواری کرد",
    "ابراز امیدواری کرد",
    "گفته است",
    "افزوده است",
    "گفته بود",
    "تاکید کرده است",
    "تأکید کرده است",
    "اعلام کرده است",
    "نوشته است",
    "پاسخ داد",
    "می گوید",
    "می افزاید",
]
PERSIAN_PRONOUNS = ["وی", "او", "ایشان", "این مقام", "این مقام مسئول", "این مسئول", "این دیپلمات", "این مقام ارشد"]
ARABIC_VERBS = [
    "قال",
    "قالت",
    "أكد",
    "أكدت",
    "اكد",
    "اكدت",
    "أضاف",
    "أضافت",
    "اضاف",
    "اضافت",
    "أوضح",
    "أوضحت",
    "اوضح",
    "صرح",
    "صرحت",
    "شدد",
    "شددت",
    "أشار",
    "أشارت",
    "اشار",
    "تابع",
    "تابعت",
    "اعتبر",
    "اعتبرت",
    "لفت",
    "لفتت",
    "أعلن",
    "أعلنت",
    "اعلن",
    "حذر",
    "حذرت",
    "أفاد",
    "أفادت",
]
ENGLISH_VERBS = [
    "said",
    "says",
    "added",
    "stressed",
    "warned",
    "noted",
    "insisted",
    "wrote",
    "declared",
    "explained",
    "continued",
    "argued",
    "told",
    "asserted",
    "emphasised",
    "emphasized",
    "announced",
    "claimed",
    "urged",
]
ENGLISH_PRONOUNS = {"he", "she", "they", "the minister", "the spokesman", "the spokeswoman", "the official"}

_FA_VERB = re.compile(
    r"(?<![\w\u200c])(?P<verb>" + _verb_alternatives(PERSIAN_VERBS) + r")(?![\w\u200c])"
    r"(?P<sep>\s*[:：]|\s*،?\s*که(?![\w\u200c])|\s*(?=[«\"“])|\s+(?!و\s)(?=\w))"
)
_FA_ACCORDING = re.compile(r"(?<![\w\u200c])به" + _Z + r"گفته\s+(?P<subject>[^،,:.]{2,120})[،,]\s*")
_AR_VERB = re.compile(
    r"(?<![\w])(?:و|ف)?(?P<verb>" + "|".join(sorted(ARABIC_VERBS, key=len, reverse=True)) + r")(?![\w])"
)
_AR_SEPARATOR = re.compile(r"\s*(?:[:：]|(?<![\w])(?:إن|أن|ان|بأن|إنه|أنه|إنها|أنها)(?![\w])|(?=[«\"“]))\s*")
_EN_QUOTE_FIRST = re.compile(
    r"^(?P<open>[\"“])(?P<quote>[^\"”]{8,}?)[,.!?]?(?P<close>[\"”]),?\s+"
    r"(?:(?P<subject>[^.\"“”]{2,100}?)\s+(?P<verb>" + "|".join(ENGLISH_VERBS) + r")\b"
    r"|(?P<verb2>said|says|added|wrote)\s+(?P<subject2>[^.\"“”]{2,100}?)(?:[.,]|$))"
)
_EN_ACCORDING = re.compile(r"^According to (?P<subject>[^,.;:\"“”]{2,80}),\s+")
_EN_SUBJECT_FIRST = re.compile(r"(?<![\w])(?P<verb>" + "|".join(ENGLISH_VERBS) + r")(?![\w])")
_SENTENCE_END = re.compile(r"[.!?؟](?=\s)|\n")
_QUESTION_PREFIX = re.compile(
    r"^\s*(?:\*+|＊|[■▪◾◆●•]|س\s*[:：\-–]|سؤال\s*[:：]|سوال\s*[:：]|پرسش\s*[:：]|Q\s*[:：.\-–]|Question\s*[:：])\s*"
)
_ANSWER_PREFIX = re.compile(r"^\s*(?:ج\s*[:：\-–]|جواب\s*[:：]|پاسخ\s*[:：]|A\s*[:：.\-–]|Answer\s*[:：])\s*")
_INLINE_ANSWER = re.compile(r"\s(?:ج\s*[:：]|A\s*:)\s*")
_INTERVIEW_WORDS = re.compile(r"مصاحبه|گفتگو|گفتوگو|گفت[\s\u200c]وگو|interview|مقابلة|حوار|لقاء", re.IGNORECASE)
_UNNAMED = re.compile(r"\bsources?\b|not to be named|anonymity|unnamed|منابع|منبع آگاه|مصدر|مصادر", re.IGNORECASE)
# "TEHRAN, May 13 (Reuters) -", "Tehran, Iran –": where the story was filed, not who spoke.
_DATELINE = re.compile(r"^\s*[A-Z][A-Za-z .'’]+(?:,\s*[A-Z][A-Za-z .'’]*\d*)*\s*(?:\([^)]{1,40}\))?\s*[–—-]\s+")
# "طهران- ", "بيروت (رويترز) -": where the story was filed.
_ARABIC_DATELINE = re.compile(r"^\s*[^\s،,.]{2,20}(?:\s+[^\s،,.]{2,20})?\s*(?:\([^)]{1,30}\))?\s*[-–—]\s*")
_ASCII_WORD = re.compile(r"[A-Za-z]")
_ARABIC_SCRIPT = re.compile(r"[\u0600-\u06ff]")
# A wrapping pair of quote marks around a whole quotation is punctuation, not the words.
_WRAPPERS = (("«", "»"), ("“", "”"), ('"', '"'))


@dataclass
class StatementDraft:
    """Words found in the body: ``body[start:end] == text``."""

    start: int
    end: int
    text: str
    paragraph_index: int
    question: str = ""
    subject: str = ""  # the words naming the speaker, as printed
    pronoun: bool = False  # "وی", "he", an empty Arabic subject: the last named speaker
    interview_answer: bool = False
    attribution: str = AttributionType.DIRECT_QUOTE
    context: str = ""  # text around the words that may name the venue (never the words themselves)
    according: bool = False  # "به گفته X، ...", "According to X, ...": X may be an outlet, not a speaker


@dataclass
class Interview:
    intro: list[int]  # paragraph indexes before the first question
    drafts: list[StatementDraft]
    unanswered: list[str]
    interviewer: str = ""  # the name a transcript gives the interviewer ("Al Jazeera")


def squash(text: str) -> str:
    """Folded letters and digits only: for "does this repeat that" comparisons."""
    return re.sub(r"[\W_]+", "", fold(text))


def _trim_span(body: str, start: int, end: int) -> tuple[int, int]:
    """Shrink a span past layout spaces and one wrapping pair of quote marks."""
    while start < end and body[start] in " \t\n\u00a0":
        start += 1
    while end > start and body[end - 1] in " \t\n\u00a0":
        end -= 1
    for opening, closing in _WRAPPERS:
        inner = body[start:end]
        stripped_end = end - 1 if inner.endswith((".", "؛")) and inner[:-1].endswith(closing) else end
        candidate = body[start:stripped_end]
        if (
            len(candidate) > 2
            and candidate.startswith(opening)
            and candidate.endswith(closing)
            and candidate.count(opening) == (1 if opening != closing else 2)
            and (opening == closing or candidate.count(closing) == 1)
        ):
            return start + 1, stripped_end - 1
    return start, end


def _draft(body: str, start: int, end: int, paragraph_index: int, **fields) -> StatementDraft | None:
    start, end = _trim_span(body, start, end)
    if end - start < 2 or not re.search(r"\w", body[start:end]):
        return None
    return StatementDraft(start=start, end=end, text=body[start:end], paragraph_index=paragraph_index, **fields)


# -- interviews -------------------------------------------------------------------------------


def find_interview(body: str, paragraphs: list[Paragraph]) -> Interview | None:
    """Question/answer structure of the body, or None when it is not an interview."""
    questions: list[tuple[int, int]] = []  # (paragraph index, length of the marker)
    for index, paragraph in enumerate(paragraphs):
        if match := _QUESTION_PREFIX.match(paragraph.text):
            questions.append((index, match.end()))
    marker_answers = sum(1 for p in paragraphs if _ANSWER_PREFIX.match(p.text))
    starred = [
        i for i, _ in questions if paragraphs[i].text.lstrip().startswith(("*", "＊", "■", "▪", "◾", "◆", "●", "•"))
    ]
    if starred and len(starred) == len(questions):
        # "*" also marks bullet lists: only questions (or a page about an interview) make it one.
        asks = sum(1 for i in starred if paragraphs[i].text.rstrip().endswith(("?", "؟")))
        if asks * 2 < len(starred) and not (asks and _INTERVIEW_WORDS.search(body)):
            questions = []
    single = (
        len(questions) == 1
        and questions[0][0] + 1 < len(paragraphs)
        and paragraphs[questions[0][0]].text.rstrip().endswith(("?", "؟"))
        and bool(_INTERVIEW_WORDS.search(body))
    )
    if len(questions) < 2 and not (questions and marker_answers) and not single:
        bold = [i for i, p in enumerate(paragraphs) if p.bold and i > 0]
        asks = sum(1 for i in bold if paragraphs[i].text.rstrip().endswith(("?", "؟")))
        mentions_interview = bool(_INTERVIEW_WORDS.search(body))
        if len(bold) >= 2 and (asks * 2 >= len(bold) or mentions_interview):
            questions = [(i, 0) for i in bold]
        else:
            return _labelled_interview(body, paragraphs)

    drafts: list[StatementDraft] = []
    unanswered: list[str] = []
    for number, (index, marker_length) in enumerate(questions):
        paragraph = paragraphs[index]
        question_text = paragraph.text[marker_length:]
        next_index = questions[number + 1][0] if number + 1 < len(questions) else len(paragraphs)
        answer_start = answer_end = None
        if inline := _INLINE_ANSWER.search(question_text):
            # "س: ...؟ ج: ..." on one line.
            answer_start = paragraph.start + marker_length + inline.end()
            answer_end = paragraph.end
            question_text = question_text[: inline.start()]
        answer_paragraphs = paragraphs[index + 1 : next_index]
        if answer_paragraphs:
            first = answer_paragraphs[0]
            if answer_start is None:
                marker = _ANSWER_PREFIX.match(first.text)
                answer_start = first.start + (marker.end() if marker else 0)
            answer_end = answer_paragraphs[-1].end
        question_text = question_text.strip()
        if answer_start is None or answer_end is None or answer_end <= answer_start:
            unanswered.append(question_text)
            continue
        draft = _draft(
            body,
            answer_start,
            answer_end,
            index + 1 if answer_paragraphs else index,
            question=question_text,
            interview_answer=True,
            attribution=AttributionType.DIRECT_QUOTE,
        )
        if draft:
            drafts.append(draft)
    return Interview(intro=list(range(questions[0][0])), drafts=drafts, unanswered=unanswered)


_TURN_LABEL = re.compile(r"^\s*(?P<label>[^:：\n«»\"“”?؟.!،,]{2,40}?)\s*[:：]\s+(?=\S)")
# A transcript names each speaker at least this often.
MIN_TURNS = 2


def _labelled_interview(body: str, paragraphs: list[Paragraph]) -> Interview | None:
    """A transcript: "Al Jazeera: ...?" / "Kharrazi: ..." turns, two names taking turns.

    The name whose turns are questions is the interviewer; the other's turns (with the unlabelled
    paragraphs after them) are the answers, each with the name as printed for its speaker.
    """
    turns = []
    for index, paragraph in enumerate(paragraphs):
        match = _TURN_LABEL.match(paragraph.text)
        if match and len(match.group("label").split()) <= 4:
            turns.append((index, match.group("label").strip(), match.end()))
    counts: dict[str, int] = {}
    for _, label, _ in turns:
        counts[fold(label)] = counts.get(fold(label), 0) + 1
    speakers = [label for label, count in counts.items() if count >= MIN_TURNS]
    if len(speakers) != 2:
        return None
    turns = [turn for turn in turns if fold(turn[1]) in speakers]

    def asks(label: str) -> int:
        return sum(
            1 for i, name, _ in turns if fold(name) == label and paragraphs[i].text.rstrip().endswith(("?", "؟"))
        )

    interviewer = max(speakers, key=asks)
    if not asks(interviewer) or asks(interviewer) <= asks(next(s for s in speakers if s != interviewer)):
        return None
    drafts: list[StatementDraft] = []
    question = ""
    for number, (index, label, marker) in enumerate(turns):
        if fold(label) == interviewer:
            question = paragraphs[index].text[marker:].strip()
            continue
        next_turn = turns[number + 1][0] if number + 1 < len(turns) else len(paragraphs)
        draft = _draft(
            body,
            paragraphs[index].start + marker,
            paragraphs[next_turn - 1].end,
            index,
            question=question,
            subject=label,
            interview_answer=True,
            attribution=AttributionType.DIRECT_QUOTE,
        )
        if draft:
            drafts.append(draft)
        question = ""
    if not drafts:
        return None
    interviewer_printed = next(name for _, name, _ in turns if fold(name) == interviewer)
    return Interview(intro=list(range(turns[0][0])), drafts=drafts, unanswered=[], interviewer=interviewer_printed)


# -- reported speech --------------------------------------------------------------------------


def _sentence_start(text: str, position: int) -> int:
    start = 0
    for match in _SENTENCE_END.finditer(text, 0, position):
        start = match.end()
    return start


def _is_persian_pronoun(subject: str) -> bool:
    folded = fold(subject).strip(" ،,")
    return any(folded == fold(p) or folded.startswith(fold(p) + " ") for p in PERSIAN_PRONOUNS)


def _persian_subject(text: str) -> str:
    subject = text.strip(" ،,")
    # "به گزارش خبرآنلاین، کمال خرازی ..." — the credit is not the speaker.
    subject = re.sub(r"^به" + _Z + r"گزارش[^،,]*[،,]\s*", "", subject)
    return subject


def find_reported_speech(
    body: str, paragraph: Paragraph, paragraph_index: int, *, language: str = ""
) -> StatementDraft | None:
    """The first reported utterance in a paragraph, or None."""
    text = paragraph.text
    if _ARABIC_SCRIPT.search(text):
        if language == Language.ARABIC:
            return _arabic_speech(body, paragraph, paragraph_index)
        return _persian_speech(body, paragraph, paragraph_index)
    if _ASCII_WORD.search(text):
        return _english_speech(body, paragraph, paragraph_index)
    return None


def _persian_speech(body: str, paragraph: Paragraph, paragraph_index: int) -> StatementDraft | None:
    text = paragraph.text
    match = next(
        (
            found
            for found in _FA_VERB.finditer(text)
            # "به سوالات ... پاسخ داد" reports that someone answered; only "پاسخ داد:" quotes the answer.
            if not fold(found.group("verb")).startswith(fold("پاسخ داد")) or ":" in found.group("sep")
        ),
        None,
    )
    if match:
        start = _sentence_start(text, match.start())
        # An empty subject ("افزود: ...") continues the last named speaker.
        subject = _persian_subject(text[start : match.start()])
        separator = match.group("sep")
        # "X گفت: ..." and "X گفت «...»" quote; "X گفت که ..." and "X گفت ..." report.
        quoted = ":" in separator or "：" in separator or text[match.end() : match.end() + 1] in '«"“'
        attribution = AttributionType.DIRECT_QUOTE if quoted else AttributionType.PARAPHRASE
        return _draft(
            body,
            paragraph.start + match.end(),
            paragraph.end,
            paragraph_index,
            subject=subject,
            pronoun=not subject or _is_persian_pronoun(subject),
            attribution=attribution,
            context=text[start : match.start()],
        )
    if according := _FA_ACCORDING.search(text):
        return _draft(
            body,
            paragraph.start + according.end(),
            paragraph.end,
            paragraph_index,
            subject=according.group("subject"),
            pronoun=_is_persian_pronoun(according.group("subject")),
            attribution=AttributionType.PARAPHRASE,
            context=according.group(0),
            according=True,
        )
    return None


def _arabic_speech(body: str, paragraph: Paragraph, paragraph_index: int) -> StatementDraft | None:
    text = paragraph.text
    for match in _AR_VERB.finditer(text):
        start = _sentence_start(text, match.start())
        raw_before = _ARABIC_DATELINE.sub("", text[start : match.start()]).rstrip()
        before = raw_before.strip(" ،,")
        separator = _AR_SEPARATOR.search(text, match.end())
        if not separator or separator.start() - match.end() > 200:
            continue
        # News Arabic puts the subject after the verb ("وقال عراقجي إن"); "وأشار إلى أن" has none.
        after = text[match.end() : separator.start()].strip(" ،,")
        after = re.sub(r"^(?:إلى|الى)(?:\s+|$)", "", after).strip(" ،,")
        if after:
            subject, pronoun = after, False
        elif before and not raw_before.endswith(("،", ",")) and len(before.split()) <= 12:
            # "الوزير عراقجي قال إن ...": the subject comes first.
            subject, pronoun = before, False
        else:
            subject, pronoun = "", True
        attribution = (
            AttributionType.DIRECT_QUOTE
            if ":" in separator.group(0) or text[separator.end() : separator.end() + 1] in '«"“'
            else AttributionType.PARAPHRASE
        )
        return _draft(
            body,
            paragraph.start + separator.end(),
            paragraph.end,
            paragraph_index,
            subject=subject,
            pronoun=pronoun,
            attribution=attribution,
            context=text[start : separator.start()],
        )
    return None


def _english_speech(body: str, paragraph: Paragraph, paragraph_index: int) -> StatementDraft | None:
    text = paragraph.text
    if (according := _EN_ACCORDING.match(text)) and re.search(r"\b[A-Z]", according.group("subject")):
        return _draft(
            body,
            paragraph.start + according.end(),
            paragraph.end,
            paragraph_index,
            subject=according.group("subject"),
            attribution=AttributionType.PARAPHRASE,
            context=according.group(0),
            according=True,
        )
    if match := _EN_QUOTE_FIRST.match(text):
        subject = (match.group("subject") or match.group("subject2") or "").strip(" ,")
        return _draft(
            body,
            paragraph.start + match.start("quote"),
            paragraph.start + match.end("quote"),
            paragraph_index,
            subject=subject,
            pronoun=fold(subject) in ENGLISH_PRONOUNS,
            attribution=AttributionType.DIRECT_QUOTE,
            context=text[match.end("close") :],
        )
    for match in _EN_SUBJECT_FIRST.finditer(text):
        start = _sentence_start(text, match.start())
        subject = _DATELINE.sub("", text[start : match.start()]).strip(" ,")
        # "Iran's foreign minister has said": the auxiliary is not part of the subject.
        subject = re.sub(r"\s+(?:has|have|had|also|later|then|previously)$", "", subject).strip(" ,")
        subject = re.sub(r"\s+(?:has|have|had|also)$", "", subject).strip(" ,")
        # "the talks, which Iran said were ...": a verb inside a relative clause reports nothing.
        last_clause = fold(subject.rsplit(",", 1)[-1]).split()
        words = fold(subject).split()
        if (
            not words
            or len(words) > 24
            or not last_clause
            or re.search(r"[\"“”]", subject)
            or last_clause[0] in ("which", "that", "what", "as", "if", "when", "while", "because")
            or words[-1] in ("was", "were", "been", "is", "are", "be", "being", "it", "has", "have", "had")
        ):
            continue
        rest_start = match.end()
        rest = text[rest_start:]
        # Skip the verb's own complements: "told Reuters on Sunday that", "said in a statement:".
        complement = re.match(r"[^.:\"“]{0,120}?(?:\bthat\b|:|,(?=\s*[\"“]))\s*", rest)
        if complement:
            rest_start += complement.end()
        else:
            lead_in = re.match(r"(?:\s+(?:on|in|at|late|early|during|after|before|told)\b[^,]{0,60},)?\s*", rest)
            rest_start += lead_in.end() if lead_in else 0
        quote_text = text[rest_start:]
        attribution = AttributionType.DIRECT_QUOTE if quote_text[:1] in '"“' else AttributionType.PARAPHRASE
        if _UNNAMED.search(subject):
            attribution = AttributionType.UNNAMED_SOURCE
        return _draft(
            body,
            paragraph.start + rest_start,
            paragraph.end,
            paragraph_index,
            subject=subject,
            pronoun=fold(subject) in ENGLISH_PRONOUNS,
            attribution=attribution,
            context=text[start:rest_start],
        )
    return None


def find_statements(
    body: str, paragraphs: list[Paragraph], *, language: str = ""
) -> tuple[list[StatementDraft], Interview | None]:
    """All drafts in reading order: interview answers, and reported speech outside the answers."""
    interview = find_interview(body, paragraphs)
    drafts: list[StatementDraft] = []
    covered: set[int] = set()
    if interview:
        drafts.extend(interview.drafts)
        first_question = len(interview.intro)
        covered = set(range(first_question, len(paragraphs)))
    for index, paragraph in enumerate(paragraphs):
        if index in covered:
            continue
        draft = find_reported_speech(body, paragraph, index, language=language)
        if draft:
            drafts.append(draft)
    drafts.sort(key=lambda d: d.start)
    return drafts, interview
