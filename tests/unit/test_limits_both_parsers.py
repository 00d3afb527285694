"""The limits hold on both of PyYAML's parsers, libyaml's and the pure-Python
one, with the same words at the same place, and each refusal comes before
the work: no file within the size limit takes long to refuse."""

from __future__ import annotations

import time

import pytest
import yaml

from publisher.content import yamlsource
from publisher.content.limits import MAX_FILE_BYTES
from publisher.errors import ContentError

PARSERS = [p for p in (getattr(yaml, "CSafeLoader", None), yamlsource._PureLoader) if p is not None]

CASES = {
    "brackets 17 deep": ("a: " + "[" * 17 + "]" * 17, "x:1:19: (yaml): nested more than 16 levels deep"),
    "mappings deep": ("a: " + "{a: " * 30_000, "x:1:64: (yaml): nested more than 16 levels deep"),
    "dashes deep": ("- " * 40_000 + "x", "x:1:33: (yaml): nested more than 16 levels deep"),
    "block and flow deep": ("a:\n  b:\n    - " + "[" * 60, "x:3:20: (yaml): nested more than 16 levels deep"),
    "an alias": ("a: &a [x]\nb: *a\n", "x:1:4: a: anchors and aliases (&name, *name) are not allowed"),
    "an anchor alone": ("title: &more info\n", "x:1:8: title: anchors and aliases (&name, *name) are not allowed"),
    "a long list": ("- a\n" * 1001, "x:1001:3: [1000]: more than 1,000 items here"),
    "a long flow list": ("[" + "a," * 1001 + "]", "x:1:2002: [1000]: more than 1,000 items here"),
    "many keys": ("".join(f"k{i}: v\n" for i in range(1001)), "x:1001:1: (yaml): more than 1,000 keys here"),
    "many values": ("".join("- [" + "a," * 999 + "a]\n" for _ in range(6)),
                    "x:5:1992: [4][994]: more than 5,000 values in one file"),
    "a long text": ("a:\n  b: " + "word " * 1001, "x:2:6: a.b: the text is 5,004 characters long"),
    "an escaped control": ('a: ["ok", "\\x1b[31m"]', "x:1:11: a[1]: the invisible control character U+001B"),
    "an escaped surrogate key": ('"\\udc80": x', "x:1:1: (yaml): a lone surrogate U+DC80 (half of a character)"),
    "a raw noncharacter": ("a: x\ufdd0", "x:1:4: a: the noncharacter U+FDD0"),
}


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("parser", PARSERS, ids=lambda p: p.__name__)
def test_each_limit_is_refused_alike_by_both_parsers_before_the_work(case, parser, tmp_path):
    text, expected = CASES[case]
    assert len(text.encode("utf-8")) <= MAX_FILE_BYTES
    started = time.process_time()
    with pytest.raises((yamlsource._Refused, yaml.YAMLError, ContentError)) as caught:
        yamlsource._load_text(text, "x", parser)
    seconds = time.process_time() - started
    if not isinstance(caught.value, yamlsource._Refused):
        # libyaml refuses some files itself (deeper than 1,000, an escaped surrogate): `load_yaml` then reads
        # them again with the pure parser, whose refusal the other parametrization checks.
        assert parser is not yamlsource._PureLoader, str(caught.value)
        with pytest.raises(ContentError) as again:
            (tmp_path / "x.yaml").write_text(text, encoding="utf-8")
            yamlsource.load_yaml(tmp_path / "x.yaml", "x")
        assert str(again.value).startswith(expected)
        return
    assert str(caught.value.problem).startswith(expected)
    assert seconds < 0.5, f"{seconds:.2f} s"

