"""Demo catalogs, built as catalog documents (format c2b-catalog/1) so that seeding goes
through the same import path as any file an admin brings."""
