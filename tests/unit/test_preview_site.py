"""`publisher serve`'s web server: which paths it serves, and what it adds to the HTML it sends."""

from __future__ import annotations

import os

import pytest

from publisher.preview.serve import is_loopback
from publisher.preview.site import Status, inject, local_host, preview_policy, resolve

BUILT_POLICY = "default-src 'self'; script-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'"
PAGE = ('<!DOCTYPE html>\n<html lang="en">\n<head>\n'
        f'<meta http-equiv="Content-Security-Policy" content="{BUILT_POLICY}">\n'
        '<title>T</title>\n</head>\n<body class="x">\n<main><p>Text</p></main>\n</body>\n</html>\n')


@pytest.fixture
def output(tmp_path):
    root = tmp_path / "output"
    (root / "site" / "c" / "en").mkdir(parents=True)
    (root / "site" / "c" / "en" / "index.html").write_text("page")
    (root / ".publisher-state.json").write_text("{}")
    (root / "site" / ".index.html.ab12.tmp").write_text("half")
    secret = tmp_path / "secret.txt"
    secret.write_text("not for the browser")
    os.symlink(secret, root / "site" / "leak.txt")
    os.symlink(tmp_path, root / "site" / "up")
    os.symlink(root / "site" / "c", root / "site" / "inside")
    return root


@pytest.mark.parametrize("url", [
    "/../secret.txt", "/site/../../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E/secret.txt",
    "/site/%2e%2e%2f%2e%2e%2fsecret.txt", "/site/..%2F..%2Fsecret.txt", "/site/%5c..%5csecret.txt",
    "/.publisher-state.json", "/site/.index.html.ab12.tmp", "/site/./c/en/index.html", "/site%00/c",
    "/site/leak.txt", "/site/up/secret.txt", "/site/up/", "/%ff%fe", "/missing.html",
])
def test_a_path_outside_the_output_folder_or_hidden_is_refused(output, url):
    try:
        found = resolve(output, url)
    except UnicodeDecodeError:  # the handler answers 404 to a path that is not UTF-8
        found = None
    assert found is None


def test_paths_inside_the_output_folder_are_served(output):
    assert resolve(output, "/") == output
    assert resolve(output, "/site/c/en/index.html") == output / "site/c/en/index.html"
    assert resolve(output, "/site/c/en/") == output / "site/c/en"
    assert resolve(output, "/site/%63/en/index.html") == output / "site/c/en/index.html"
    # A link that stays inside is followed.
    assert resolve(output, "/site/inside/en/index.html") == output / "site/c/en/index.html"


def test_the_policy_lets_in_the_previews_own_script_and_nothing_else():
    assert preview_policy(BUILT_POLICY) == ("default-src 'self'; script-src 'self'; object-src 'none';"
                                            " base-uri 'none'; form-action 'none'")
    assert preview_policy("default-src 'none'; img-src 'self'") == (
        "default-src 'none'; img-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'")
    assert preview_policy("script-src https://cdn.example") == "script-src https://cdn.example 'self'"


def test_the_served_page_gets_the_script_and_the_policy_allows_it():
    served, header = inject(PAGE, "ab12cd34-7", [])
    assert header == ("default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none';"
                      " form-action 'none'")
    assert f'<meta http-equiv="Content-Security-Policy" content="{header}">' in served
    assert ('<link rel="stylesheet" href="/__publisher/preview.css">'
            '<script src="/__publisher/reload.js" data-build="ab12cd34-7" defer></script>\n</head>') in served
    assert "script-src 'none'" not in served
    assert "publisher-preview-problems" not in served
    assert served.replace('<link rel="stylesheet" href="/__publisher/preview.css">'
                          '<script src="/__publisher/reload.js" data-build="ab12cd34-7" defer></script>\n', "") \
        == PAGE.replace("script-src 'none'", "script-src 'self'")


def test_problems_are_shown_escaped_above_the_page():
    line = "content/a.yaml:3:1: title: <script>alert(1)</script> & 'x' — fix it"
    served, _ = inject(PAGE, "ab12cd34-2", [line, "Aborted: 1 error in 1 file."])
    top, _, rest = served.partition('<body class="x">\n')
    assert rest.startswith('<section id="publisher-preview-problems" role="alert"')
    assert ("<li>content/a.yaml:3:1: title: &lt;script&gt;alert(1)&lt;/script&gt; &amp; &#39;x&#39; — fix it</li>"
            in rest)
    assert "<p><strong>Aborted: 1 error in 1 file.</strong></p>" in rest
    assert "<script>alert" not in served
    assert rest.index("</section>") < rest.index("<main><p>Text</p></main>")


@pytest.mark.parametrize(("host", "loopback"), [
    ("127.0.0.1", True), ("127.0.0.2", True), ("::1", True), ("localhost", True),
    ("0.0.0.0", False), ("::", False), ("192.168.1.20", False), ("preview.example.org", False),
])
def test_only_a_loopback_address_is_private(host, loopback):
    assert is_loopback(host) is loopback


@pytest.mark.parametrize(("header", "local"), [
    ("127.0.0.1:8000", True), ("localhost:8000", True), ("LOCALHOST", True), ("[::1]:8000", True),
    ("127.0.0.1", True), ("127.1.2.3:80", True),
    ("evil.example:8000", False), ("127.0.0.1.evil.example", False), ("localhost.evil.example:8000", False),
    ("[::1].evil", False), ("", False), (None, False),
])
def test_a_loopback_preview_answers_only_requests_naming_this_machine(header, local):
    assert local_host(header) is local


def test_a_page_from_an_earlier_run_of_the_server_reloads_at_once():
    status = Status()
    status.publish([])
    assert status.since(status.build) == 1
    assert status.since("0badc0de-1") == -1 and status.since("") == -1 and status.since("x-y") == -1
