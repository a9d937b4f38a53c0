-- Lookups a person runs on the store of record: an article by its URL or
-- its source and date.
CREATE INDEX newsdedup_articles_url ON newsdedup_articles (url) WHERE url <> '';
CREATE INDEX newsdedup_articles_source_published ON newsdedup_articles (source, published);
