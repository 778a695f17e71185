"""Cutting a streamed reply into speakable pieces."""

from __future__ import annotations

from collections.abc import Sequence

from voice.dialogue.sentences import Piece, SentenceSplitter


def stream(tokens: Sequence[str], **kwargs: int | None) -> tuple[list[tuple[int, str]], str | None]:
    """Push tokens one by one; return (token index, piece text) pairs and the flushed rest."""
    splitter = SentenceSplitter(**kwargs)
    out = [(i, piece.text) for i, token in enumerate(tokens) for piece in splitter.push(token)]
    rest = splitter.flush()
    return out, rest.text if rest is not None else None


def test_a_piece_comes_out_when_the_next_token_starts() -> None:
    tokens = ["That", " sounds", " hard", ".", " Did", " you", " sleep", "?", " I", " hope", " so"]
    out, rest = stream(tokens)
    # Each sentence is complete once the space after its full stop arrives.
    assert out == [(4, "That sounds hard."), (8, "Did you sleep?")]
    assert rest == "I hope so"


def test_nothing_comes_out_before_the_sentence_ends() -> None:
    splitter = SentenceSplitter()
    assert splitter.push("It was") == []
    assert splitter.push(" a long day") == []
    assert splitter.push(".") == []
    assert splitter.push("\n") == [Piece("It was a long day.", 19)]
    assert splitter.flush() is None


def test_abbreviations_do_not_end_a_sentence() -> None:
    tokens = ["I", " saw", " Dr", ".", " Smith", " and", " Mrs", ".", " Lee", " today", ".", " Ok"]
    out, rest = stream(tokens)
    assert out == [(11, "I saw Dr. Smith and Mrs. Lee today.")]
    assert rest == "Ok"


def test_decimal_numbers_do_not_end_a_sentence() -> None:
    out, rest = stream(["You", " slept", " 3", ".", "5", " hours", ".", " That", " is", " little"])
    assert out == [(7, "You slept 3.5 hours.")]
    assert rest == "That is little"


def test_closing_quotes_and_brackets_stay_with_their_sentence() -> None:
    out, rest = stream(["She", " said", ' "', "rest", '."', " Then", " (", "gently", ".)", " Go"])
    assert out == [(5, 'She said "rest."'), (9, "Then (gently.)")]
    assert rest == "Go"


def test_question_and_exclamation_marks_end_sentences() -> None:
    out, rest = stream(["Well", " done", "!", " How", " was", " it", "?!", " Tell", " me", "."])
    assert out == [(3, "Well done!"), (7, "How was it?!")]
    assert rest == "Tell me."


def test_first_piece_may_end_at_a_comma_after_six_words() -> None:
    tokens = ["When", " you", " feel", " tired", " in", " the", " evening", ",", " try", " rest"]
    out, rest = stream(tokens)
    assert out == [(8, "When you feel tired in the evening,")]
    assert rest == "try rest"


def test_no_comma_split_before_six_words() -> None:
    out, rest = stream(
        ["Yes", ",", " I", " hear", " you", ",", " and", " that", " is", " okay", "."]
    )
    assert out == []
    assert rest == "Yes, I hear you, and that is okay."


def test_the_comma_split_counts_words_from_the_start() -> None:
    # The second comma comes after six words, so the first piece ends there.
    tokens = ["Yes", ",", " I", " hear", " you", " very", " well", ",", " and", " so"]
    out, rest = stream(tokens)
    assert out == [(8, "Yes, I hear you very well,")]
    assert rest == "and so"


def test_comma_split_is_only_for_the_first_piece() -> None:
    tokens = [
        "Okay",
        ".",
        " When",
        " you",
        " feel",
        " tired",
        " in",
        " the",
        " evening",
        ",",
        " rest",
    ]
    out, rest = stream(tokens)
    assert out == [(2, "Okay.")]
    assert rest == "When you feel tired in the evening, rest"


def test_comma_split_can_be_turned_off() -> None:
    tokens = ["When", " you", " feel", " tired", " in", " the", " evening", ",", " rest", "."]
    out, rest = stream(tokens, first_clause_words=None)
    assert out == []
    assert rest == "When you feel tired in the evening, rest."


def test_several_sentences_in_one_delta() -> None:
    splitter = SentenceSplitter()
    assert [p.text for p in splitter.push("One. Two! Three? Fo")] == ["One.", "Two!", "Three?"]
    assert splitter.push("ur") == []
    assert splitter.flush() == Piece("Four", 21)


def test_flush_of_whitespace_only_is_none() -> None:
    splitter = SentenceSplitter()
    assert splitter.push("Fine. ") == [Piece("Fine.", 6)]
    assert splitter.push("  \n") == []
    assert splitter.flush() is None


def test_piece_ends_index_into_the_whole_text_pushed() -> None:
    tokens = [
        "I",
        " hear",
        " that",
        " work",
        " was",
        " heavy",
        " today",
        ",",
        " and",
        " Dr",
        ".",
        " Ng",
        " said",
        ' "',
        "rest",
        '."',
        "  ",
        "How",
        " did",
        " that",
        " feel",
        "?",
        " I",
        "'m",
        " here",
        ".",
    ]
    text = "".join(tokens)
    splitter = SentenceSplitter()
    pieces = [piece for token in tokens for piece in splitter.push(token)]
    rest = splitter.flush()
    assert rest is not None
    pieces.append(rest)
    assert [p.text for p in pieces] == [
        "I hear that work was heavy today,",
        'and Dr. Ng said "rest."',
        "How did that feel?",
        "I'm here.",
    ]
    # The pieces partition the text: each is exactly what lies between the ends.
    start = 0
    for piece in pieces:
        assert text[: piece.end].rstrip().endswith(piece.text)
        assert text[start : piece.end].strip() == piece.text
        start = piece.end
    assert pieces[-1].end == len(text)


def test_a_run_on_without_punctuation_is_cut_at_a_word_boundary() -> None:
    from voice.dialogue.sentences import MAX_PIECE_WORDS

    splitter = SentenceSplitter(first_clause_words=None)
    words = [f"w{i}" for i in range(40)]
    pieces = []
    for word in words:
        pieces += splitter.push(word + " ")
    assert [p.text for p in pieces] == [" ".join(words[:MAX_PIECE_WORDS])]
    rest = splitter.flush()
    assert rest is not None and rest.text == " ".join(words[MAX_PIECE_WORDS:])


def test_a_long_clause_run_on_is_cut_at_its_last_comma() -> None:
    splitter = SentenceSplitter(first_clause_words=None)
    text = " ".join(["and then we walked"] * 4) + ", " + " ".join(["and talked"] * 5) + " more"
    pieces = []
    for token in text.split(" "):
        pieces += splitter.push(token + " ")
    assert pieces and pieces[0].text.endswith(",")
    assert len(pieces[0].text.split()) == 16
