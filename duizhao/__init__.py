"""duizhao (对照): a static-site generator for bilingual Chinese/English documents.

Data flows one way: raw text → import → content/ (Markdown + YAML) → load → model →
render → site/. Each stage is one module; see README.md and DESIGN.md.
"""

__version__ = "0.1.0"
