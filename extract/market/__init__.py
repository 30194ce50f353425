"""Market structure and numbers: the market a report covers and what it says of it.

:func:`extract_market` reads one report and adds to its :class:`ReportFacts`:

- the **market** (from the title, a heading or the first sentences:
  "Widget Coating Market Size and Share" gives "Widget Coating"), its named
  **leaders** and the **dimensions** it is cut by;
- **segments** of each dimension, from a segmentation table ("| By Resin
  Type | Epoxy |"), a "segmented by Resin Type (Epoxy, Acrylic), ..."
  sentence, or "By resin type, epoxy held ..." statements; the members of a
  geography dimension are regions, not segments;
- **observations**: market size with its year, CAGR with its period and
  market share with its year, each for the whole market or one segment or
  region, read from the clause that states it;
- **growth factors**: the rows of a driver or restraint impact table.

The rules rest on generic market-report phrasing; the words they use live in
``data/segments.json``.
"""

from marketgraph.extract.market.extractor import extract_market
from marketgraph.extract.market.segments import market_name

__all__ = ["extract_market", "market_name"]
