"""The seed article as Markdown, for the tools a user might pick instead (pandoc)."""

from __future__ import annotations

from publisher.content.models import Article


def article_markdown(article: Article) -> str:
    """Title block, key messages, then each section: paragraphs, numbered or
    bulleted lists with bold item headings, callouts as block quotes. With
    `# ` headings, pandoc's PPTX writer makes one slide per section."""
    meta = article.metadata
    out = [f"---\ntitle: \"{article.title}\"\nauthor: \"{meta.author}\"\nlang: {article.lang}\n---\n",
           f"**{article.question}**\n", "# Key messages\n"]
    out += [f"- {m.text.strip()}" for m in article.key_messages]
    out.append("")
    for section in article.sections:
        out.append(f"# {section.heading}\n")
        for block in section.blocks:
            if block.kind == "paragraph":
                out.append(block.text.strip() + "\n")
            elif block.kind == "list":
                mark = "1." if block.style == "numbered" else "-"
                out += [f"{mark} {_item(item)}" for item in block.items]
                out.append("")
            elif block.kind == "callout":
                if block.title:
                    out.append(f"> **{block.title}**\n>")
                if getattr(block, "text", None):
                    out.append(f"> {block.text.strip()}\n>")
                out += [f"> - {_item(item)}" for item in (block.items or [])]
                out.append("")
    out.append("# About this leaflet\n")
    out.append(f"**{meta.disclaimer.strip()}**\n")
    out.append(f"Adapted by {meta.author} for {meta.organisation}. Based on “{meta.source.title}” by"
               f" {meta.source.author}. Written for: {meta.audience}. Published: {meta.published.isoformat()}.\n")
    return "\n".join(out)


def _item(item) -> str:
    text = item.text.strip()
    return f"**{item.heading}.** {text}" if getattr(item, "heading", None) else text


# A print stylesheet close to the handout's look, for pandoc's HTML → WeasyPrint.
HANDOUT_CSS = """
@page { size: A4; margin: 24mm 17mm; }
html { font-family: "Noto Sans", sans-serif; font-size: 12.5pt; line-height: 1.45; color: #1a1a1a; }
h1, h2 { color: #1F4E79; line-height: 1.2; }
h1 { font-size: 15.5pt; } header h1.title { font-size: 21pt; }
blockquote { border: 1.5pt solid #1F4E79; padding: 2mm 4mm; margin: 0 0 3mm; }
"""
