"""Page models: one module per page, whose function computes what the page shows from the
database (through an `ivpdata.fetch.Fetch`) and the page's choices, as plain data. The page draws
it; the Driehoeksrapportage (ivpdata/briefing.py) calls the same functions, so the PDF never
repeats a page's logic."""
