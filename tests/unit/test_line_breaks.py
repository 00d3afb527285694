"""The spans that keep a text's end, a phone number or an address line whole."""

from markupsafe import Markup

from publisher.line_breaks import keep_end, unbroken
from publisher.templating import ending_sentence, environment
from tests.conftest import ROOT


def test_the_last_two_words_stay_together():
    assert keep_end("How much should I drink?") == Markup('How much should <span class="keep">I drink?</span>')


def test_one_or_two_words_are_left_alone():
    assert keep_end("Why it matters") == Markup('Why <span class="keep">it matters</span>')
    assert keep_end("In short") == Markup("In short")


def test_two_long_last_words_are_left_to_break():
    long = "Fragen Sie nach Schmerzbehandlungs Rehabilitationsprogramme"
    assert keep_end(long) == Markup(long)
    assert keep_end("Ask about calisthenics classes") == \
        Markup('Ask about <span class="keep">calisthenics classes</span>')


def test_chinese_keeps_its_last_three_characters():
    assert keep_end("肌肉流失会引起疼痛吗？") == Markup('肌肉流失会引起疼<span class="keep">痛吗？</span>')


def test_a_latin_word_inside_chinese_is_not_cut():
    assert keep_end("请联系ABC诊所") == Markup('请联系<span class="keep">ABC诊所</span>')
    assert keep_end("使用PDF文") == Markup('使用<span class="keep">PDF文</span>')


def test_content_is_escaped_inside_the_spans():
    assert keep_end("Tom & Jerry <b>run</b> fast") == \
        Markup('Tom &amp; Jerry <span class="keep">&lt;b&gt;run&lt;/b&gt; fast</span>')
    assert str(unbroken("a<b@example.org")) == '<span class="keep">a&lt;b@example.org</span>'


def test_long_addresses_break_only_after_at_signs_dots_and_slashes():
    long = "patient-appointments@saint-bartholomews-physio.example.org"
    assert unbroken(long) == Markup("patient\u2060-\u2060appointments@\u200bsaint\u2060-\u2060bartholomews"
                                    "\u2060-\u2060physio.\u200bexample.\u200borg")
    assert unbroken("x" * 60) == Markup("x" * 60)


def test_a_heading_ending_its_own_sentence_takes_no_second_stop():
    assert ending_sentence("“Use it or lose it.”")
    assert ending_sentence("Why?") and ending_sentence("为什么？") and ending_sentence("لماذا؟")
    assert not ending_sentence("Stay cool") and not ending_sentence("")
    env = environment(ROOT / "templates")
    template = env.from_string('{% from "shared/blocks.html.j2" import item_body with context %}'
                               "{{ item_body(item) }}")
    out = template.render(labels={"item_heading": "{heading}."},
                          item={"heading": "“Use it or lose it.”", "text": "Move daily."})
    assert "”.</strong>" not in out and "”</strong>" in out.replace("\u2069", "")
    out = template.render(labels={"item_heading": "{heading}."}, item={"heading": "Stay cool", "text": "Rest."})
    assert "Stay cool\u2069.</strong> Rest." in out
