"""Bulk import and export: files of resources that refer to each other by external_id."""
