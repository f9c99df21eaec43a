"""Finding quotes: messages, their cues and their speakers, by rules over tagged tokens.

Internal module; the stable interface is the stage `chronik.quotes.v1` and `Quote` objects.

How a quote is found, strongest evidence first:

1. A cue verb frames its message: "Putin sagte, Moskau verletze ..." (cue before the message),
   "Moskau verletze ..., sagte Putin" (after), "Wie Putin sagte, ..." (wie-clause). The message
   is a clause (dass/ob, verb-second, zu-infinitive) or a quotation. The speaker is the verb's
   subject: the prefield before the finite verb, or the noun phrase after it when the prefield
   is the message or an adverbial ("Am Donnerstag bestätigte der Kreml, ...").
2. A preposition frames its clause: "laut Polizei", "der Polizei zufolge", "nach Angaben der
   Polizei"; ", so Putin" after a message; a colon after a noun phrase ("Putin: „…“").
3. A quotation that is a sentence of its own (with a finite verb) is direct speech; its speaker
   is carried over from the quote or speech act just before, if there is one.
4. A sentence in Konjunktiv I without a cue continues the reported speech before it (speaker
   carried over); so does a sentence with a reportative "soll" right after reported speech.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from chronik.document import Document, Quote, QuoteKind, Span, Token
from chronik.quoting.lexicon import SpeechLexicon, VerbCue
from chronik.quoting.marks import Quotation, QuotationMarks, find_quotations
from chronik.quoting.memory import Coverage, SpeakerMemory, SpeechAct
from chronik.quoting.sentence import (
    CLAUSE_PUNCT,
    FINITE,
    NP_HEADS,
    NP_MODIFIERS,
    NP_TAGS,
    SENTENCE_END,
    VERB,
    TaggedSentence,
    char_span,
    retag,
    token_quotations,
)

#: tags that cannot open the subject of a cue verb in the prefield
NON_SUBJECT_OPENERS = frozenset(
    {"APPR", "APPRART", "APPO", "ADV", "ADJD", "PROAV", "PDS", "PWAV", "KOUS", "PTKNEG", "VVPP"}
)
#: tags that open a relative or subordinate clause ("der", "dessen", "weil", "wo")
DEPENDENT_OPENERS = frozenset({"PRELS", "PRELAT", "KOUS", "PWAV"})
#: prepositions that continue a speaker's noun phrase ("der Bürgermeister von New Orleans")
NP_PREPOSITIONS = frozenset({"von", "vom", "aus", "für", "im", "in", "bei", "zur", "zum"})
#: prepositions naming the document an impersonal cue quotes ("heißt es in der Erklärung")
DOCUMENT_PREPOSITIONS = frozenset({"in", "im", "aus", "von", "vom", "auf", "bei", "laut"})
#: objects of a cue that are not its subject ("sagte dem Sender", "sagte der Zeitung")
DATIVE_ARTICLES = frozenset({"dem", "einem", "der", "einer"})
ACCUSATIVE_ARTICLES = frozenset({"den", "die", "das", "einen", "eine", "ein"})
#: words before the subject in the prefield ("Aber Putin sagte"; "Auch der Kreml betonte")
LEADING_PARTICLES = frozenset(
    {"aber", "und", "doch", "auch", "zudem", "jedoch", "denn", "so", "sogar", "selbst", "nur"}
)
#: personal pronouns that are not subjects
OBJECT_PRONOUNS = frozenset({"ihm", "ihn", "ihnen", "mir", "mich", "uns", "dir", "dich", "euch"})
#: the verb of "„…“, hat er gesagt": a perfect tense may stand inverted, a passive may not
PERFECT_AUXILIARIES = frozenset({"haben"})


@dataclass(slots=True)
class Frame:
    """A message found with its cue and speaker, before it becomes a `Quote`."""

    #: character ranges of the message (several when a cue phrase sits inside it)
    pieces: list[tuple[int, int]]
    cue: Span
    speaker: tuple[int, int] | None
    #: characters of the cue phrase and its speaker, which belong to no other frame's cue
    zone: tuple[int, int]
    #: how sure the construction is; stronger frames win overlaps
    strength: int

    @property
    def start(self) -> int:
        return self.pieces[0][0]

    @property
    def end(self) -> int:
        return self.pieces[-1][1]


class QuoteFinder:
    """Finds the quotes of a tagged `Document` with the cues of one language's lexicon."""

    def __init__(self, lexicon: SpeechLexicon) -> None:
        self.lex = lexicon
        self.marks = QuotationMarks.build(lexicon.quotation_marks)
        #: every word that can be a cue by its form: most tokens are none and are passed over
        self.triggers = frozenset(
            {
                *lexicon.forms,
                *lexicon.prepositions,
                *lexicon.so_cue,
                *lexicon.report_adverbs,
                ":",
                ",",
            }
        )

    def __call__(self, doc: Document) -> list[Quote]:
        quotations = find_quotations(doc.text, self.marks)
        in_quote = token_quotations(doc.tokens, quotations)
        sentences = [
            TaggedSentence(
                index,
                retag(doc.tokens[sent.token_start : sent.token_end]),
                in_quote[sent.token_start : sent.token_end],
                quotations,
            )
            for index, sent in enumerate(doc.sentences)
        ]
        frames: list[Frame] = []
        acts: list[SpeechAct] = []
        for sent in sentences:
            self._sentence_frames(doc, sent, frames, acts)
        quotes = _to_quotes(doc, _drop_overlapping(frames), quotations)
        speakers = SpeakerMemory(doc, quotes, acts)
        quotes.extend(self._uncued(doc, quotes, quotations, sentences, speakers))
        quotes.sort(key=lambda q: (q.start, q.end))
        for number, quote in enumerate(quotes, 1):
            quote.id = f"q{number}"
        return quotes

    # --- frames of one sentence -------------------------------------------------------------

    def _sentence_frames(
        self, doc: Document, sent: TaggedSentence, frames: list[Frame], acts: list[SpeechAct]
    ) -> None:
        triggers = self.triggers
        verbs = self.lex.verbs
        for i, tok in enumerate(sent.tokens):
            low = tok.text.lower()
            if low not in triggers and not (tok.pos[:1] == "V" and tok.lemma.lower() in verbs):
                continue
            if not sent.outside(i):
                continue
            frame: Frame | None = None
            prep = self.lex.prepositions.get(low)
            if prep is not None and tok.pos in {"APPR", "APPO", "APPRART", "ADJD", "ADV"}:
                # "nach" before its noun ("nach Angaben"), or after it ("seiner Ansicht nach")
                position = "after" if tok.pos == "APPO" and prep.needs_noun else prep.position
                frame = self._preposition_frame(doc, sent, i, position, prep.needs_noun)
                if frame is None and prep.needs_noun and position == "before":
                    # the tagger reads a postposition as a preposition ("seiner Ansicht nach")
                    prev = sent.tokens[i - 1] if i else None
                    if prev is not None and self.lex.is_speech_noun(prev.lemma, prev.text):
                        frame = self._preposition_frame(doc, sent, i, "after", True)
            elif low in self.lex.report_adverbs and i == 0:
                frame = self._adverb_frame(doc, sent, i)
            elif low in self.lex.so_cue and i > 0 and sent.tokens[i - 1].text == ",":
                frame = self._so_frame(doc, sent, i)
            elif tok.text == ":":
                frame = self._colon_frame(doc, sent, i)
            elif tok.text == ",":
                frame = self._noun_frame(doc, sent, i)
            else:
                cue = self._verb_cue(sent, i)
                if cue is not None:
                    frame = self._verb_frame(doc, sent, i, cue, acts)
            if frame is not None:
                frames.append(frame)

    # --- cue verbs ---------------------------------------------------------------------------

    def _verb_cue(self, sent: TaggedSentence, i: int) -> VerbCue | None:
        tok = sent.tokens[i]
        forms = self.lex.verb_forms(tok.text, tok.lemma)
        if not forms:
            return None
        verbal = tok.pos in VERB
        # the tagger reads some inverted cues as adjectives (", betonten Teilnehmer der ...")
        after_comma = i > 0 and (sent.tokens[i - 1].text == "," or not sent.outside(i - 1))
        if not verbal and not (after_comma and tok.pos in {"ADJA", "ADJD", "NN"}):
            return None
        lo, hi = self._clause(sent, i)
        words = {t.text.lower(): k for k, t in enumerate(sent.tokens[lo:hi], lo) if k != i}
        plain = None
        for form in forms:
            if not verbal and not form.finite:
                continue
            cue = form.cue
            if cue.correlates and not cue.correlates & words.keys():
                continue
            if form.particle is None:
                plain = plain or cue
                continue
            k = words.get(form.particle)
            if k is not None and self._is_particle(sent, k, i):
                return cue
        if plain is not None and plain.verb_class == "impersonal":
            near = {t.text.lower() for t in sent.tokens[max(lo, i - 1) : min(hi, i + 2)]}
            return plain if "es" in near else None
        return plain

    def _is_particle(self, sent: TaggedSentence, k: int, verb: int) -> bool:
        tok = sent.tokens[k]
        if tok.pos == "PTKVZ" or k == verb - 1:
            return True
        return k > verb and (k + 1 == len(sent) or sent.punct(k + 1, CLAUSE_PUNCT | SENTENCE_END))

    def _clause(self, sent: TaggedSentence, i: int) -> tuple[int, int]:
        """Token range of the clause around `i`: between punctuation outside quotations."""
        lo = i
        while lo > 0 and not sent.punct(lo - 1, CLAUSE_PUNCT):
            if not sent.outside(lo - 1):
                # a quoted name or title stays in the clause; quoted speech ends it
                start = lo - 1
                while start > 0 and sent.in_quote[start - 1] == sent.in_quote[lo - 1]:
                    start -= 1
                if self._speechlike(sent, start):
                    break
                lo = start
                continue
            lo -= 1
        hi = i + 1
        while (
            hi < len(sent) and sent.outside(hi) and not sent.punct(hi, CLAUSE_PUNCT | SENTENCE_END)
        ):
            hi += 1
        return lo, hi

    def _verb_frame(
        self, doc: Document, sent: TaggedSentence, i: int, cue: VerbCue, acts: list[SpeechAct]
    ) -> Frame | None:
        toks = sent.tokens
        lo, hi = self._clause(sent, i)
        cue_span = _span(doc, toks[i], toks[i])
        lo = self._wie_start(sent, lo, i)
        opener = toks[lo]
        if (
            opener.text.lower() == "anders"
            and lo + 1 < i
            and toks[lo + 1].text.lower() == "als"
            and "wie" in cue.positions
        ):
            # "Das Auto sei, anders als das Militär behauptet, langsam gefahren"
            speaker = self._np_forward(sent, lo + 2, i)
            pieces = self._outside(sent, lo, hi)
            return self._frame(doc, sent, pieces, cue_span, speaker, (lo, hi), strength=2)
        if opener.text.lower() == "wie" and lo < i:
            if "wie" not in cue.positions:
                return None
            if cue.verb_class == "impersonal":
                speaker = self._document_np(sent, lo + 1, hi)
            else:
                speaker = self._np_forward(sent, lo + 1, i)
            pieces = self._outside(sent, lo, hi)
            return self._frame(doc, sent, pieces, cue_span, speaker, (lo, hi), strength=2)
        if toks[i].pos == "VVPP" and any(
            t.lemma == "werden" and t.pos[:2] == "VA" for t in toks[lo:hi]
        ):
            # a passive ("wurde mitgeteilt, dass ..."): the speaker is the agent, if named
            speaker = self._agent(sent, lo, hi)
            message = self._message_after(sent, i, cue)
            return self._frame(doc, sent, message, cue_span, speaker, (lo, hi), strength=2)
        if opener.pos in {"PRELS", "KOUS"} and lo < i and lo > 0:
            # "Peskow, der sagte, ..."; "nachdem er gesagt hatte, ...": the cue still frames
            # what follows; the subject is the antecedent or follows the conjunction
            if opener.pos == "PRELS" and opener.text.lower() in {"der", "die", "welche", "welcher"}:
                speaker = self._np_backward(sent, lo - 2) if lo >= 2 else None
            else:
                speaker = self._np_forward(sent, lo + 1, i)
            message = self._message_after(sent, i, cue)
            if message is None or "before" not in cue.positions:
                return self._act(sent, i, speaker, acts, cue)
            return self._frame(doc, sent, message, cue_span, speaker, (lo, hi), strength=1)
        finite = next((k for k in range(lo, i + 1) if toks[k].pos in FINITE), i)
        starts_clause = finite == lo and lo > 0
        if starts_clause and (
            finite == i
            or toks[finite].lemma in PERFECT_AUXILIARIES
            or cue.verb_class == "impersonal"
        ):
            frame = self._inverted_frame(doc, sent, i, lo, hi, finite, cue, acts)
            if frame is not None or not starts_clause:
                return frame
        if starts_clause:
            # a clause that opens with its verb but frames no preceding message: the subject
            # and the prefield lie before the comma ("Peskow, der Sprecher, sagte: ...")
            lo = 0
            finite = next((k for k in range(lo, i + 1) if toks[k].pos in FINITE), i)
        if "before" not in cue.positions:
            return None
        if cue.verb_class == "impersonal":
            speaker = self._document_np(sent, lo, hi)
        elif finite > lo and self._subject_prefield(sent, lo, finite):
            speaker = self._trim_prefield(sent, lo, finite)
        else:
            speaker = self._speaker_after(sent, finite, i, cue)
        message = self._message_after(sent, i, cue)
        strength = 3
        if message is None and lo == 0 and finite == 1 and sent.index > 0:
            message = self._anaphoric_message(doc, sent)
            strength = 2
        if message is None:
            return self._act(sent, i, speaker, acts, cue)
        return self._frame(doc, sent, message, cue_span, speaker, (lo, hi), strength=strength)

    def _anaphoric_message(
        self, doc: Document, sent: TaggedSentence
    ) -> list[tuple[int, int]] | None:
        """ "Das sagte Putin am Freitag": the demonstrative stands for the sentence before."""
        first = sent.tokens[0]
        if first.pos != "PDS" or first.text.lower() not in {"das", "dies", "dieses"}:
            return None
        previous = doc.sentences[sent.index - 1]
        if previous.paragraph == 0 and sent.index - 1 == 0:
            return None
        return [(previous.start, previous.end), (first.start, first.end)]

    def _agent(self, sent: TaggedSentence, lo: int, hi: int) -> tuple[int, int] | None:
        """The agent of a passive cue ("wurde vom Ministerium mitgeteilt")."""
        for k in range(lo, hi):
            if sent.tokens[k].text.lower() in {"von", "vom"} and sent.outside(k):
                return self._np_forward(sent, k + 1, hi, skip_adverbials=False)
        return None

    def _wie_start(self, sent: TaggedSentence, lo: int, i: int) -> int:
        """The "wie" of a wie-clause whose subject has an apposition ("wie Steve Marshall,
        Sprecher der UN, mitteilte"), or `lo` unchanged."""
        k = lo
        for _ in range(3):
            if sent.tokens[k].text.lower() == "wie" or k < 2 or sent.has_finite(k, i):
                break
            j = k - 2
            while j > 0 and not sent.punct(j - 1, CLAUSE_PUNCT):
                j -= 1
            if sent.has_finite(j, k):
                break
            k = j
        return k if sent.tokens[k].text.lower() == "wie" else lo

    def _inverted_frame(
        self,
        doc: Document,
        sent: TaggedSentence,
        i: int,
        lo: int,
        hi: int,
        finite: int,
        cue: VerbCue,
        acts: list[SpeechAct],
    ) -> Frame | None:
        """ "Moskau verletze keine Sanktionen, sagte Putin": the message before, the speaker
        after the verb."""
        if "after" not in cue.positions:
            return None
        speaker = self._speaker_after(sent, finite, i, cue)
        if speaker is None and cue.verb_class != "impersonal":
            return None
        before = self._message_before(sent, lo, cue)
        if before is None:
            return None
        zone_end = speaker[1] if speaker else hi
        if self._has_object(sent, max(zone_end, i + 1), hi):
            return None
        pieces = before
        tail = self._interposed_tail(sent, max(zone_end, i + 1))
        if tail is not None:
            pieces = pieces + tail
        cue_span = _span(doc, sent.tokens[i], sent.tokens[i])
        return self._frame(doc, sent, pieces, cue_span, speaker, (lo, zone_end), strength=3)

    def _act(
        self,
        sent: TaggedSentence,
        i: int,
        speaker: tuple[int, int] | None,
        acts: list[SpeechAct],
        cue: VerbCue,
    ) -> None:
        # an attitude without a message ("Analysten erwarten eine steigende Nachfrage") does
        # not make the following sentences that speaker's
        if cue.verb_class == "thought":
            return None
        if speaker is not None and any(
            t.pos in NP_HEADS or t.pos in {"PPER", "PIS"}
            for t in sent.tokens[speaker[0] : speaker[1]]
        ):
            acts.append(SpeechAct(sent.tokens[i].start, sent.index, char_span(sent, speaker)))
        return None

    def _frame(
        self,
        doc: Document,
        sent: TaggedSentence,
        pieces: list[tuple[int, int]] | None,
        cue: Span,
        speaker: tuple[int, int] | None,
        zone: tuple[int, int],
        strength: int,
    ) -> Frame | None:
        pieces = [p for p in pieces or [] if p[1] > p[0]]
        if not pieces:
            return None
        zone_chars = (sent.tokens[zone[0]].start, sent.tokens[max(zone[0], zone[1] - 1)].end)
        speaker_chars = char_span(sent, speaker) if speaker else None
        return Frame(pieces, cue, speaker_chars, zone_chars, strength)

    # --- messages ----------------------------------------------------------------------------

    def _message_after(
        self, sent: TaggedSentence, i: int, cue: VerbCue
    ) -> list[tuple[int, int]] | None:
        """The message after a cue: a quotation, or a clause after a comma or colon. Segments
        that still belong to the cue's clause (an apposition, an enumeration, a relative
        clause: "teilte der Eigentümer, das Medienhaus X, mit, dass ...") are passed over."""
        toks = sent.tokens
        k = i + 1
        skipped = 0
        while k < len(sent):
            quotation = sent.quotation(k)
            if quotation is not None:
                colon = k > 0 and toks[k - 1].text == ":"
                if cue.verb_class != "thought" and self._quoted_speech(sent, k, colon):
                    return [(quotation.inner_start, quotation.inner_end)]
                label = k > 0 and toks[k - 1].text.lower() == "als"
                naming = cue.verb_class == "naming" or (label and cue.verb_class == "speech")
                if naming and self._label(sent, i, k):
                    # the speaker's own words as a label ("nannte es einen „Vertrauensbruch“")
                    return [(quotation.inner_start, quotation.inner_end)]
                k = sent.skip_quotation(k)
                continue
            if sent.punct(k, SENTENCE_END):
                return None
            if sent.punct(k, {",", ":"}):
                start = k + 1
                if start >= len(sent):
                    return None
                message = self._clause_message(sent, start, colon=toks[k].text == ":", cue=cue)
                if message is not None:
                    return message
                first = toks[start]
                if self._adverbial(first) or first.pos == "KOUI":
                    return None
                nxt = sent.next_punct(start)
                if first.pos in {"PRELS", "PRELAT"} and sent.has_reported_mood(start, nxt):
                    # "berichtet von einem Ventil, das den Piloten zur Rückkehr bewogen hätte"
                    return [(first.start, sent.tokens[nxt - 1].end)]
                if skipped >= 3 or nxt >= len(sent) or not sent.punct(nxt, {","}):
                    return None
                if sent.has_finite(start, nxt) and first.pos not in {"PRELS", "PRELAT"}:
                    return None
                skipped += 1
                k = nxt
                continue
            k += 1
        return None

    def _adverbial(self, tok: Token) -> bool:
        """A conjunction that opens an adverbial clause ("weil", "um ... zu"), not the
        preposition of the same spelling ("bis Montag", "um zehn Uhr")."""
        return tok.text.lower() in self.lex.adverbial_openers and tok.pos not in {
            "APPR",
            "APPRART",
            "ADV",
            "PTKVZ",
        }

    def _quoted_speech(self, sent: TaggedSentence, k: int, colon: bool) -> bool:
        """Whether the quotation at `k` is speech: with a finite verb, or after a colon when
        it ends a sentence inside ("sagte: „Nein.“"); a quoted title is not."""
        if self._speechlike(sent, k):
            return True
        if not colon:
            return False
        end = sent.skip_quotation(k)
        return any(t.text in SENTENCE_END for t in sent.tokens[k:end])

    def _label(self, sent: TaggedSentence, cue: int, k: int) -> bool:
        """Whether the quotation at `k` after a naming cue is someone's judgement rather than a
        name: not a name of names ("bezeichnet als „Touareg“"), not a name something bears
        ("nennt sich", "wird genannt", "nennt man")."""
        toks = sent.tokens
        end = sent.skip_quotation(k)
        inner = [t for t in toks[k:end] if t.text[:1].isalnum()]
        if not inner or all(t.pos in {"NE", "FM", "XY", "CARD"} for t in inner):
            return False
        if k > 0 and toks[k - 1].pos in NP_HEADS:
            # a name in apposition to its noun ("die Modelle „Touareg“")
            return False
        if k > 1 and toks[k - 1].pos == "KON" and not sent.outside(k - 2):
            # the next of coordinated names ("„Touareg“ und „Phaeton“")
            j = k - 2
            while j > 0 and sent.in_quote[j - 1] == sent.in_quote[k - 2]:
                j -= 1
            return self._label(sent, cue, j)
        lo, hi = self._clause(sent, cue)
        clause = toks[lo:hi]
        if any(t.pos == "PRF" or t.text.lower() == "man" for t in clause):
            return False
        return not any(t.lemma == "werden" and t.pos[:2] == "VA" for t in clause)

    def _clause_message(
        self, sent: TaggedSentence, start: int, colon: bool, cue: VerbCue
    ) -> list[tuple[int, int]] | None:
        toks = sent.tokens
        quotation = sent.quotation(start)
        if quotation is not None:
            if cue.verb_class == "thought":
                return None
            if self._quoted_speech(sent, start, colon):
                return [(quotation.inner_start, quotation.inner_end)]
        first = toks[start]
        low = first.text.lower()
        end = sent.end_offset(start)
        if low in self.lex.complementizers and first.pos != "PRELS":
            return [(first.start, end)]
        nxt = sent.next_punct(start)
        # "empfahl dem Gericht, der Klage stattzugeben": an article read as a pronoun
        infinitive = not sent.has_finite(start, nxt) and self._has_zu_infinitive(sent, start, nxt)
        if first.pos == "PRELS" and infinitive:
            return [(first.start, end)]
        if self._adverbial(first) or first.pos in {"PRELS", "KOUI", "KOUS"}:
            return None
        if first.pos in FINITE and not colon:
            # the main clause after a fronted clause with the cue ("In einem Bericht, der
            # veröffentlicht wurde, rechtfertigte das Ministerium ..."): no message
            return None
        if cue.verb_class == "thought":
            # an attitude frames a clause only in the reported mood ("glaubt, er habe ...")
            if sent.has_reported_mood(start, len(sent)):
                return [(first.start, end)]
            return None
        if colon or sent.has_finite(start, nxt) or self._has_zu_infinitive(sent, start, nxt):
            return [(first.start, end)]
        return None

    def _message_before(
        self, sent: TaggedSentence, lo: int, cue: VerbCue
    ) -> list[tuple[int, int]] | None:
        """The message before an inverted cue ("…, sagte er"): the sentence up to the comma,
        when it is a main clause, a dass-clause or a quotation."""
        toks = sent.tokens
        end = lo - 1
        while end >= 0 and sent.punct(end, CLAUSE_PUNCT):
            end -= 1
        if end < 0:
            return None
        start = 0
        for k in range(end, -1, -1):
            if sent.punct(k, {":"}):
                start = k + 1
                break
        if start > end:
            return None
        first_q, last_q = sent.quotation(start), sent.quotation(end)
        if first_q is not None and first_q is last_q:
            if cue.verb_class == "thought":
                return None
            # the quotation may have opened in an earlier sentence ("„A. B.“, sagte er")
            return [(first_q.inner_start, first_q.inner_end)]
        if not self._main_clause(sent, start, end + 1, cue):
            return None
        begin = first_q.inner_start if first_q is not None else toks[start].start
        finish = toks[end].end
        if last_q is not None and last_q.closed and last_q.inner_end < finish:
            finish = last_q.inner_end
        return [(begin, finish)]

    def _main_clause(self, sent: TaggedSentence, lo: int, hi: int, cue: VerbCue) -> bool:
        """Whether tokens lo..hi hold a clause that can be a message: a verb-second clause or a
        dass/ob clause, not only an adverbial or relative clause or a noun phrase."""
        toks = sent.tokens
        first = toks[lo].text.lower()
        # "Dass X komme, sagte er": a complement clause; "Wie X berichtet, ..." is a cue's clause
        if first in self.lex.complementizers and first != "wie" and toks[lo].pos != "PRELS":
            return True
        segment = lo
        found = False
        while segment < hi:
            end = segment
            while end < hi and not sent.punct(end, CLAUSE_PUNCT):
                end = sent.skip_quotation(end) if not sent.outside(end) else end + 1
            first = toks[segment]
            opener = first.pos in {"PRELS", "KOUS", "KOUI", "PWAV", "PRELAT"} or (
                self._adverbial(first)
                and first.text.lower() not in {"und", "aber", "doch", "denn", "sondern", "oder"}
            )
            # a subordinate clause ends with its finite verb; "Bis zu der Beerdigung seien
            # die Leichen ausgestellt worden" opens with a preposition and is verb-second
            subordinate = opener and end > segment and toks[end - 1].pos in FINITE
            if not subordinate and sent.has_finite(segment, end):
                found = True
                break
            segment = end + 1
        return found

    def _has_object(self, sent: TaggedSentence, lo: int, hi: int) -> bool:
        """An accusative object after an inverted cue's subject: "..., betonte sie die Rolle"
        is no speech frame; adverbials ("am Montag in Moskau") and a dative may follow."""
        toks = sent.tokens
        k = lo
        while k < hi:
            tok = toks[k]
            if not sent.outside(k):
                return True
            if tok.pos in {"APPR", "APPRART"}:
                k = max(k + 1, self._np_end(sent, k + 1, hi))
                continue
            if tok.pos == "ART" and tok.text.lower() in DATIVE_ARTICLES:
                k = max(k + 1, self._np_end(sent, k, hi))
                continue
            if tok.pos in NP_HEADS or (
                tok.pos == "ART" and tok.text.lower() in ACCUSATIVE_ARTICLES
            ):
                return True
            k += 1
        return False

    def _interposed_tail(self, sent: TaggedSentence, after: int) -> list[tuple[int, int]] | None:
        """ "„A“, sagte er, „B“": the message goes on after the speaker."""
        if after >= len(sent) - 1 or not sent.punct(after, {",", ":"}):
            return None
        start = after + 1
        quotation = sent.quotation(start)
        if quotation is not None:
            return [(quotation.inner_start, quotation.inner_end)]
        first = sent.tokens[start]
        if self._adverbial(first) or first.pos in {"PRELS", "KOUI"}:
            return None
        if sent.has_reported_mood(start, len(sent)):
            return [(first.start, sent.end_offset(start))]
        return None

    def _outside(
        self, sent: TaggedSentence, lo: int, hi: int, start: int = 0
    ) -> list[tuple[int, int]]:
        """The sentence from `start` without tokens lo..hi (a wie-clause, a cue phrase) and
        the commas around them."""
        toks = sent.tokens
        pieces = []
        left = lo - 1
        while left >= start and sent.punct(left, CLAUSE_PUNCT):
            left -= 1
        if left >= start:
            pieces.append((toks[start].start, toks[left].end))
        right = hi
        while right < len(sent) and sent.punct(right, CLAUSE_PUNCT):
            right += 1
        if right < len(sent) and not sent.punct(right, SENTENCE_END):
            pieces.append((toks[right].start, sent.end_offset(right)))
        return [p for p in pieces if p[1] > p[0]]

    # --- prepositions, "so", colon -----------------------------------------------------------

    def _preposition_frame(
        self, doc: Document, sent: TaggedSentence, i: int, position: str, needs_noun: bool
    ) -> Frame | None:
        toks = sent.tokens
        if position == "after":
            if i == 0:
                return None
            speaker = self._np_backward(sent, i - 1)
            if speaker is None:
                return None
            lo, hi = speaker[0], i + 1
        else:
            speaker = self._np_forward(sent, i + 1, len(sent), skip_adverbials=False)
            if speaker is None:
                return None
            speaker = (speaker[0], self._apposition_end(sent, speaker[1]))
        if needs_noun:
            head = next((k for k in range(speaker[0], speaker[1]) if toks[k].pos in NP_HEADS), None)
            # "nach Angaben der Polizei", "seiner Ansicht nach"; not "nach der Ankündigung"
            # (after it) or "die Forderung nach Freilassung"
            if head is None or not self.lex.is_speech_noun(toks[head].lemma, toks[head].text):
                return None
        if position != "after":
            lo, hi = i, speaker[1]
        if not sent.has_finite(0, len(sent)):
            return None
        cue = _span(doc, toks[i], toks[i])
        if needs_noun and position != "after":
            cue = _span(doc, toks[i], toks[speaker[0]])
        pieces = self._outside(sent, lo, hi, start=self._subclause_start(sent, lo))
        return self._frame(doc, sent, pieces, cue, speaker, (lo, hi), strength=1)

    def _adverb_frame(self, doc: Document, sent: TaggedSentence, i: int) -> Frame | None:
        """ "Demnach seien ...": an adverb that attributes its sentence to a source named
        before; like a pronoun, the adverb is the speaker's word at the cue."""
        toks = sent.tokens
        if i + 1 >= len(sent) or toks[i + 1].pos not in FINITE:
            return None
        pieces = [(toks[i + 1].start, sent.end_offset(i + 1))]
        cue = _span(doc, toks[i], toks[i])
        return self._frame(doc, sent, pieces, cue, (i, i + 1), (i, i + 1), strength=1)

    def _subclause_start(self, sent: TaggedSentence, k: int) -> int:
        """The first token of the subordinate clause holding token `k`, or 0 when `k` is in
        the main clause ("..., da die Genehmigung nach Angaben der Firma zu spät kam")."""
        j = k
        while j > 0:
            if sent.punct(j - 1, CLAUSE_PUNCT):
                first = sent.tokens[j]
                low = first.text.lower()
                if first.pos in {"KOUS", "PRELS", "PWAV"} or low in self.lex.complementizers:
                    return j
            j -= 1
        return 0

    def _apposition_end(self, sent: TaggedSentence, end: int) -> int:
        """The end of a noun phrase with its apposition between commas ("des Generalanwalts,
        Damazo Ruiz-Jarabo Colomer, ...")."""
        if end >= len(sent) - 1 or not sent.punct(end, {","}):
            return end
        k = end + 1
        while k < len(sent) and sent.outside(k) and sent.tokens[k].pos in NP_TAGS:
            k += 1
        named = any(t.pos == "NE" for t in sent.tokens[end + 1 : k])
        if named and k < len(sent) and sent.punct(k, {","}):
            return k
        return end

    def _noun_frame(self, doc: Document, sent: TaggedSentence, i: int) -> Frame | None:
        """ "die Forderung des Ministers, die Steuern zu senken"; "eine Schätzung, wonach
        ...": a speech noun whose content follows it as a clause; the noun phrase speaks."""
        if i == 0 or i + 1 >= len(sent):
            return None
        phrase = self._np_backward(sent, i - 1)
        if phrase is None:
            return None
        toks = sent.tokens
        head = next((k for k in range(phrase[0], phrase[1]) if toks[k].pos == "NN"), None)
        if head is None or not self.lex.is_message_noun(toks[head].lemma):
            return None
        start = i + 1
        first = toks[start]
        nxt = sent.next_punct(start)
        end = sent.end_offset(start)
        if first.text.lower() in {"dass", "daß", "ob", "wonach"}:
            message = [(first.start, end)]
        elif not sent.has_finite(start, nxt) and self._has_zu_infinitive(sent, start, nxt):
            message = [(first.start, toks[nxt - 1].end)]
        elif first.pos not in {"PRELS", "KOUS", "KON", "KOUI"} and any(
            t.morph.get("Mood") == "subj1" for t in toks[start:nxt]
        ):
            message = [(first.start, end)]
        else:
            return None
        cue = _span(doc, toks[head], toks[head])
        speaker: tuple[int, int] | None = phrase
        if not any(t.pos == "NE" for t in toks[phrase[0] : phrase[1]]):
            # "X vertritt die Ansicht, ..."; "X ist der Auffassung, dass ...": a noun without a
            # named holder is the clause subject's
            subject = self._clause_subject(sent, phrase[0])
            if subject is not None and subject[1] <= phrase[0]:
                speaker = subject
        return self._frame(doc, sent, message, cue, speaker, (phrase[0], i), strength=1)

    def _clause_subject(self, sent: TaggedSentence, k: int) -> tuple[int, int] | None:
        """The subject of the clause holding token `k`: its prefield when that is a subject,
        else the noun phrase after its finite verb."""
        toks = sent.tokens
        lo = k
        while lo > 0 and not sent.punct(lo - 1, CLAUSE_PUNCT):
            lo -= 1
        lo = self._before_appositions(sent, lo, k)
        finite = next((j for j in range(lo, k) if toks[j].pos in FINITE), None)
        if finite is None:
            return None
        if finite > lo and self._subject_prefield(sent, lo, finite):
            return self._trim_prefield(sent, lo, finite)
        return self._np_forward(sent, finite + 1, k + 1)

    def _so_frame(self, doc: Document, sent: TaggedSentence, i: int) -> Frame | None:
        """ "…, so der Sprecher." — an adverb cue followed by the speaker and nothing else."""
        speaker = self._np_forward(sent, i + 1, len(sent), skip_adverbials=False)
        if speaker is None:
            return None
        rest = [
            t
            for k, t in enumerate(sent.tokens[speaker[1] :], speaker[1])
            if not sent.punct(k, SENTENCE_END | CLAUSE_PUNCT)
        ]
        tail: list[tuple[int, int]] = []
        end = speaker[1]
        if any(t.pos in FINITE for t in rest):
            # "„In absehbarer Zeit“, so der Vorstand, werde VW ...": the message goes on
            end = self._apposition_end(sent, speaker[1])
            if end >= len(sent) - 1 or not sent.punct(end, {","}):
                return None
            nxt = sent.tokens[end + 1 : end + 3]
            if not (
                nxt[0].pos in {"PRELS", "PRELAT"}
                or (len(nxt) > 1 and nxt[0].pos == "APPR" and nxt[1].pos == "PRELS")
            ):
                tail = [(sent.tokens[end + 1].start, sent.end_offset(end + 1))]
            # else: a relative clause on the speaker ("so eine Studie, in der ...")
        before = self._message_before(sent, i, _SO_CUE)
        if before is None:
            return None
        cue = _span(doc, sent.tokens[i], sent.tokens[i])
        return self._frame(doc, sent, before + tail, cue, speaker, (i, end), strength=2)

    def _colon_frame(self, doc: Document, sent: TaggedSentence, i: int) -> Frame | None:
        """ "Ein Kommissar: „…“" and "begründete es mit den Worten: „…“"."""
        toks = sent.tokens
        if i + 1 >= len(sent):
            # the colon ends its sentence and the quotation opens the next one
            quotation = sent.quotation_after(toks[i].end, doc.text)
            if quotation is None:
                return None
            speechlike = True
        else:
            quotation = sent.quotation(i + 1)
            if quotation is None:
                return None
            speechlike = self._speechlike(sent, i + 1)
        lo = i
        while lo > 0 and not sent.punct(lo - 1, CLAUSE_PUNCT):
            lo -= 1
        if lo == i:
            return None
        lo = self._before_appositions(sent, lo, i)
        finite = next((k for k in range(lo, i) if toks[k].pos in FINITE), None)
        if finite is not None and not speechlike:
            return None
        if finite is None:
            # "Kreml: „Keine Abkommen unterzeichnet“" (a headline's speaker and words)
            words = len(doc.text[quotation.inner_start : quotation.inner_end].split())
            if i - lo > 10 or words < 2:
                return None
            speaker = self._trim_prefield(sent, lo, i)
        elif finite > lo and self._subject_prefield(sent, lo, finite):
            speaker = self._trim_prefield(sent, lo, finite)
        else:
            speaker = self._np_forward(sent, finite + 1, i)
        if speaker is None:
            return None
        pieces = [(quotation.inner_start, quotation.inner_end)]
        cue = _span(doc, toks[i], toks[i])
        return self._frame(doc, sent, pieces, cue, speaker, (lo, i + 1), strength=1)

    def _before_appositions(self, sent: TaggedSentence, lo: int, hi: int) -> int:
        """The start of a clause whose subject has appositions between commas ("Die Aussage
        von Larson, dem Präsidenten der Firma, lautete:"), or `lo` when there are none."""
        if sent.has_finite(lo, hi) and sent.tokens[lo].pos not in FINITE:
            return lo
        start = lo
        while start > 1:
            prev = start - 2
            while prev > 0 and not sent.punct(prev - 1, CLAUSE_PUNCT):
                prev -= 1
            segment = sent.tokens[prev : start - 1]
            if sent.has_finite(prev, start - 1):
                # a relative or subordinate clause in the prefield ("In einem Bericht, der
                # veröffentlicht wurde, rechtfertigte das Ministerium ...:"): the subject
                # follows the finite verb at `lo`
                return lo if _dependent_clause(segment) else prev
            if not all(t.pos in NP_TAGS | {"APPR", "APPRART", "KON"} for t in segment):
                return lo
            start = prev
        return start

    # --- speakers ----------------------------------------------------------------------------

    def _subject_prefield(self, sent: TaggedSentence, lo: int, finite: int) -> bool:
        toks = sent.tokens
        k = lo
        # a focus particle before the subject ("Einzig Sony gab bekannt"; "Auch der Kreml")
        while k < finite and (toks[k].text.lower() in LEADING_PARTICLES or toks[k].pos == "ADV"):
            k += 1
        if k >= finite or not sent.outside(k):
            return False
        tok = toks[k]
        if tok.pos in NON_SUBJECT_OPENERS:
            return False
        if tok.pos == "PPER":
            return tok.text.lower() in self.lex.pronouns and tok.text.lower() not in OBJECT_PRONOUNS
        if tok.pos == "ART" and tok.text.lower() in {"dem", "den", "einem", "einen", "des"}:
            return False
        if tok.pos == "PIS":
            return True
        return tok.pos in NP_TAGS and any(t.pos in NP_HEADS for t in toks[k:finite])

    def _trim_prefield(self, sent: TaggedSentence, lo: int, hi: int) -> tuple[int, int] | None:
        toks = sent.tokens
        while lo < hi and (
            toks[lo].text.lower() in LEADING_PARTICLES or toks[lo].pos in {"KON", "ADV", "$("}
        ):
            lo += 1
        # cut a relative or adverbial clause off the subject
        for k in range(lo + 1, hi):
            if toks[k].text == "," and k + 1 < hi and toks[k + 1].pos in {"PRELS", "KOUS"}:
                hi = k
                break
        while hi > lo and (sent.punct(hi - 1, CLAUSE_PUNCT) or toks[hi - 1].pos == "ADV"):
            hi -= 1
        return (lo, hi) if hi > lo else None

    def _speaker_after(
        self, sent: TaggedSentence, finite: int, cue: int, verb: VerbCue
    ) -> tuple[int, int] | None:
        if verb.verb_class == "impersonal":
            return self._document_np(sent, finite, len(sent))
        return self._np_forward(sent, finite + 1, len(sent), cue=cue)

    def _document_np(self, sent: TaggedSentence, lo: int, hi: int) -> tuple[int, int] | None:
        """ "hieß es in einer Erklärung des Ministeriums": the document speaks."""
        toks = sent.tokens
        for k in range(lo, min(hi + 8, len(sent))):
            if not sent.outside(k) or sent.punct(k, CLAUSE_PUNCT | SENTENCE_END):
                break
            if toks[k].pos in {"APPR", "APPRART"} and toks[k].text.lower() in DOCUMENT_PREPOSITIONS:
                found = self._np_forward(sent, k + 1, len(sent), skip_adverbials=False)
                if found is not None:
                    return found
        return None

    def _np_forward(
        self,
        sent: TaggedSentence,
        start: int,
        limit: int,
        skip_adverbials: bool = True,
        cue: int | None = None,
    ) -> tuple[int, int] | None:
        """The first subject-like noun phrase from `start`, skipping adverbials before it."""
        toks = sent.tokens
        k = start
        while k < limit:
            tok = toks[k]
            if not sent.outside(k):
                # a name in quotation marks ("wie „heise online“ berichtet")
                end = sent.skip_quotation(k)
                if end - k <= 8 and not self._speechlike(sent, k):
                    return (k, min(end, limit))
                return None
            if sent.punct(k, CLAUSE_PUNCT | SENTENCE_END):
                return None
            low = tok.text.lower()
            if tok.pos in {"PPER", "PIS"} and low not in OBJECT_PRONOUNS:
                return (k, k + 1)
            if k == cue:
                k += 1
                continue
            if skip_adverbials:
                if tok.pos in {"ADV", "PTKNEG", "PROAV", "ADJD", "PTKVZ", "VVPP", "VAFIN", "PRF"}:
                    k += 1
                    continue
                if tok.pos in {"APPR", "APPRART"}:
                    k = max(k + 1, self._np_end(sent, k + 1, limit))
                    continue
                if tok.pos == "ART" and low in DATIVE_ARTICLES - {"der"} and cue is not None:
                    after = self._np_end(sent, k, limit)
                    if k < after < limit and toks[after].pos in NP_TAGS | {"PPER"}:
                        k = after
                        continue
            if tok.pos in NP_TAGS:
                end = self._np_end(sent, k, limit)
                if end > k and any(t.pos in NP_HEADS for t in toks[k:end]):
                    return (k, end)
            return None
        return None

    def _np_end(self, sent: TaggedSentence, k: int, limit: int) -> int:
        """One past the end of the noun phrase opening at `k` (with genitives, von-phrases,
        parentheses and short quoted names)."""
        toks = sent.tokens
        start = k
        seen_head = False
        while k < limit:
            tok = toks[k]
            if not sent.outside(k):
                after = sent.skip_quotation(k)
                if after - k <= 8 and (k > start or not seen_head):
                    k = after
                    seen_head = True
                    continue
                break
            pos = tok.pos
            low = tok.text.lower()
            if pos in NP_HEADS:
                seen_head = True
                k += 1
            elif pos in NP_MODIFIERS and not (seen_head and pos == "ADJD"):
                k += 1
            elif pos == "ART":
                if seen_head and low not in {"der", "des", "eines", "einer"}:
                    break
                k += 1
            elif pos == "KON" and low in {"und", "sowie", "&"} and seen_head:
                if k + 1 < limit and toks[k + 1].pos in NP_TAGS:
                    k += 1
                else:
                    break
            elif tok.text == "(" and seen_head:
                close = next(
                    (j for j in range(k + 1, min(limit, k + 10)) if toks[j].text == ")"), None
                )
                if close is None:
                    break
                k = close + 1
            elif pos in {"APPR", "APPRART"} and not seen_head and k > start:
                # an extended attribute: "die zur Universität gehörende Institution"
                j = k + 1
                while j < min(limit, k + 12) and toks[j].pos in NP_TAGS | {"ADV", "APPR"}:
                    if toks[j].pos == "ADJA" and j + 1 < limit and toks[j + 1].pos in NP_HEADS:
                        break
                    j += 1
                if j < min(limit, k + 12) and toks[j].pos == "ADJA" and sent.outside(j):
                    k = j
                else:
                    break
            elif pos in {"APPR", "APPRART"} and seen_head and low in NP_PREPOSITIONS:
                if k + 1 < limit and toks[k + 1].pos in NP_TAGS and sent.outside(k + 1):
                    k += 1
                else:
                    break
            else:
                break
        while k > start and toks[k - 1].pos in {"ART", "KON", "APPR", "APPRART", "ADJA"}:
            k -= 1
        return k

    def _np_backward(self, sent: TaggedSentence, k: int) -> tuple[int, int] | None:
        """The noun phrase ending at token `k` ("offiziellen Angaben" of "... zufolge")."""
        toks = sent.tokens
        if k < 0 or sent.punct(k, CLAUSE_PUNCT | SENTENCE_END):
            return None
        end = k + 1
        if toks[k].pos in {"PPER", "PIS", "PDS", "PRELS"}:
            return (k, end)
        start = end
        while k >= 0:
            tok = toks[k]
            if not sent.outside(k):
                j = k
                while j > 0 and sent.in_quote[j - 1] == sent.in_quote[k]:
                    j -= 1
                if k - j > 8:
                    break
                start, k = j, j - 1
                continue
            if tok.pos in NP_HEADS or tok.pos in NP_MODIFIERS - {"ADJD"}:
                start, k = k, k - 1
                continue
            if tok.text == ")":
                opening = next(
                    (j for j in range(k - 1, max(-1, k - 10), -1) if toks[j].text == "("), None
                )
                if opening is None:
                    break
                start, k = opening, opening - 1
                continue
            if tok.pos == "ART":
                start = k
                # a genitive: the noun phrase goes on before it ("dem Bericht der Zeitung")
                genitive = tok.text.lower() in {"des", "der", "eines", "einer"}
                if genitive and k > 0 and toks[k - 1].pos in NP_HEADS:
                    k -= 1
                    continue
                break
            von = tok.pos in {"APPR", "APPRART"} and tok.text.lower() in {"von", "vom"}
            if von and k > 0 and toks[k - 1].pos in NP_HEADS and start < end:
                start, k = k, k - 1
                continue
            break
        if start >= end or not any(t.pos in NP_HEADS for t in toks[start:end]):
            return None
        return (start, end)

    # --- clause tests ------------------------------------------------------------------------

    def _has_zu_infinitive(self, sent: TaggedSentence, lo: int, hi: int) -> bool:
        return any(t.pos in {"VVIZU", "PTKZU"} for t in sent.tokens[lo : min(hi, len(sent))])

    def _speechlike(self, sent: TaggedSentence, k: int) -> bool:
        """A quotation with a finite verb, or one that runs on into the next sentence, is
        speech; a short quoted name or title is not."""
        end = sent.skip_quotation(k)
        if end == len(sent) and sent.tokens[end - 1].end < sent.quotations[sent.in_quote[k]].end:
            return True
        return any(t.pos in FINITE for t in sent.tokens[k:end])

    # --- quotes without a cue of their own ----------------------------------------------------

    def _uncued(
        self,
        doc: Document,
        quotes: list[Quote],
        quotations: list[Quotation],
        sentences: list[TaggedSentence],
        speakers: SpeakerMemory,
    ) -> list[Quote]:
        """Quotes without a cue of their own, in document order so that a speaker carries
        along a chain: quotations that are sentences (direct speech) and sentences in reported
        speech (Konjunktiv I, or Konjunktiv II and "soll" right after reported speech)."""
        covered = Coverage(quotes)
        by_sentence: dict[int, list[Quotation]] = {}
        for quotation in quotations:
            if covered.overlaps(quotation.inner_start, quotation.inner_end):
                continue
            first = _first_sentence(doc, quotation)
            if first is not None and _is_sentence_quotation(doc, quotation, sentences, first):
                by_sentence.setdefault(first, []).append(quotation)
        out: list[Quote] = []
        last: Quote | None = None
        last_sentence = -2
        taken_until = -1
        window = self.lex.continuation_window
        for sent in sentences:
            span = doc.sentences[sent.index]
            if not sent.tokens or span.start < taken_until:
                continue
            direct = by_sentence.get(sent.index)
            if direct:
                for quotation in direct:
                    start, end = _trim(doc.text, quotation.inner_start, quotation.inner_end)
                    quote = Quote(
                        id="",
                        text=doc.text[start:end],
                        start=start,
                        end=end,
                        kind="direct",
                        sentence=sent.index,
                    )
                    speakers.carry(quote, quotation.start, sent.index, window=window)
                    if quote.speaker_text is None and sent.index > 0:
                        self._previous_subject(doc, quote, sentences[sent.index - 1])
                    out.append(quote)
                    speakers.add(quote)
                    taken_until = max(taken_until, quotation.end)
                last = None
                continue
            if covered.overlaps(span.start, span.end):
                continue
            mood = self._reported_mood(sent)
            chained = last is not None and last_sentence == sent.index - 1
            if mood is None:
                continue
            if mood != "subj1" and not (
                chained or speakers.recent(span.start, sent.index, window=1) is not None
            ):
                continue
            end = sent.end_offset(0)
            mixed = any(q >= 0 for q in sent.in_quote)
            if chained and last is not None:
                speakers.remove(last)
                last.end = end
                last.text = doc.text[last.start : last.end]
                if mixed:
                    last.kind = "mixed"
                speakers.add(last)
                last_sentence = sent.index
                continue
            quote = Quote(
                id="",
                text=doc.text[span.start : end],
                start=span.start,
                end=end,
                kind="mixed" if mixed else "indirect",
                sentence=sent.index,
            )
            # a speech act in the sentence itself ("Sie warnte vor X, wenn ... werde") counts;
            # one before the sentence just before yields to that sentence's subject
            item = speakers.speaker_before(span.end, sent.index, window)
            if (item is None or speakers.last_sentence(item) < sent.index - 1) and sent.index:
                self._previous_subject(doc, quote, sentences[sent.index - 1])
            if quote.speaker_text is None:
                speakers.carry(quote, span.end, sent.index, window=window)
            out.append(quote)
            speakers.add(quote)
            last, last_sentence = quote, sent.index
        return out

    def _previous_subject(self, doc: Document, quote: Quote, previous: TaggedSentence) -> None:
        """Speech after a plain report of what someone did ("Die Kommission legte den Termin
        fest. Möglich seien ..."; "Der Ermittler war empört. „…“") is that someone's."""
        subject = self._subject(previous)
        if subject is not None:
            quote.speaker_text = doc.text[subject[0] : subject[1]]
            quote.speaker_span = Span(quote.speaker_text, *subject)

    def _subject(self, sent: TaggedSentence) -> tuple[int, int] | None:
        """The subject of a sentence's main clause, when it names someone (a noun phrase with
        a noun or name): the prefield, or the noun phrase after the finite verb."""
        toks = sent.tokens
        finite = next((k for k, t in enumerate(toks) if t.pos in FINITE and sent.outside(k)), None)
        if finite is None or finite == 0 or sent.has_reported_mood(0, len(toks)):
            return None
        if any(sent.punct(k, CLAUSE_PUNCT) for k in range(finite)):
            return None
        if self._subject_prefield(sent, 0, finite):
            found = self._trim_prefield(sent, 0, finite)
        else:
            found = self._np_forward(sent, finite + 1, len(sent))
        if found is None or not any(
            t.pos == "NE"
            or (t.pos == "NN" and self.lex.is_speaker_noun(t.lemma))
            or (t.pos == "PPER" and t.text.lower() in {"er", "sie"})
            for t in toks[found[0] : found[1]]
        ):
            return None
        return char_span(sent, found)

    def _reported_mood(self, sent: TaggedSentence) -> str | None:
        """How a sentence without a cue reports speech: "subj1" when a main or complement
        clause is in Konjunktiv I; "subj2" for Konjunktiv II ("Es gäbe ein Video"), which
        reports only right after reported speech; "modal" for a reportative "soll" as the main
        verb; None when it does not (a Konjunktiv I in a relative clause only is no report)."""
        toks = sent.tokens
        main: Token | None = None
        relative = False
        subj1 = False
        # "ich beschäftige mich": the first person singular looks like a Konjunktiv I
        first_person = {
            _clause_index(sent, k)
            for k, tok in enumerate(toks)
            if tok.pos == "PPER" and tok.text.lower() in {"ich", "du"}
        }
        for k, tok in enumerate(toks):
            if not sent.outside(k):
                continue
            if tok.pos in {"PRELS", "PRELAT"} and k > 0 and toks[k - 1].text == ",":
                relative = True
            elif sent.punct(k, CLAUSE_PUNCT):
                relative = False
            if tok.pos not in FINITE:
                continue
            mood = tok.morph.get("Mood")
            if mood == "subj1" and not relative:
                subj1 = subj1 or not (first_person and _clause_index(sent, k) in first_person)
            if main is None and not relative and not _subordinate_start(sent, k):
                main = tok
        if subj1:
            return "subj1"
        if main is None:
            return None
        if main.morph.get("Mood") == "subj2":
            return "subj2"
        if main.pos == "VMFIN" and main.text.lower() in self.lex.reportative_modals:
            return "modal"
        return None


def _clause_index(sent: TaggedSentence, k: int) -> int:
    """How many clause punctuation marks precede token `k` in its sentence."""
    return sum(1 for j in range(k) if sent.punct(j, CLAUSE_PUNCT))


def _subordinate_start(sent: TaggedSentence, k: int) -> bool:
    """Whether the finite verb at `k` closes a clause opened by a subordinating conjunction."""
    j = k - 1
    while j >= 0 and not sent.punct(j, CLAUSE_PUNCT):
        j -= 1
    first = sent.tokens[j + 1]
    return first.pos in {"KOUS", "PRELS", "PWAV", "PWS"} and j + 1 < k


#: the "so" adverb frames like a speech verb placed after its message
_SO_CUE = VerbCue("so", "speech", frozenset({"after"}))


# --- helpers -------------------------------------------------------------------------------


def _span(doc: Document, first: Token, last: Token) -> Span:
    return Span(doc.text[first.start : last.end], first.start, last.end)


def _first_sentence(doc: Document, quotation: Quotation) -> int | None:
    """The sentence of the quotation's first word (its opening mark may end the sentence
    before: "... sei. „\\nAber ...“")."""
    offset = quotation.inner_start
    while offset < quotation.inner_end and not doc.text[offset].isalnum():
        offset += 1
    return doc.sentence_at(offset)


def _is_sentence_quotation(
    doc: Document, quotation: Quotation, sentences: list[TaggedSentence], first: int
) -> bool:
    """A quotation with a finite verb that makes up most of its sentence is direct speech;
    a quoted phrase inside a sentence is not a quote of its own."""
    last = doc.sentence_at(max(quotation.inner_start, quotation.inner_end - 1))
    if last is None:
        last = first
    inside = outside = 0
    finite = False
    for index in range(first, last + 1):
        for tok in sentences[index].tokens:
            if not tok.text[:1].isalnum():
                continue
            if quotation.start <= tok.start < quotation.end:
                inside += 1
                finite = finite or tok.pos in FINITE
            else:
                outside += 1
    return finite and inside >= outside


def _drop_overlapping(frames: list[Frame]) -> list[Frame]:
    """A cue inside another frame's message is part of that message ("Er sagte, sie habe
    erklärt, ..."); a cue inside another frame's cue phrase repeats it."""
    frames.sort(key=lambda f: (-f.strength, f.start))
    kept: list[Frame] = []
    for frame in frames:
        cue_at = frame.cue.start
        clash = False
        for other in kept:
            inside_message = any(s <= cue_at < e for s, e in other.pieces)
            inside_zone = other.zone[0] <= cue_at < other.zone[1]
            if inside_message or inside_zone or _overlap(frame.pieces, other.pieces) > 0.5:
                clash = True
                break
        if not clash:
            kept.append(frame)
    return kept


def _overlap(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> float:
    shared = sum(max(0, min(e1, e2) - max(s1, s2)) for s1, e1 in a for s2, e2 in b)
    shorter = min(sum(e - s for s, e in a), sum(e - s for s, e in b)) or 1
    return shared / shorter


def _to_quotes(doc: Document, frames: list[Frame], quotations: list[Quotation]) -> list[Quote]:
    quotes = []
    starts = [q.start for q in quotations]
    for frame in sorted(frames, key=lambda f: f.start):
        pieces = [p for p in (_trim(doc.text, s, e) for s, e in frame.pieces) if p[1] > p[0]]
        if not pieces:
            continue
        # the text is the span from the first to the last piece: every annotation points at
        # the article; a cue phrase inside the message ("stieg laut Polizei auf zwölf") stays in
        # it, and `cue` and `speaker_span` say where it is
        text = doc.text[pieces[0][0] : pieces[-1][1]]
        if not any(ch.isalnum() for ch in text):
            continue
        offset = pieces[0][0]
        while offset < pieces[-1][1] and not doc.text[offset].isalnum():
            offset += 1
        sentence = doc.sentence_at(offset)
        quote = Quote(
            id="",
            text=text,
            start=pieces[0][0],
            end=pieces[-1][1],
            kind=_kind(frame, quotations, starts),
            sentence=sentence if sentence is not None else 0,
            cue=frame.cue,
        )
        if frame.speaker is not None:
            s, e = frame.speaker
            words = doc.text[s:e]
            if words.lower() != "es":
                quote.speaker_text = words
                quote.speaker_span = Span(words, s, e)
        quotes.append(quote)
    return quotes


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """A message's range without the spaces and commas around it."""
    while start < end and (text[start].isspace() or text[start] == ","):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
        end -= 1
    return start, end


def _kind(frame: Frame, quotations: list[Quotation], starts: list[int]) -> QuoteKind:
    """direct: the message is one quotation; mixed: it holds quoted words; else indirect."""
    if len(frame.pieces) == 1:
        s, e = frame.pieces[0]
        k = bisect_right(starts, s) - 1
        if 0 <= k < len(quotations):
            q = quotations[k]
            if q.inner_start <= s and e <= q.inner_end:
                return "direct"
    for s, e in frame.pieces:
        k = bisect_left(starts, s)
        if k < len(quotations) and quotations[k].start < e:
            return "mixed"
    return "indirect"


def _dependent_clause(segment: list[Token]) -> bool:
    """Whether tokens open a relative or subordinate clause ("der ...", "in dem ...", "weil")."""
    first = segment[0].pos
    if first in DEPENDENT_OPENERS:
        return True
    relative = len(segment) > 1 and segment[1].pos in ("PRELS", "PRELAT")
    return first in ("APPR", "APPRART") and relative
