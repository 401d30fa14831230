"""Everything that imports streamlit: the pages (pages/), their routes and the glue they share."""
