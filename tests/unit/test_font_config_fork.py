"""A forked worker never deletes its parent's temporary font folders."""

import os

from publisher.targets import _font_config
from tests.conftest import TEMPLATES

FACES = (("Publisher Noto Sans", 400, "fonts/NotoSans-Regular.ttf"),)


def test_a_child_that_forgets_its_configurations_leaves_the_parents_fonts():
    config = _font_config.font_config(TEMPLATES, FACES)
    # The parent's configuration holds a folder once a page has used an @font-face.
    from weasyprint import CSS, HTML

    css = CSS(string=f"@font-face {{ font-family: x; src: url({(TEMPLATES / FACES[0][2]).as_uri()}) }}",
                  font_config=config)
    HTML(string="<p style='font-family: x'>x</p>").render(stylesheets=[css], font_config=config)
    folder = config._folder
    assert folder is not None and folder.exists()
    del config, css  # only the module's cache holds it now, as in a build
    pid = os.fork()
    if pid == 0:  # the child: what a pool worker does at its exit
        _font_config.forget()
        os._exit(0)
    os.waitpid(pid, 0)
    assert folder.exists(), "the child deleted the parent's temporary font folder"
