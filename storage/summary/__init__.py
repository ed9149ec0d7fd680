"""Summary queries (one SQL builder for any subtree and period) and the pre-aggregated snapshot."""
