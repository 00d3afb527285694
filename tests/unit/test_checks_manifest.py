"""The manifest's `checks`: shards merge into what one build would write."""

from __future__ import annotations

from publisher.build.write import merge_manifests


def _manifest(paths: list[str], lang: str) -> dict:
    entry = {"findings": [], "waived": [], "scores": []}
    return {"generator": "publisher test", "fallbacks": {}, "removed": [],
            "artifacts": [{"path": p} for p in paths],
            "checks": {"gates": {"pdf-ua": {"severity": "error"}}, "clinics": {"default": entry},
                       "content": {f"a/{lang}": entry}, "files": {p: entry for p in paths}}}


def test_merged_shards_keep_every_shards_checks_and_only_files_that_are_listed():
    first, second = _manifest(["a/en/default/handout-a4.pdf"], "en"), _manifest(["a/de/default/handout-a4.pdf"], "de")
    second["checks"]["files"]["a/fr/default/handout-a4.pdf"] = {}  # a file no shard lists
    merged = merge_manifests([first, second])["checks"]
    assert sorted(merged["content"]) == ["a/de", "a/en"]
    assert sorted(merged["files"]) == ["a/de/default/handout-a4.pdf", "a/en/default/handout-a4.pdf"]
    assert merged["gates"] == {"pdf-ua": {"severity": "error"}} and list(merged["clinics"]) == ["default"]


def test_manifests_without_checks_merge_as_before():
    plain = {"generator": "g", "artifacts": [{"path": "x"}], "fallbacks": {}, "removed": []}
    assert "checks" not in merge_manifests([plain, plain])
