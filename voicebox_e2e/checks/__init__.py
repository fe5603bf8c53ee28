"""The server's own spec beyond the matrix: the API contract checks and the lifecycle checks."""
