"""One module a command; each parses options, calls the core, hands off to a renderer."""
