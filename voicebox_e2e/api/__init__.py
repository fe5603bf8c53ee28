"""The typed client of the Voicebox HTTP API: plain calls by resource, the SSE streams, errors."""
