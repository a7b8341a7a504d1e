-- A claim's document stays in its row.
--
-- A claim row carries its document (~1 kB) and the columns generated from it (the text
-- vector, the id arrays): on the bench data a quarter of the rows pass 2 kB, where
-- PostgreSQL's default moves the widest value out of line. That value is the document, the
-- one thing every read returns, so a quarter of the documents were read through the TOAST
-- table's index and heap (claims: 245 MB of TOAST beside 1.7 GB of heap). A claimant's page
-- of 50 touched 116 buffers instead of 68, and its PostgreSQL time fell from 0.41-0.46 to
-- 0.31-0.35 ms (median of 300 pages, interleaved A/B on the same data) with the documents
-- inline. The history table's versions are the same rows.
--
-- Rows are moved out of line now only past 8,160 bytes (the most a page holds), which a
-- claim reaches only with long quotes; such rows are still stored, out of line.
--
-- This applies to rows written from now on. Rows written before keep their document out
-- of line until the table is rewritten (docs/scaling.md, "Storage of claim documents").
ALTER TABLE claims SET (toast_tuple_target = 8160);
ALTER TABLE claims_history SET (toast_tuple_target = 8160);
