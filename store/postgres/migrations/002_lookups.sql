-- Lookups a person runs on the store of record: an article by its URL or
-- its source and date.
CREATE INDEX articles_url ON articles (url) WHERE url <> '';
CREATE INDEX articles_source_published ON articles (source, published);
