"""`publisher serve`: a live preview of the output folder for content editors.

Three parts, one module each: `builder` runs `publisher build` again and
again in one warm process of its own; `site` answers the browser from the
output folder (and nowhere else), adding the reload script and the error
list to the HTML it sends, never to the files; `serve` watches the content
and templates folders, asks for a build on each save and tells the open
pages to reload.
"""
