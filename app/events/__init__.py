"""The change feed: events written with each change, published as CloudEvents (NL GOV
profile) in a feed and delivered to subscriptions by the worker."""
