"""Many campaigns at once: the facts of one campaign (:mod:`.facts`, pure) and the portfolio workbook that
``xl-campaign rollup`` writes (:mod:`.rollup`)."""
