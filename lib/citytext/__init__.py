"""citytext: turn scraped Chinese local news into comparable evidence.

The library behind the numbered notebooks. Modules:

* ``text``: Han ranges, traditional-to-simplified, sentence spans, character statistics.
* ``ingest``: read a corpus directory (.txt .html .jsonl .csv, any common encoding).
* ``clean``: repair, boilerplate removal and metadata extraction.
* ``places``: gazetteer of Chinese administrative divisions.
* ``segment``: tokenisation with the domain dictionary and stopwords.
* ``topics``: vectorise, fit, choose k and label topics; topic shares by place
  and year; candidate dictionary terms.
* ``metrics``: the number-and-unit grammar for claimed quantities.
* ``compare``: per-city features, mechanisms and similarity.
* ``plots``: matplotlib figures with a bundled CJK font, by figure family.
* ``report``: safe tables and text for notebooks and rendered HTML.
* ``runfiles``: every run-directory file name, column list, reader and writer.
* ``pipeline``: stage functions that read and write the run directory.
* ``runner`` / ``execution`` / ``runrecord`` / ``cli``: the ``citytext`` command;
  ``render``: HTML pages, font, index.
"""

__version__ = "0.1.0"
