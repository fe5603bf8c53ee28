"""One matrix row: the plan, the prepare phase, the spec and result, the budget, the runner and the status probe."""
