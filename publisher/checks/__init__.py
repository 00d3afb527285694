"""Quality gates over content and outputs."""
